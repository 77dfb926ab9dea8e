"""Settings for the INPUD portal.

Every value comes from the environment (or an optional `.env` file) with a default
that runs a working demo: SQLite, Celery tasks run eagerly in-process, email to the
console. Setting DATABASE_URL, REDIS_URL and EMAIL_URL gives the production profile.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")


def envbool(name: str, default: bool) -> bool:
    """Read a strict boolean: anything but true/false (any case) or 1/0 is a mistake."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


DEBUG = envbool("DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # allauth's MFA templates use naturaltime.
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "inpud_portal",
    "members",
    "governance",
    "publications",
    "pages",
    "network",
    "advocacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "inpud_portal.security_headers.SecurityHeadersMiddleware",
    # Above the session and CSRF middleware: it sees the cookies they set.
    "inpud_portal.private_responses.PrivateResponsesMiddleware",
    # Before anything reads the request: a NUL or a lone surrogate answers 400 here.
    "inpud_portal.unsafe_input.RejectUnsafeInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "inpud_portal.urls"
WSGI_APPLICATION = "inpud_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # A new PostgreSQL connection per request costs several times the throughput.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker and result backend -------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "inpud_portal.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="inpud"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous visitors get the public pages from this cache
# (inpud_portal/page_cache.py); any content change drops them at once, and this is
# the most any page can lag behind changes no save reports. 0 turns it off. Off by
# default without Redis: a cache in each process would not hear of changes saved
# through another.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300 if REDIS_URL else 0)
# A search is one of very many pages, each read by few: kept for less time.
PUBLIC_SEARCH_CACHE_SECONDS = env.int("PUBLIC_SEARCH_CACHE_SECONDS", default=60)
# What anonymous pages tell the caches on the way (Cache-Control): browsers keep a
# page for PUBLIC_PAGE_MAX_AGE, a proxy or CDN for PUBLIC_PAGE_SHARED_MAX_AGE, and
# either may serve it PUBLIC_PAGE_STALE_SECONDS longer while it asks again. None of
# them hears of an edit: these bound how long a visitor may see the page before it.
PUBLIC_PAGE_MAX_AGE = env.int("PUBLIC_PAGE_MAX_AGE", default=60)
PUBLIC_PAGE_SHARED_MAX_AGE = env.int("PUBLIC_PAGE_SHARED_MAX_AGE", default=120)
PUBLIC_PAGE_STALE_SECONDS = env.int("PUBLIC_PAGE_STALE_SECONDS", default=60)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Longer than the hard time limit, so a slow task is never redelivered while running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # Elections open and close at their scheduled times, to the minute.
    "advance-elections": {"task": "governance.tasks.advance_elections", "schedule": 60.0},
    "remind-voters": {"task": "governance.tasks.remind_voters", "schedule": 15 * 60.0},
    # One digest of the papers added to a meeting, once uploads have been quiet a while.
    "announce-meeting-papers": {
        "task": "governance.tasks.announce_meeting_papers",
        "schedule": 5 * 60.0,
    },
    # Roles end by date: access given by a role that has ended is withdrawn.
    "sync-access": {"task": "members.tasks.sync_access", "schedule": 15 * 60.0},
    "start-due-mailings": {"task": "publications.tasks.start_due_mailings", "schedule": 60.0},
    "resume-stalled-mailings": {
        "task": "publications.tasks.resume_stalled_mailings",
        "schedule": 5 * 60.0,
    },
    # Rows a dead worker held go back to the queue once their lease ends (20 s).
    "sweep-outbox": {"task": "inpud_portal.tasks.sweep_outbox", "schedule": 20.0},
    "purge-outbox": {"task": "inpud_portal.tasks.purge_outbox", "schedule": 24 * 3600.0},
    # Consultations open, remind and close on time.
    "advance-consultations": {"task": "network.tasks.advance_consultations", "schedule": 60.0},
    # What the beat healthcheck reads (inpud_portal/beat_heartbeat.py).
    "beat-heartbeat": {
        "task": "inpud_portal.tasks.beat_heartbeat",
        "schedule": float(env.int("BEAT_HEARTBEAT_SECONDS", default=30)),
    },
}
# Beat counts as stopped once its heartbeat is older than this: several missed beats,
# so a busy worker queue does not make a healthy beat look dead.
BEAT_HEARTBEAT_MAX_AGE = env.int("BEAT_HEARTBEAT_MAX_AGE", default=180)
# --- Backups (inpud_portal/backup.py; README "Backups") -----------------------------
# Archives are encrypted to these age public keys (comma-separated); the private
# keys stay off the server, so whoever takes the server cannot read old backups.
BACKUP_RECIPIENTS = env.list("BACKUP_RECIPIENTS", default=[])
BACKUP_DIR = env.str("BACKUP_DIR", default="")
# The N newest archives in BACKUP_DIR are kept; older ones are deleted after each backup.
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
# "files": media files inside the archive; "manifest": only their names, sizes and
# hashes; "auto": files from a local folder, a manifest from object storage.
BACKUP_MEDIA = env.str("BACKUP_MEDIA", default="auto")
BACKUP_HOUR_UTC = env.int("BACKUP_HOUR_UTC", default=2)
# Where pg_dump/pg_restore of the server's version live, if not found on their own.
BACKUP_PG_BIN_DIR = env.str("BACKUP_PG_BIN_DIR", default="")
if BACKUP_DIR and BACKUP_RECIPIENTS:
    CELERY_BEAT_SCHEDULE["nightly-backup"] = {
        "task": "inpud_portal.tasks.backup_nightly",
        "schedule": crontab(hour=BACKUP_HOUR_UTC, minute=15),
    }
