"""A small Django project that serves django-oauth-toolkit as an OpenID Provider for the
harness (TEST ONLY: loopback, DEBUG off, a lab key). Everything it writes lives in the
lab directory serve.sh names in IH_DOT_LAB; nothing outside it is read or changed.

Where a setting departs from django-oauth-toolkit's default, the reason is beside it:
each one is a deployment choice a team could make, chosen so that the suite tests the
provider's protocol behaviour rather than a different default.
"""
import os
from pathlib import Path

from harness_lab.state import pkce_required

LAB = Path(os.environ["IH_DOT_LAB"])

SECRET_KEY = (LAB / "django-secret").read_text().strip()
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Applies the harness adapter's harness-state.json to the database before a request.
    "harness_lab.state.StateMiddleware",
]
ROOT_URLCONF = "harness_lab.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": LAB / "lab.sqlite3", "OPTIONS": {"timeout": 20}}}
LOGIN_URL = "/accounts/login/"
USE_TZ = True
# Django's own advice for test suites: a fast hasher, since the lab's passwords are test
# fixtures and PBKDF2 at Django's 1,000,000 iterations would dominate every login.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Errors (a 500's traceback) go to django.log in the lab, which the CI stage prints.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": LAB / "django.log"}},
    "loggers": {"django": {"handlers": ["file"], "level": "WARNING", "propagate": False}},
    "root": {"handlers": ["file"], "level": "WARNING"},
}

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (LAB / "oidc.key").read_text(),
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OAUTH2_VALIDATOR_CLASS": "harness_lab.validator.LabValidator",
    # Per client, as the reference server decides it (public clients and pkceMandatory).
    "PKCE_REQUIRED": pkce_required,
    # The reference server's defaults (WSO2's): one hour for access and ID tokens. The
    # toolkit's own are ten hours; lifetimes are configuration, not protocol.
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
    # Consent is asked once, then remembered (CL-4): "auto" skips the authorization form
    # while the person holds a live token of that client for the scopes asked. The
    # toolkit's default, "force", asks at every login.
    "REQUEST_APPROVAL_PROMPT": "auto",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Your profile",
        "email": "Your email address",
        "address": "Your address",
        "phone": "Your phone number",
        "inventory": "The inventory API (a client_credentials scope of the suite)",
    },
}
