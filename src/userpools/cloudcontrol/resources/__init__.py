"""The resource types Cloud Control serves, by CloudFormation type name."""

from __future__ import annotations

from userpools.cloudcontrol.errors import TypeNotFoundException, UnsupportedActionException
from userpools.cloudcontrol.resources.base import HandlerError, ResourceType
from userpools.cloudcontrol.resources.cimd_policy import CIMDPolicy
from userpools.cloudcontrol.resources.user_pool import UserPool
from userpools.cloudcontrol.resources.user_pool_client import UserPoolClient
from userpools.cloudcontrol.resources.user_pool_domain import UserPoolDomain
from userpools.cloudcontrol.resources.user_pool_group import UserPoolGroup
from userpools.cloudcontrol.resources.user_pool_identity_provider import UserPoolIdentityProvider
from userpools.cloudcontrol.resources.user_pool_resource_server import UserPoolResourceServer
from userpools.cloudcontrol.resources.user_pool_risk_configuration_attachment import UserPoolRiskConfigurationAttachment
from userpools.cloudcontrol.resources.user_pool_user import UserPoolUser
from userpools.cloudcontrol.resources.user_to_group_attachment import UserPoolUserToGroupAttachment

TYPES: dict[str, ResourceType] = {
    t.type_name: t
    for t in (
        UserPool(),
        UserPoolClient(),
        UserPoolGroup(),
        UserPoolUser(),
        UserPoolUserToGroupAttachment(),
        UserPoolDomain(),
        UserPoolResourceServer(),
        UserPoolIdentityProvider(),
        UserPoolRiskConfigurationAttachment(),
        CIMDPolicy(),
    )
}


def lookup(type_name: str) -> ResourceType:
    resource = TYPES.get(type_name)
    if resource is None:
        raise TypeNotFoundException(
            f"The type '{type_name}' cannot be found. Supported types: {', '.join(sorted(TYPES))}."
        )
    if not resource.available():
        raise UnsupportedActionException(f"Resource type {type_name} is not available on this server yet.")
    return resource


__all__ = ["TYPES", "HandlerError", "ResourceType", "lookup"]
