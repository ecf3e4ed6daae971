"""The eight Cloud Control operations. Mutations run synchronously and answer their final ProgressEvent."""

from __future__ import annotations

import json
from typing import Any

from userpools.cloudcontrol import patch, requests
from userpools.cloudcontrol.errors import (
    ConcurrentModificationException,
    GeneralServiceException,
    InvalidRequestException,
    ResourceNotFoundException,
    UnsupportedActionException,
    ValidationException,
)
from userpools.cloudcontrol.requests import Outcome
from userpools.cloudcontrol.resources import HandlerError, ResourceType, lookup
from userpools.protocol.dispatch import Service
from userpools.protocol.model import service_model
from userpools.steps.context import Context


def _json_object(text: str | None, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        raise ValidationException(f"{what} is not valid JSON.") from None
    if not isinstance(value, dict):
        raise ValidationException(f"{what} must be a JSON object.")
    return value


def _ids(resource: ResourceType, identifier: str) -> dict[str, str]:
    ids = resource.schema.parse_identifier(identifier)
    if ids is None:
        raise InvalidRequestException(
            f"Identifier '{identifier}' is not valid for {resource.type_name}: "
            f"expected {resource.schema.describe_identifier()}."
        )
    return ids


def _validated(resource: ResourceType, model: dict[str, Any]) -> None:
    errors = resource.schema.validate(model)
    if errors:
        raise ValidationException(f"Model validation failed ({'; '.join(errors)})")


def _progress(ctx: Context, operation: str, params: dict[str, Any], run: Any) -> dict[str, Any]:
    """Replay a ClientToken retry, or run the handler and record its outcome."""
    print_ = requests.fingerprint(operation, params)
    replayed = requests.replay(ctx, params.get("ClientToken"), print_)
    if replayed is None:
        outcome = run()
        replayed = requests.record(ctx, operation, params["TypeName"], params.get("ClientToken"), print_, outcome)
    return {"ProgressEvent": replayed}


def _read(ctx: Context, resource: ResourceType, ids: dict[str, str]) -> dict[str, Any]:
    return resource.schema.readable(resource.read(ctx, ids))


def create_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    resource = lookup(params["TypeName"])
    desired = _json_object(params["DesiredState"], "DesiredState")
    _validated(resource, desired)
    given = [name for name in resource.schema.read_only if name in desired]
    if given:
        raise InvalidRequestException(f"Read-only properties cannot be set: {', '.join(given)}")

    def run() -> Outcome:
        identifier = resource.schema.identifier_of(desired)
        try:
            ids = resource.create(ctx, desired)
            identifier = resource.schema.identifier_of(ids)
            return Outcome(identifier, _read(ctx, resource, ids))
        except HandlerError as error:
            return Outcome(identifier, None, error.code, error.message)

    return _progress(ctx, "CREATE", params, run)


def get_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    resource = lookup(params["TypeName"])
    ids = _ids(resource, params["Identifier"])
    try:
        model = _read(ctx, resource, ids)
    except HandlerError as error:
        if error.code == "NotFound":
            raise ResourceNotFoundException(
                f"Resource of type '{resource.type_name}' with identifier '{params['Identifier']}' was not found."
            ) from None
        if error.code == "InvalidRequest":
            raise InvalidRequestException(error.message) from None
        raise GeneralServiceException(error.message) from None
    return {
        "TypeName": resource.type_name,
        "ResourceDescription": {"Identifier": params["Identifier"], "Properties": json.dumps(model)},
    }


def update_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    resource = lookup(params["TypeName"])
    ids = _ids(resource, params["Identifier"])
    operations = patch.parse(params["PatchDocument"])

    def run() -> Outcome:
        identifier = params["Identifier"]
        try:
            current = resource.read(ctx, ids)
            try:
                desired = patch.apply(current, operations)
            except patch.PatchError as error:
                return Outcome(identifier, None, "InvalidRequest", str(error))
            schema = resource.schema
            changed = sorted(n for n in patch.touched(operations) if desired.get(n) != current.get(n))
            read_only = [n for n in changed if n in schema.read_only]
            if read_only:
                return Outcome(
                    identifier,
                    None,
                    "InvalidRequest",
                    f"Invalid patch update: readOnlyProperties {_pointers(read_only)} cannot be updated",
                )
            create_only = [n for n in changed if n in schema.create_only]
            if create_only:
                return Outcome(
                    identifier,
                    None,
                    "NotUpdatable",
                    f"Invalid patch update: createOnlyProperties {_pointers(create_only)} cannot be updated",
                )
            errors = schema.validate(desired)
            if errors:
                return Outcome(identifier, None, "InvalidRequest", f"Model validation failed ({'; '.join(errors)})")
            if changed:
                resource.update(ctx, ids, desired)
            return Outcome(identifier, _read(ctx, resource, ids))
        except HandlerError as error:
            return Outcome(identifier, None, error.code, error.message)

    return _progress(ctx, "UPDATE", params, run)


def _pointers(names: list[str]) -> str:
    return "[" + ", ".join(f"/properties/{n}" for n in names) + "]"


def delete_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    resource = lookup(params["TypeName"])
    ids = _ids(resource, params["Identifier"])

    def run() -> Outcome:
        try:
            resource.delete(ctx, ids)
            return Outcome(params["Identifier"])
        except HandlerError as error:
            return Outcome(params["Identifier"], None, error.code, error.message)

    return _progress(ctx, "DELETE", params, run)


def list_resources(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    resource = lookup(params["TypeName"])
    if not resource.schema.handles("list"):
        raise UnsupportedActionException(f"Resource type {resource.type_name} does not support LIST action")
    model = _json_object(params.get("ResourceModel"), "ResourceModel")
    missing = [name for name in resource.schema.list_requires if not model.get(name)]
    if missing:
        raise InvalidRequestException(
            f"Missing Or Invalid ResourceModel property in {resource.type_name} list handler request input. "
            f"Required property: [{', '.join(missing)}]"
        )
    try:
        models, token = resource.list(ctx, model, params.get("NextToken"), params.get("MaxResults", 60))
    except HandlerError as error:
        if error.code == "NotFound":
            raise ResourceNotFoundException(error.message) from None
        raise InvalidRequestException(error.message) from None
    descriptions = [
        {"Identifier": resource.schema.identifier_of(m), "Properties": json.dumps(resource.schema.readable(m))}
        for m in models
    ]
    return {"TypeName": resource.type_name, "ResourceDescriptions": descriptions, "NextToken": token}


def get_resource_request_status(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return {"ProgressEvent": requests.status(ctx, params["RequestToken"])}


def list_resource_requests(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    filters = params.get("ResourceRequestStatusFilter") or {}
    events, token = requests.page(
        ctx,
        params.get("NextToken"),
        params.get("MaxResults", 20),
        filters.get("Operations"),
        filters.get("OperationStatuses"),
    )
    summaries = [{k: v for k, v in e.items() if k != "ResourceModel"} for e in events]
    return {"ResourceRequestStatusSummaries": summaries, "NextToken": token}


def cancel_resource_request(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    found = requests.status(ctx, params["RequestToken"])
    raise ConcurrentModificationException(
        f"Resource request {found['RequestToken']} cannot be cancelled: it is already {found['OperationStatus']}."
    )


HANDLERS = {
    "CreateResource": create_resource,
    "GetResource": get_resource,
    "UpdateResource": update_resource,
    "DeleteResource": delete_resource,
    "ListResources": list_resources,
    "GetResourceRequestStatus": get_resource_request_status,
    "ListResourceRequests": list_resource_requests,
    "CancelResourceRequest": cancel_resource_request,
}


def cloudcontrol_service() -> Service:
    service = Service(service_model("cloudcontrol"), validation_error=ValidationException)
    for name, handler in HANDLERS.items():
        service.register(name, handler)
    return service
