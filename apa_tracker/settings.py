"""Settings for APA Tracker: one module, everything that differs between machines comes from the environment.

Embedded default (``make run``): SQLite in the project folder, local files under ``var/``.
Production: ``DATABASE_URL`` (PostgreSQL), ``DJANGO_DEBUG=0``, ``DJANGO_SECRET_KEY`` and
``DJANGO_ALLOWED_HOSTS`` set — without them production refuses to start.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Three ways the site runs (DESIGN.md §10). Production: DJANGO_DEBUG=0 said explicitly, with the secret key and
# the allowed hosts it refuses to start without. The embedded product (`make run`, no DJANGO_DEBUG at all): the
# site as users see it — its own error pages, never Django's technical ones — on 127.0.0.1 over plain http,
# with a secret generated once and kept outside the repository. Development (`make dev`, DJANGO_DEBUG=1): the
# same with Django's debug pages, switched on only on purpose.
DEBUG = env_bool("DJANGO_DEBUG", False)
# Whether this process was started as production. Unlike DEBUG, test runners leave it alone; commands that
# must never run on a real site (generate_load_data) ask it.
PRODUCTION = bool(os.environ.get("DJANGO_DEBUG", "").strip()) and not DEBUG
# The embedded setup (the product on one machine, or a developer's): local hosts, plain http, a local secret.
EMBEDDED = not PRODUCTION


def local_secret_key(path: Path) -> str:
    """The embedded setup's secret key: made once (50 random characters) in ``path``, readable by its owner
    only, and read back ever after — sessions survive restarts, and no key is ever committed. Several
    processes starting at once agree: the file is created exclusively and the loser reads the winner's."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    from django.core.management.utils import get_random_secret_key

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(get_random_secret_key())
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = local_secret_key(
        Path(os.environ.get("APA_SECRET_KEY_FILE", BASE_DIR / "var" / "secret_key"))
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if EMBEDDED else [])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "axes",
    "csp",
    "storages",
    "django_tasks",
    "django_tasks_db",
    "base",
    "indicators",
    "evidence",
    "reports",
    "workflow",
    "apa_tracker",
    # Tools the product never runs (generate_load_data, bench): after every product app, imported by none.
    "loadtest",
]

MIDDLEWARE = [
    # First, so that it sees every request end: deletes temporary upload files a failed request left behind.
    "base.uploadhandlers.AbandonedUploadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apa_tracker.middleware.BanglaFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Answers each failed sign-in a little later than the one before, until axes locks (apa_tracker/signin.py).
    "apa_tracker.signin.FailedSignInSlowdownMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "apa_tracker.urls"

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
                "indicators.context_processors.navigation",
                "workflow.context_processors.waiting",
            ],
        },
    },
]

WSGI_APPLICATION = "apa_tracker.wsgi.application"

# SQLite file in the project folder unless DATABASE_URL points elsewhere (PostgreSQL in production and CI).
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends ~20 ms compiling each statement whose estimated cost passes
    # jit_above_cost, and ours are short: on 24,000 offices the national summary's statement fell from 90
    # to 60 ms (Q4) with it off, the page from 118 to 72 ms (BENCHMARKS.md). A DATABASE_URL that sets ?options= keeps its own.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # DESIGN.md §10: several app processes on one SQLite file answer every request without "database is
    # locked" (tests/deploy/test_sqlite_concurrency.py: 2 to 6 of 30 simultaneous saves answered 500 before).
    # - BEGIN IMMEDIATE: a transaction takes the write lock when it starts, waiting for it under the busy
    #   timeout. A deferred one reads first and asks for the lock at its first write; if another process has
    #   written meanwhile SQLite cannot let it wait (its reads are stale) and fails at once, timeout or not.
    #   It also serialises the version checks of the services, for which SQLite ignores select_for_update.
    #   Read-only work inside an atomic block takes the lock too (the admin's change pages, cover_letter_for):
    #   30 admin change pages at once took 0.7 s instead of 0.35 s; pages outside atomic blocks do not wait.
    # - timeout: how long a connection waits for the lock (Python's default is 5 s) before failing.
    # - WAL: readers never wait for the writer nor block it, so pages answer while a save commits.
    #   synchronous stays FULL (each commit is on disk when the user is told so): NORMAL saved nothing
    #   measurable here, and an approval must survive a power cut.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL")
    # Tests on SQLite use a file, not Django's shared in-memory database: the browser tests' live server answers
    # requests on several threads (two users' pages, htmx requests, the report thread), and with an in-memory
    # database they all share one connection, whose transactions then interleave (a save waiting on another
    # thread's open transaction until the timeout). With a file each thread has its own connection, under the
    # same WAL and immediate transactions as the site. pytest-xdist gives each worker its own file.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(BASE_DIR / "var" / "test-db.sqlite3"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id (apa_tracker/passwords.py says why and with which parameters); hashes made by the others, Django's
