"""botocore's service models, loaded once per process."""

from __future__ import annotations

from functools import cache

import botocore.session
from botocore.model import OperationModel, ServiceModel


@cache
def service_model(name: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(name)


def requires_iam(operation: OperationModel) -> bool:
    """True for operations AWS signs with SigV4; False for the public (client-side) ones."""
    auth = getattr(operation, "auth", None)
    if auth:
        return "smithy.api#noAuth" not in auth
    return bool(operation.auth_type != "none")
