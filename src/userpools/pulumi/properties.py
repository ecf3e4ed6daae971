"""Each Pulumi resource's input properties (Pulumi name -> the Cognito parameter it is) and
output properties. Written by ``python -m userpools.pulumi.generate`` from the Cloud Control schemas;
do not edit."""

USER_POOL_FIELDS = {
    "userPoolName": "PoolName",
    "policies": "Policies",
    "accountRecoverySetting": "AccountRecoverySetting",
    "adminCreateUserConfig": "AdminCreateUserConfig",
    "aliasAttributes": "AliasAttributes",
    "usernameAttributes": "UsernameAttributes",
    "autoVerifiedAttributes": "AutoVerifiedAttributes",
    "deviceConfiguration": "DeviceConfiguration",
    "emailConfiguration": "EmailConfiguration",
    "emailVerificationMessage": "EmailVerificationMessage",
    "emailVerificationSubject": "EmailVerificationSubject",
    "deletionProtection": "DeletionProtection",
    "lambdaConfig": "LambdaConfig",
    "mfaConfiguration": "MfaConfiguration",
    "smsAuthenticationMessage": "SmsAuthenticationMessage",
    "smsConfiguration": "SmsConfiguration",
    "smsVerificationMessage": "SmsVerificationMessage",
    "schema": "Schema",
    "usernameConfiguration": "UsernameConfiguration",
    "userAttributeUpdateSettings": "UserAttributeUpdateSettings",
    "userPoolTags": "UserPoolTags",
    "verificationMessageTemplate": "VerificationMessageTemplate",
    "userPoolAddOns": "UserPoolAddOns",
    "userPoolTier": "UserPoolTier",
}
USER_POOL_OUTPUTS: tuple[str, ...] = (
    "providerName",
    "providerUrl",
    "arn",
    "userPoolId",
)

USER_POOL_CLIENT_FIELDS = {
    "userPoolId": "UserPoolId",
    "clientName": "ClientName",
    "explicitAuthFlows": "ExplicitAuthFlows",
    "generateSecret": "GenerateSecret",
    "readAttributes": "ReadAttributes",
    "authSessionValidity": "AuthSessionValidity",
    "refreshTokenValidity": "RefreshTokenValidity",
    "accessTokenValidity": "AccessTokenValidity",
    "idTokenValidity": "IdTokenValidity",
    "tokenValidityUnits": "TokenValidityUnits",
    "writeAttributes": "WriteAttributes",
    "allowedOAuthFlows": "AllowedOAuthFlows",
    "allowedOAuthFlowsUserPoolClient": "AllowedOAuthFlowsUserPoolClient",
    "allowedOAuthScopes": "AllowedOAuthScopes",
    "callbackUrls": "CallbackURLs",
    "defaultRedirectUri": "DefaultRedirectURI",
    "logoutUrls": "LogoutURLs",
    "supportedIdentityProviders": "SupportedIdentityProviders",
    "analyticsConfiguration": "AnalyticsConfiguration",
    "preventUserExistenceErrors": "PreventUserExistenceErrors",
    "enableTokenRevocation": "EnableTokenRevocation",
    "enablePropagateAdditionalUserContextData": "EnablePropagateAdditionalUserContextData",
    "refreshTokenRotation": "RefreshTokenRotation",
}
USER_POOL_CLIENT_OUTPUTS: tuple[str, ...] = (
    "name",
    "clientSecret",
    "clientId",
)

USER_POOL_GROUP_FIELDS = {
    "userPoolId": "UserPoolId",
    "description": "Description",
    "groupName": "GroupName",
    "precedence": "Precedence",
    "roleArn": "RoleArn",
}
USER_POOL_GROUP_OUTPUTS: tuple[str, ...] = ()

USER_POOL_IDENTITY_PROVIDER_FIELDS = {
    "userPoolId": "UserPoolId",
    "providerName": "ProviderName",
    "providerType": "ProviderType",
    "providerDetails": "ProviderDetails",
    "attributeMapping": "AttributeMapping",
    "idpIdentifiers": "IdpIdentifiers",
}
USER_POOL_IDENTITY_PROVIDER_OUTPUTS: tuple[str, ...] = ()

USER_POOL_USER_FIELDS = {
    "userPoolId": "UserPoolId",
    "desiredDeliveryMediums": "DesiredDeliveryMediums",
    "forceAliasCreation": "ForceAliasCreation",
    "userAttributes": "UserAttributes",
    "messageAction": "MessageAction",
    "username": "Username",
    "validationData": "ValidationData",
    "clientMetadata": "ClientMetadata",
}
USER_POOL_USER_OUTPUTS: tuple[str, ...] = ()

CIMD_POLICY_FIELDS = {
    "userPoolId": "UserPoolId",
    "clientId": "ClientId",
    "policyName": "PolicyName",
    "urlPatterns": "URLPatterns",
    "cacheDuration": "CacheDuration",
}
CIMD_POLICY_OUTPUTS: tuple[str, ...] = ("cimdPolicyId",)
