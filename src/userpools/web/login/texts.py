"""The pages' words, by ``lang`` (managed login's query parameter); English for anything not translated."""

from __future__ import annotations

EN = {
    "sign_in": "Sign in",
    "sign_in_title": "Sign in to your account",
    "sign_up": "Sign up",
    "sign_up_title": "Create an account",
    "username": "Username",
    "email": "Email",
    "phone_number": "Phone number",
    "password": "Password",
    "new_password": "New password",
    "code": "Code",
    "confirm": "Confirm",
    "confirm_title": "Confirm your account",
    "confirm_sent": "We sent a code to your email or phone. Enter it below.",
    "resend": "Send a new code",
    "forgot": "Forgot your password?",
    "forgot_title": "Reset your password",
    "reset_code": "Send code",
    "reset_title": "Set a new password",
    "reset": "Reset password",
    "new_password_title": "Change your password",
    "new_password_text": "Your temporary password must be replaced before you can sign in.",
    "no_account": "Need an account?",
    "have_account": "Already have an account?",
    "policy": "Password requirements",
    "error_title": "Something went wrong",
    "unsupported_title": "Not supported on managed login yet",
    "next": "Next",
    "choose_title": "Choose how to sign in",
    "signing_in_as": "Signing in as",
    "factor_WEB_AUTHN": "Sign in with a passkey",
    "factor_EMAIL_OTP": "Email me a code",
    "factor_SMS_OTP": "Text me a code",
    "factor_PASSWORD": "Use my password",
    "not_you": "Sign in as someone else",
    "start_over": "Start over",
    "password_title": "Enter your password",
    "code_title": "Enter your code",
    "code_sent": "We sent a code to",
    "totp_text": "Enter the code your authenticator app shows.",
    "passkey_title": "Sign in with your passkey",
    "passkey_button": "Sign in with passkey",
    "passkey_failed": "The passkey did not answer",
    "other_options": "Other sign-in options",
    "select_mfa_title": "Choose how to verify it is you",
    "mfa_SMS_MFA": "Text message",
    "mfa_EMAIL_OTP": "Email",
    "mfa_SOFTWARE_TOKEN_MFA": "Authenticator app",
    "totp_setup_title": "Set up an authenticator app",
    "totp_setup_text": "Add this key to your authenticator app, then enter the code it shows.",
    "secret_key": "Key",
    "open_authenticator": "Open in an authenticator app",
    "passkey_add_title": "Sign in faster with a passkey",
    "passkey_add_text": "A passkey signs you in with your fingerprint, face or screen lock: no password, no code.",
    "passkey_add_button": "Add a passkey",
    "not_now": "Not now",
    "continue": "Continue",
    "password_optional": "Password (optional: you can sign in with a code instead)",
}

TEXTS: dict[str, dict[str, str]] = {
    "en": EN,
    "fr": {
        "sign_in": "Se connecter",
        "sign_in_title": "Connectez-vous à votre compte",
        "sign_up": "S'inscrire",
        "sign_up_title": "Créer un compte",
        "username": "Nom d'utilisateur",
        "password": "Mot de passe",
        "new_password": "Nouveau mot de passe",
        "code": "Code",
        "confirm": "Confirmer",
        "forgot": "Mot de passe oublié ?",
        "no_account": "Pas encore de compte ?",
        "have_account": "Vous avez déjà un compte ?",
    },
    "de": {
        "sign_in": "Anmelden",
        "sign_in_title": "Melden Sie sich bei Ihrem Konto an",
        "sign_up": "Registrieren",
        "username": "Benutzername",
        "password": "Passwort",
        "new_password": "Neues Passwort",
        "code": "Code",
        "confirm": "Bestätigen",
        "forgot": "Passwort vergessen?",
    },
    "es": {
        "sign_in": "Iniciar sesión",
        "sign_up": "Registrarse",
        "username": "Nombre de usuario",
        "password": "Contraseña",
        "forgot": "¿Olvidó su contraseña?",
    },
}


def language(requested: str | None) -> str:
    base = (requested or "en").split("-")[0].lower()
    return base if base in TEXTS else "en"


def words(lang: str) -> dict[str, str]:
    return {**EN, **TEXTS.get(lang, {})}
