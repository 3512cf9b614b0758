"""Django settings for Tuopin, read from the environment.

Every setting a deployment may change is a ``TUOPIN_*`` environment variable with a safe
default, so that a fresh clone runs with no configuration.  A secret may also be given as
``NAME_FILE`` (the path of a file holding it), as container secrets are.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str | None = None) -> str | None:
    """Return ``name`` from the environment, or the contents of the file ``name_FILE`` names."""
    value = os.environ.get(name)
    if value is not None:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return default


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return default if value is None or value.strip() == "" else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("TUOPIN_DEBUG", True)
DATA_DIR = Path(env_str("TUOPIN_DATA_DIR", "var") or "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = env_str("TUOPIN_SECRET_KEY")
    if configured:
        return configured
    if not DEBUG:
        raise RuntimeError(
            "TUOPIN_SECRET_KEY (or TUOPIN_SECRET_KEY_FILE) must be set when TUOPIN_DEBUG is false"
        )
    # Development: generate once and keep it, so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("TUOPIN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("TUOPIN_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": dj_database_url.parse(
        env_str("TUOPIN_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'tuopin.sqlite3'}",
        conn_max_age=env_int("TUOPIN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not memory: the browser tests' live server answers several requests
    # at once (htmx), and threads sharing one in-memory connection trip over each other.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-tuopin.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the page server read while an import writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs: "database" queues them for ``tuopin worker``; "immediate" runs them in
# the calling process (tests, and one-off console use).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[env_str("TUOPIN_TASKS_BACKEND", "database") or "database"],
        "QUEUES": ["default"],
    }
}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "tuopin.core",
    "tuopin.areas",
    "tuopin.accounts",
    "tuopin.policy",
    "tuopin.registry",
    "tuopin.rules",
    "tuopin.analytics",
    "tuopin.assistance",
    "tuopin.monitoring",
    "tuopin.projects",
    "tuopin.linkage",
    "tuopin.supervision",
    "tuopin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tuopin.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tuopin.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "tuopin.urls"
WSGI_APPLICATION = "tuopin.wsgi.application"
ASGI_APPLICATION = "tuopin.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tuopin.navigation.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "areas:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Repeated failed logins lock the account name and the client address for a while.
LOGIN_FAILURE_LIMIT = env_int("TUOPIN_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("TUOPIN_LOGIN_FAILURE_WINDOW", 15 * 60)

# The public self-application pages (no sign-in): submissions and look-ups allowed per
# client address and per ID number within the window, and files a case may hold.
SELF_APPLY_WINDOW_SECONDS = env_int("TUOPIN_SELF_APPLY_WINDOW", 60 * 60)
SELF_APPLY_LIMIT_PER_ADDRESS = env_int("TUOPIN_SELF_APPLY_LIMIT_PER_ADDRESS", 5)
SELF_APPLY_LIMIT_PER_ID = env_int("TUOPIN_SELF_APPLY_LIMIT_PER_ID", 2)
SELF_APPLY_LOOKUP_LIMIT_PER_ADDRESS = env_int("TUOPIN_SELF_APPLY_LOOKUP_LIMIT_PER_ADDRESS", 20)
CASE_SOON_DUE_DAYS = env_int("TUOPIN_CASE_SOON_DUE_DAYS", 3)
CASE_UPLOAD_MAX_BYTES = env_int("TUOPIN_CASE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

# Idle sessions end: every request renews the cookie, silence lets it expire.
SESSION_COOKIE_AGE = env_int("TUOPIN_SESSION_TIMEOUT", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TUOPIN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve straight from the app directories when no collectstatic has run (development, demo).
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "uploads"

# Production hardening; TUOPIN_HTTPS=false is for an intranet that terminates no TLS.
HTTPS = env_bool("TUOPIN_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("TUOPIN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TUOPIN_LOG_LEVEL", "WARNING")},
}

# Department data comparison: probabilistic matches at or above the upper probability are
# accepted, between the two go to review, below are unmatched. The prior that two random
# records match is one over the number of members, but never above 1 / LINKAGE_MIN_POPULATION.
LINKAGE_ACCEPT_PROBABILITY = float(os.environ.get("TUOPIN_LINKAGE_ACCEPT", "0.99"))
LINKAGE_REVIEW_PROBABILITY = float(os.environ.get("TUOPIN_LINKAGE_REVIEW", "0.5"))
LINKAGE_MIN_POPULATION = 10_000
