"""Pulumi resources for Cognito user pools, with aws-native's Python API (the seed page):

    from userpools.pulumi import UserPool, UserPoolClient, UserPoolGroup, UserPoolUser

Needs the ``pulumi`` extra (``pip install 'userpools[pulumi]'``).
"""

from userpools.pulumi.provider import (
    CognitoProvider,
    UserPoolClientProvider,
    UserPoolGroupProvider,
    UserPoolProvider,
    UserPoolUserProvider,
)
from userpools.pulumi.user_pool import UserPool, UserPoolArgs
from userpools.pulumi.user_pool_client import UserPoolClient, UserPoolClientArgs
from userpools.pulumi.user_pool_group import UserPoolGroup, UserPoolGroupArgs
from userpools.pulumi.user_pool_user import UserPoolUser, UserPoolUserArgs, UserPoolUserAttributeTypeArgs

__all__ = [
    "CognitoProvider",
    "UserPool",
    "UserPoolArgs",
    "UserPoolClient",
    "UserPoolClientArgs",
    "UserPoolClientProvider",
    "UserPoolGroup",
    "UserPoolGroupArgs",
    "UserPoolGroupProvider",
    "UserPoolProvider",
    "UserPoolUser",
    "UserPoolUserArgs",
    "UserPoolUserAttributeTypeArgs",
    "UserPoolUserProvider",
]
