"""Pulumi resources for Cognito user pools, with aws-native's Python API (the seed page):

    from userpools.pulumi import UserPoolUser, UserPoolUserArgs, UserPoolUserAttributeTypeArgs

Needs the ``pulumi`` extra (``pip install 'userpools[pulumi]'``).
"""

from userpools.pulumi.provider import UserPoolUserProvider
from userpools.pulumi.user_pool_user import UserPoolUser, UserPoolUserArgs, UserPoolUserAttributeTypeArgs

__all__ = ["UserPoolUser", "UserPoolUserArgs", "UserPoolUserAttributeTypeArgs", "UserPoolUserProvider"]
