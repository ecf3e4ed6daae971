"""Cloud Control's error codes (botocore cloudcontrol model), one class each."""

from __future__ import annotations

from userpools.errors import ServiceError


class ValidationException(ServiceError):
    pass


class TypeNotFoundException(ServiceError):
    pass


class ResourceNotFoundException(ServiceError):
    pass


class InvalidRequestException(ServiceError):
    pass


class UnsupportedActionException(ServiceError):
    pass


class RequestTokenNotFoundException(ServiceError):
    pass


class ClientTokenConflictException(ServiceError):
    pass


class ConcurrentModificationException(ServiceError):
    pass


class GeneralServiceException(ServiceError):
    pass


class AlreadyExistsException(ServiceError):
    pass


class ThrottlingException(ServiceError):
    pass


class ServiceInternalErrorException(ServiceError):
    status = 500
