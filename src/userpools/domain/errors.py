"""Cognito's error codes, one class each, named exactly as the service names them."""

from __future__ import annotations

from userpools.errors import ServiceError


class InvalidParameterException(ServiceError):
    pass


class ResourceNotFoundException(ServiceError):
    pass


class UserNotFoundException(ServiceError):
    pass


class UsernameExistsException(ServiceError):
    pass


class AliasExistsException(ServiceError):
    pass


class InvalidPasswordException(ServiceError):
    pass


class NotAuthorizedException(ServiceError):
    pass


class UnsupportedUserStateException(ServiceError):
    pass


class UserNotConfirmedException(ServiceError):
    pass


class PasswordResetRequiredException(ServiceError):
    pass


class CodeMismatchException(ServiceError):
    pass


class ExpiredCodeException(ServiceError):
    pass


class LimitExceededException(ServiceError):
    pass


class TooManyRequestsException(ServiceError):
    pass


class TooManyFailedAttemptsException(ServiceError):
    pass


class GroupExistsException(ServiceError):
    pass


class CodeDeliveryFailureException(ServiceError):
    pass


class UserLambdaValidationException(ServiceError):
    pass


class UnexpectedLambdaException(ServiceError):
    pass


class InvalidLambdaResponseException(ServiceError):
    pass


class InvalidUserPoolConfigurationException(ServiceError):
    pass


class OperationNotEnabledException(ServiceError):
    pass


class PreconditionNotMetException(ServiceError):
    pass


class ConcurrentModificationException(ServiceError):
    pass


class UnauthorizedException(ServiceError):
    pass


class UnsupportedOperationException(ServiceError):
    pass


class UnsupportedTokenTypeException(ServiceError):
    pass


class InternalErrorException(ServiceError):
    status = 500


class EnableSoftwareTokenMFAException(ServiceError):
    pass


class SoftwareTokenMFANotFoundException(ServiceError):
    pass


class FeatureUnavailableInTierException(ServiceError):
    pass


class ServiceQuotaExceededException(ServiceError):
    pass


class DeviceKeyExistsException(ServiceError):
    pass


class ScopeDoesNotExistException(ServiceError):
    pass


class InvalidOAuthFlowException(ServiceError):
    pass


class ManagedLoginBrandingExistsException(ServiceError):
    pass


class UserPoolAddOnNotEnabledException(ServiceError):
    pass


class DuplicateProviderException(ServiceError):
    pass


class TermsExistsException(ServiceError):
    pass


class ForbiddenException(ServiceError):
    pass


class WebAuthnNotEnabledException(ServiceError):
    pass


class WebAuthnConfigurationMissingException(ServiceError):
    pass


class WebAuthnChallengeNotFoundException(ServiceError):
    pass


class WebAuthnRelyingPartyMismatchException(ServiceError):
    pass


class WebAuthnClientMismatchException(ServiceError):
    pass


class WebAuthnOriginNotAllowedException(ServiceError):
    pass


class WebAuthnCredentialNotSupportedException(ServiceError):
    pass


class CachedCIMDURLDoesNotExistException(ServiceError):
    pass
