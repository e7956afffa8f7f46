"""One settings module, read from the environment.

Unset variables give the embedded default: SQLite in the project directory and Celery tasks
run in-process. Production sets DATABASE_URL, CELERY_BROKER_URL, DJANGO_SECRET_KEY,
DJANGO_DEBUG=0 and DJANGO_ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-change-me-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "cells",
    "assessments",
    "plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cells.security.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cells.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cells.middleware.UploadLimitMiddleware",
    "cells.security.middleware.SessionLimitMiddleware",
    "cells.security.middleware.TwoFactorMiddleware",
    "cells.security.middleware.DownloadLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "cells.middleware.AuditActorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vanlang.urls"
WSGI_APPLICATION = "vanlang.wsgi.application"

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
                "cells.context_processors.scope",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: a paged list over a national scope (ORDER BY ... LIMIT on an index walk)
    # has a large estimated cost and small actual one, and PostgreSQL spent ~0.4 s compiling such
    # a plan that runs in 0.1 s (bench/README.md). DATABASE_JIT=1 turns it back on.
    if os.environ.get("DATABASE_JIT", "0") != "1":
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests and the in-process tasks share the file: wait rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# grant_role --password and the password change page run the same validators.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins, counted separately per user name (five tries) and per client address across
# user names (password spraying), then a 15-minute wait that lifts by itself. See
# cells/security/lockout.py.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
VANLANG_ADDRESS_FAILURE_LIMIT = int(os.environ.get("VANLANG_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "cells.security.lockout.LockoutHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The client's address: REMOTE_ADDR, unless the application runs behind a proxy that sets this
# header to the address it saw (e.g. X-Real-IP, or X-Forwarded-For whose last entry is used).
# Only set it behind such a proxy: otherwise any client could choose its own address.
VANLANG_TRUSTED_PROXY_HEADER = os.environ.get("VANLANG_TRUSTED_PROXY_HEADER", "").strip()
AXES_CLIENT_IP_CALLABLE = "cells.security.events.client_ip"

# Two-factor sign-in (authenticator app, recovery codes): required for staff, standing-committee
# members, auditors and the admin site when on; a user who set it up is always asked for a code.
VANLANG_TWO_FACTOR = env_bool("VANLANG_TWO_FACTOR", not DEBUG)
OTP_TOTP_ISSUER = "Vanlang"
VANLANG_RECOVERY_CODES = 10

# Sessions end after 30 minutes without a request and 12 hours after signing in, whatever happens
# (cells/security/sessions.py renews an active session once a minute, not on every request).
SESSION_COOKIE_AGE = int(os.environ.get("VANLANG_SESSION_IDLE_MINUTES", "30")) * 60
VANLANG_SESSION_MAX_HOURS = float(os.environ.get("VANLANG_SESSION_MAX_HOURS", "12"))

LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# dd/mm/yyyy everywhere, in both languages (vanlang/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["vanlang.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads: a file over 5 MB waits on disk, not in memory; no request may carry more than
# VANLANG_MAX_UPLOAD_MB (cells.middleware.UploadLimitMiddleware answers 413 before reading it).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
VANLANG_MAX_UPLOAD_MB = int(os.environ.get("VANLANG_MAX_UPLOAD_MB", "100"))
# What the parts of an uploaded workbook may expand to before openpyxl opens it (cells.uploads).
VANLANG_MAX_WORKBOOK_EXPANDED_MB = int(os.environ.get("VANLANG_MAX_WORKBOOK_EXPANDED_MB", "256"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "vanlang@localhost")
# With DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend: the mail server.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))
# A reminder whose send failed is tried again after this many seconds (kept below the broker's
# visibility timeout); the reminder tasks record "sent" per recipient, so nobody gets it twice.
VANLANG_REMINDER_RETRY_SECONDS = int(os.environ.get("VANLANG_REMINDER_RETRY_SECONDS", str(10 * 60)))

# Celery: with no broker configured, tasks run in the calling process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# No task runs longer than this (a task may set a lower limit); the broker's visibility timeout
# stays above it, so a message is handed to another worker only once its first worker is surely
# gone. Background runs (cells/runs.py) do not wait for that: the sweep takes them over sooner.
CELERY_TASK_TIME_LIMIT = 14 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 13 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A request that queues work must answer within 2 s when the broker is down: connect with a short
# timeout and do not retry the publish (the run stays queued in the database; the sweep sends it).
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("VANLANG_BROKER_CONNECT_TIMEOUT", "1"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("VANLANG_BROKER_VISIBILITY_TIMEOUT", str(15 * 60))),
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The sweep of background runs (celery beat, every minute, see cells/runs.py): a queued run is sent
# again after RESEND_AFTER seconds; a running run with no heartbeat for STALE_AFTER seconds is
# taken over (a worker beats every HEARTBEAT_SECONDS), at most MAX_ATTEMPTS times.
VANLANG_RUNS_RESEND_AFTER = int(os.environ.get("VANLANG_RUNS_RESEND_AFTER", "60"))
VANLANG_RUNS_STALE_AFTER = int(os.environ.get("VANLANG_RUNS_STALE_AFTER", "180"))
VANLANG_RUNS_HEARTBEAT_SECONDS = int(os.environ.get("VANLANG_RUNS_HEARTBEAT_SECONDS", "20"))
VANLANG_RUNS_MAX_ATTEMPTS = int(os.environ.get("VANLANG_RUNS_MAX_ATTEMPTS", "3"))

# The staff home of a scope above a district (the country, a province) shows stored figures
# (plans.HomeSnapshot): a run recomputes them when the page finds them older than this many
# seconds, and the periodic refresh keeps those of scopes viewed within the last
# VANLANG_HOME_SNAPSHOT_VIEWED_WITHIN seconds fresh. District and smaller scopes stay live.
VANLANG_HOME_SNAPSHOT_MAX_AGE = int(os.environ.get("VANLANG_HOME_SNAPSHOT_MAX_AGE", "900"))
VANLANG_HOME_SNAPSHOT_VIEWED_WITHIN = int(os.environ.get("VANLANG_HOME_SNAPSHOT_VIEWED_WITHIN", "7200"))

# Every model of the project is audited; the audit log itself and sessions are not.
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "admin.logentry",
    "auditlog",
    "axes",
    "contenttypes",
    "django_celery_beat.periodictasks",
    # Background runs are the job's own log (who asked, when, what it did), written by the job.
    "cells.run",
    "plans.jobrun",
    # Authenticator secrets must never be copied into the change log; device setups and sign-ins
    # are in the security log (cells.SecurityEvent), which is not tracked either.
    "otp_totp",
    "otp_static",
    "cells.securityevent",
    # In-app copies of reminders and decisions: the records they point at carry the history.
    "cells.notification",
    # The organization of each log entry: part of the log itself.
    "cells.entryorganization",
    # One-time tokens of create forms (like sessions): the records they created carry the history.
    "cells.answeredpost",
    # Each cell's meetings of a year, counted: derived from the meetings, whose every change is logged.
    "cells.meetingyear",
    # The staff home's stored figures of a large scope: computed from the records, like a cache.
    "plans.homesnapshot",
)

# Which module builds each part of the demo story, in order (see `manage.py load_demo`).
VANLANG_DEMO_BUILDERS = [
    "cells.demo.build",
    "cells.demo_meetings.build",
    "assessments.demo.build",
    "cells.demo_2026.build",
    "plans.demo_candidates.build",
]
# Consolidation plans of the story; after the classification builders (it needs their years).
VANLANG_DEMO_BUILDERS += ["plans.demo.build", "plans.demo_2026.build"]

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every PDF at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

# Password hashes and login times are not history anyone needs to read.
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("last_login",)
AUDITLOG_MASK_TRACKING_FIELDS = ("password",)
AXES_VERBOSE = False

# Parts that other apps add to an organization's page: callables (request, organization,
# scope) -> {"template": ..., **context} or None. Listed here so `cells` imports none of them.
VANLANG_ORGANIZATION_PANELS = []

# The watch list (cells:watch_list) keeps the units rated good or above: a callable
# (year, organization_ids) -> {organization_id: level label}, provided by `assessments`.
VANLANG_WATCH_LIST_RATINGS = "assessments.queries.rated_good_or_above"

# Admission candidates' and absent members' names are personal data: the audit log masks them.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "cells.admission", "mask_fields": ["full_name", "birth_date"]},
    {"model": "cells.absentee", "mask_fields": ["name", "reason"]},
)
VANLANG_ORGANIZATION_PANELS += ["cells.panels.meetings_panel"]
# Classifications (issue 3): units rated excellent should not exceed this share of those rated
# good (Hướng dẫn 21-HD/BTCTW; a warning). A score under 50 with a level above "incomplete" only
# warns unless the lowest band is made a rule. Candidates: "complete or worse N years running".
VANLANG_EXCELLENT_SHARE_OF_GOOD = os.environ.get("VANLANG_EXCELLENT_SHARE_OF_GOOD", "0.20")
VANLANG_SCORE_LOWEST_BAND_IS_RULE = env_bool("VANLANG_SCORE_LOWEST_BAND_IS_RULE", False)
VANLANG_WEAK_STREAK_YEARS = int(os.environ.get("VANLANG_WEAK_STREAK_YEARS", "3"))
VANLANG_ORGANIZATION_PANELS += ["assessments.panels.classification_panel"]
VANLANG_ORGANIZATION_PANELS += ["plans.panels.support_plans_panel"]

# The hour (Hà Nội time) of the daily reminder of consolidation tasks when its schedule is first
# created (plans migration 0006); afterwards it is edited in the admin (Periodic tasks).
VANLANG_REMINDER_HOUR = int(os.environ.get("VANLANG_REMINDER_HOUR", "7"))
# Production never runs on the development key: fail at start rather than sign sessions with it.
if not DEBUG and SECRET_KEY == "dev-only-insecure-key-change-me-in-production":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_DEBUG=0 needs DJANGO_SECRET_KEY: set it to a long random secret.")

# Reports and exports that grow with the data are written by a background run (cells.report_runs):
# each report's builder by name, so `cells` imports no other app. Their files are kept this many days.
VANLANG_REPORT_BUILDERS = {
    "compliance": "cells.exports.compliance_file",
    "report": "plans.report_files.report_file",
    "candidates": "plans.report_files.candidates_file",
    "plan_pdf": "plans.report_files.plan_pdf_file",
    "change_log": "cells.admin.change_log_file",
}
VANLANG_REPORT_FILES_KEEP_DAYS = int(os.environ.get("VANLANG_REPORT_FILES_KEEP_DAYS", "7"))
