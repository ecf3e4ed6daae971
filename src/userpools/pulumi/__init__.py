"""Pulumi resources for Cognito user pools, with aws-native's Python API (the seed page):

    from userpools.pulumi import UserPool, UserPoolClient, UserPoolGroup, UserPoolUser, CIMDPolicy
    from userpools.pulumi import UserPoolIdentityProvider

Needs the ``pulumi`` extra (``pip install 'userpools[pulumi]'``).
"""

from userpools.pulumi.cimd_policy import CIMDPolicy, CIMDPolicyArgs, CIMDPolicyProvider
from userpools.pulumi.provider import CognitoProvider
from userpools.pulumi.user_pool import UserPool, UserPoolArgs, UserPoolProvider
from userpools.pulumi.user_pool_client import UserPoolClient, UserPoolClientArgs, UserPoolClientProvider
from userpools.pulumi.user_pool_group import UserPoolGroup, UserPoolGroupArgs, UserPoolGroupProvider
from userpools.pulumi.user_pool_identity_provider import (
    UserPoolIdentityProvider,
    UserPoolIdentityProviderArgs,
    UserPoolIdentityProviderProvider,
)
from userpools.pulumi.user_pool_user import (
    UserPoolUser,
    UserPoolUserArgs,
    UserPoolUserAttributeTypeArgs,
    UserPoolUserProvider,
)

__all__ = [
    "CIMDPolicy",
    "CIMDPolicyArgs",
    "CIMDPolicyProvider",
    "CognitoProvider",
    "UserPool",
    "UserPoolArgs",
    "UserPoolClient",
    "UserPoolClientArgs",
    "UserPoolClientProvider",
    "UserPoolGroup",
    "UserPoolGroupArgs",
    "UserPoolGroupProvider",
    "UserPoolIdentityProvider",
    "UserPoolIdentityProviderArgs",
    "UserPoolIdentityProviderProvider",
    "UserPoolProvider",
    "UserPoolUser",
    "UserPoolUserArgs",
    "UserPoolUserAttributeTypeArgs",
    "UserPoolUserProvider",
]