# earlier defaults, are still accepted and re-stored with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "apa_tracker.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "apa_tracker.passwords.BanglaMinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("APA_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "bn"
LANGUAGES = [("bn", _("বাংলা")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["base.formats"]  # d/m/Y dates, 12,34,567.50 grouping (base/formats/)
TIME_ZONE = "Asia/Dhaka"
USE_I18N = True
USE_TZ = True

# Sign-in (issue 5). django-axes counts failed sign-ins per user name and address; after
# AXES_FAILURE_LIMIT failures the pair is locked for AXES_COOLOFF_TIME hours (the lockout page, HTTP 429).
# Before that each failure is answered later than the one before (apa_tracker/signin.py): 0.25 s, 0.5 s,
# 1 s … up to APA_LOGIN_SLOWDOWN_MAX_SECONDS (0 turns the slowing off), on every sign-in form, the
# admin's too. Every successful sign-in resets the count. Sessions end after SESSION_COOKIE_AGE seconds
# (default 8 hours, one working day) and when the browser closes; a password change ends every other
# session of that user (Django's session hash) while keeping the one that changed it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("APA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("APA_LOGIN_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address axes counts by. Behind APA_PROXY_COUNT trusted reverse proxies (load balancer …) REMOTE_ADDR is a
# proxy's, so the client is read from X-Forwarded-For instead (apa_tracker/signin.py; django-ipware, which
# axes' own AXES_IPWARE_* settings need, is not installed).
APA_PROXY_COUNT = int(os.environ.get("APA_PROXY_COUNT", "0"))
# The addresses of those proxies (comma-separated): X-Forwarded-For is believed only from them. Empty: from
# any address (only where the app servers cannot be reached except through the proxies).
APA_TRUSTED_PROXIES = env_list("APA_TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "apa_tracker.signin.client_ip_address"
APA_LOGIN_SLOWDOWN_MAX_SECONDS = float(os.environ.get("APA_LOGIN_SLOWDOWN_MAX_SECONDS", "2"))
SESSION_COOKIE_AGE = int(os.environ.get("APA_SESSION_SECONDS", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Transport and browser protections. Off in the embedded setup (plain http on 127.0.0.1), on in
# production; each can be set explicitly.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
# The load balancer probes /healthz over plain HTTP on the app server's own port: answer it, not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if EMBEDDED else str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (say so with DJANGO_BEHIND_TLS_PROXY=1).
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Uploads larger than this are streamed to a temporary file instead of memory; no file larger than the
# largest accepted upload is kept at all, on any address (base/uploadhandlers.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The plan editor posts the whole plan (about 16 fields an indicator, at most 300 indicators,
# workflow/plan_editor.py); Django's default of 1,000 fields would refuse a plan of 60 indicators.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 6000
FILE_UPLOAD_HANDLERS = [
    "base.uploadhandlers.SiteUploadLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Content-Security-Policy: only our own scripts, styles, fonts and images; no inline code, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
# whitenoise serves from the app folders as well, so a server started without `collectstatic` still has them.
WHITENOISE_USE_FINDERS = True

# Evidence and generated reports are private: stored outside the web root and served only through
# permission-checked views, never by MEDIA_URL. Where they live is chosen by APA_STORAGE (docs/storage.md).
PRIVATE_FILES_ROOT = Path(os.environ.get("APA_PRIVATE_FILES_ROOT", BASE_DIR / "var" / "private"))


def private_files_storage(environ, *, local_root: Path) -> dict:
    """The ``STORAGES["default"]`` entry for evidence and approved reports, from the environment.

    ``APA_STORAGE=local`` (the default): files under ``local_root``. ``APA_STORAGE=s3``: S3-compatible
    object storage (AWS S3, MinIO, …) through django-storages, configured by ``APA_S3_BUCKET`` (required),
    ``APA_S3_ENDPOINT_URL`` (not for AWS itself), ``APA_S3_REGION``, ``APA_S3_PREFIX`` and
    ``APA_S3_ADDRESSING_STYLE`` (``path`` for most MinIO set-ups); credentials come from
    ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` or boto3's usual chain (instance role, profile).
    The bucket is private: objects are written without an ACL and read back only by the application.
    """
    kind = (environ.get("APA_STORAGE") or "local").strip().lower()
    if kind == "local":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": local_root, "base_url": None},
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"APA_STORAGE must be 'local' or 's3', not {kind!r}.")
    bucket = (environ.get("APA_S3_BUCKET") or "").strip()
    if not bucket:
        raise ImproperlyConfigured("APA_S3_BUCKET must be set when APA_STORAGE=s3.")
    addressing_style = (environ.get("APA_S3_ADDRESSING_STYLE") or "").strip().lower() or None
    if addressing_style not in (None, "auto", "path", "virtual"):
        raise ImproperlyConfigured(
            f"APA_S3_ADDRESSING_STYLE must be 'auto', 'path' or 'virtual', not {addressing_style!r}."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": (environ.get("APA_S3_ENDPOINT_URL") or "").strip() or None,
            "region_name": (environ.get("APA_S3_REGION") or "").strip() or None,
            "addressing_style": addressing_style,
            "location": (environ.get("APA_S3_PREFIX") or "").strip().strip("/"),
            # No ACL on upload: objects stay as private as the bucket (never "public-read").
            "default_acl": None,
            # Random evidence names never collide; a report name that exists gets a suffix, never replaced.
            "file_overwrite": False,
            # Should a URL ever be made, it is signed and expires; the views never make one.
            "querystring_auth": True,
            # A file read back (download, report annex) is spooled to disk beyond this size, not kept in memory.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
        },
    }


STORAGES = {
    "default": private_files_storage(os.environ, local_root=PRIVATE_FILES_ROOT),
    # Static files are served by the app itself through whitenoise; in production with hashed, compressed
    # names (needs `collectstatic`).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("APA_STATIC_MANIFEST", PRODUCTION)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The digital signature of approved reports (reports/signing.py, DESIGN.md §6, docs/signing.md): "demo" (the
# embedded default) makes a demo certificate authority and a certificate per office under
# APA_SIGNING_DIR (var/signing: outside the repository, the database and its backups); "pkcs12"
# (production's default) signs with APA_SIGNING_PKCS12_DIR/<office code>.p12 and validates against the
# certificates of APA_SIGNING_TRUST_ROOTS (a PEM file); "off" leaves approved copies unsigned.
REPORT_SIGNING = os.environ.get("APA_SIGNING", "pkcs12" if PRODUCTION else "demo").strip().lower()
if REPORT_SIGNING not in {"demo", "pkcs12", "off"}:
    raise ImproperlyConfigured(f"APA_SIGNING must be demo, pkcs12 or off, not {REPORT_SIGNING!r}.")
REPORT_SIGNING_DIR = Path(os.environ.get("APA_SIGNING_DIR", BASE_DIR / "var" / "signing"))
REPORT_SIGNING_PKCS12_DIR = os.environ.get("APA_SIGNING_PKCS12_DIR", "")
REPORT_SIGNING_TRUST_ROOTS = os.environ.get("APA_SIGNING_TRUST_ROOTS", "")

# Evidence upload limit in bytes (DESIGN.md §5: default 20 MB), and the largest picture accepted, in pixels
# (Pillow decodes all of them into memory: 50 million is a 600 dpi A4 scan with room to spare).
EVIDENCE_MAX_BYTES = int(os.environ.get("APA_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
# Files in one evidence upload (several at once, each checked on its own); the site-wide upload ceiling
# (base.uploadhandlers.SiteUploadLimit) keeps at most 10.
EVIDENCE_MAX_FILES = int(os.environ.get("APA_EVIDENCE_MAX_FILES", "10"))
EVIDENCE_MAX_PIXELS = int(os.environ.get("APA_EVIDENCE_MAX_PIXELS", str(50_000_000)))
# Plan, progress and office sheets (CSV/XLSX, DESIGN.md §7), in the admin and on the command line.
SHEET_MAX_BYTES = int(os.environ.get("APA_SHEET_MAX_BYTES", str(5 * 1024 * 1024)))

# How report rendering jobs run (reports/jobs.py): "thread" in the embedded setup (the browser polls the
# progress), "inline" at once in the caller, "worker" queued for `manage.py report_worker`.
REPORT_JOBS_MODE = os.environ.get("APA_REPORT_JOBS", "thread")
if REPORT_JOBS_MODE not in {"thread", "inline", "worker"}:
    raise ImproperlyConfigured(f"APA_REPORT_JOBS must be thread, inline or worker, not {REPORT_JOBS_MODE!r}.")
# A job still running this many minutes after it started is taken for dead and marked failed (jobs.py).
REPORT_JOB_STALE_MINUTES = int(os.environ.get("APA_REPORT_JOB_STALE_MINUTES", "30"))

# Django's task framework (django-tasks). The queue is a table of our own database (SQLite or PostgreSQL:
# no extra server); `manage.py report_worker` runs what is queued. Only "worker" mode queues anything
# (reports.jobs.job_start decides), so the backend is the database one whatever the mode: "worker" then
# always means "queued for a worker", also when the mode is switched at run time (the tests do).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Mail (DESIGN.md §10): Django's mail, every setting from the environment. The embedded default writes each
# mail to the console, or as a file into EMAIL_FILE_PATH when that is set; production names an SMTP server.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if EMAIL_FILE_PATH
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "APA Tracker <apa-tracker@localhost>")
# The site's address as people reach it, for the links in mails (no request is at hand in a command).
SITE_URL = os.environ.get("APA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# send_reminders mails about deadlines at most this many days ahead (and every day once passed).
REMINDER_DAYS = int(os.environ.get("APA_REMINDER_DAYS", "7"))

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