# Email waits in its own queue, so a large mailing never delays an election notice
# behind it or the other way round.
CELERY_TASK_ROUTES = {
    "inpud_portal.tasks.send_outbox": {"queue": "mail"},
    "inpud_portal.tasks.sweep_outbox": {"queue": "mail"},
}
# Messages per second, across all workers together (see inpud_portal/mail_rate.py).
MAIL_RATE_PER_SECOND = env.int("MAIL_RATE_PER_SECOND", default=20)
# Deliveries per send task: small enough that several workers share a mailing, large
# enough that each task reuses its SMTP connection for many messages.
MAIL_BATCH_SIZE = env.int("MAIL_BATCH_SIZE", default=200)
# Send tasks started for a mailing (or after a worker restart): at least the number
# of worker processes that should share the sending.
MAIL_SENDERS = env.int("MAIL_SENDERS", default=4)
# Days the outbox keeps the rows of finished messages (kind, template, ids, status:
# bodies are gone once sent), so staff can answer "did this person get it?".
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=180)
# Shared secret the mail provider sends with bounce and complaint reports (/mail/bounces).
BOUNCE_WEBHOOK_TOKEN = env.str("BOUNCE_WEBHOOK_TOKEN", default="")
# Days a subscription-management link (preferences, download, erasure) works; an
# expired one offers to email a fresh link. Unsubscribe links never expire.
SUBSCRIPTION_MANAGE_LINK_DAYS = env.int("SUBSCRIPTION_MANAGE_LINK_DAYS", default=30)
# Upload limit for publication files, checked before the file is buffered.
PUBLICATION_MAX_UPLOAD_BYTES = env.int("PUBLICATION_MAX_UPLOAD_BYTES", default=100 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    # Stops an oversized upload as it arrives, before it is buffered anywhere.
    "publications.upload_handlers.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Email -------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="INPUD portal <portal@inpud.net>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP server may stay silent: a hung server fails the message (and it is
# retried) instead of holding a worker until Celery's hard time limit kills it.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Authentication ------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"

ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# One address per account, changed by proving the new one with a code: allauth only
# lets an account protected by MFA change its email this way.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[INPUD] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Per client address (a keyed hash of it, see inpud_portal/rate_limit_keys.py):
# a General Meeting puts 150 or more delegates behind one venue address, all
# logging in within minutes and some mistyping, so the allowances are per 10
# minutes and sized for that. Guessing one account's password is limited per
# account, whatever the address: members/login_throttle.py.
ACCOUNT_RATE_LIMITS = {"login": "400/10m/ip", "login_failed": "100/10m/ip"}
# Past this many failures in a row on one account (password, or second factor),
# each attempt waits a delay that doubles from the first up to the ceiling; the
# owner is emailed. Never a lockout: the owner waits at most the ceiling.
LOGIN_FAILURES_BEFORE_DELAY = env.int("LOGIN_FAILURES_BEFORE_DELAY", default=5)
LOGIN_DELAY_FIRST_SECONDS = env.int("LOGIN_DELAY_FIRST_SECONDS", default=15)
LOGIN_DELAY_MAX_SECONDS = env.int("LOGIN_DELAY_MAX_SECONDS", default=15 * 60)
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

MFA_ADAPTER = "members.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "INPUD portal"
MFA_FORMS = {
    "authenticate": "members.mfa_forms.ThrottledAuthenticateForm",
    "reauthenticate": "members.mfa_forms.ThrottledReauthenticateForm",
    "activate_totp": "members.mfa_forms.StableSecretActivateTOTPForm",
}

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# What Django's own locale formats leave out (the Arabic date-time), per language.
FORMAT_MODULE_PATH = ["inpud_portal.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# English first, then any translation that exists: a record written only in French
# still shows (marked lang="fr") on every page, in the admin and in exports.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr", "es", "ru", "ar", "pt")
# modeltranslation's admin tabs load jQuery UI from a CDN unless told otherwise.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
COUNTRIES_FIRST_REPEAT = False

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# With a bucket, uploads (publication files, covers, photos, meeting papers) live in
# S3-compatible object storage, so any number of web servers share them and none
# keeps state on its disk. Credentials come the usual boto3 way (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, or the machine's role).
S3_BUCKET = env.str("S3_BUCKET", default="")
# Seconds a signed storage address stays valid (MEDIA_REDIRECT below).
S3_URL_SECONDS = env.int("S3_URL_SECONDS", default=60)
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # MinIO, or any S3-compatible service; empty means AWS itself.
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # MinIO and most self-hosted services want path-style addresses.
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
            "signature_version": "s3v4",
            # Nothing is ever readable without the portal: every file is served by a
            # view that first checks who may see it.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": S3_URL_SECONDS,
            # A new upload never replaces another file that has the same name.
            "file_overwrite": False,
        },
    }
# Where the views send a reader once they have checked the file may be shown: false
# streams it through the web server (the storage need not be reachable by readers);
# true answers with a redirect to a signed storage address valid S3_URL_SECONDS.
MEDIA_REDIRECT = envbool("MEDIA_REDIRECT", False)

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
if env.int("TRUSTED_PROXY_COUNT", default=0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
