"""Django settings, all read from the environment (see README, 配置)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import plotly
from csp.constants import NONE, SELF, UNSAFE_INLINE

from baozheng import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()
PRODUCTION = config.env_bool("BAOZHENG_PRODUCTION", False)
DEBUG = config.env_bool("BAOZHENG_DEBUG", False)
if PRODUCTION and DEBUG:
    raise config.ConfigError("生产模式不允许开启调试（BAOZHENG_DEBUG），请去掉该变量")

SECRET_KEY = config.secret_key(PRODUCTION, DATA_DIR)
ALLOWED_HOSTS = config.env_list("BAOZHENG_ALLOWED_HOSTS")
if PRODUCTION and not ALLOWED_HOSTS:
    raise config.ConfigError("生产模式必须设置 BAOZHENG_ALLOWED_HOSTS（逗号分隔的域名）")
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = config.env_list("BAOZHENG_CSRF_TRUSTED_ORIGINS")

DATABASES = {"default": config.database(PRODUCTION, DATA_DIR)}
# Admission control per server worker (lib/admission.py, docs/deploy.md): requests run at
# once, requests waiting behind them, and how long one may wait before a 503 + Retry-After.
WORKER_REQUESTS = config.env_int("BAOZHENG_WORKER_REQUESTS", 8)
WORKER_QUEUE = config.env_int("BAOZHENG_WORKER_QUEUE", 1000)
WORKER_QUEUE_SECONDS = config.env_int("BAOZHENG_WORKER_QUEUE_SECONDS", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "auditlog",
    "csp",
    "django_htmx",
    "ninja",  # its own Swagger UI files for /api/docs (without it, ninja links a CDN)
    "django_tasks",
    "django_tasks_db",
    # Domain apps, in the order `baozheng demo` loads their demo data.
    "baozheng.org",
    "baozheng.workcal",
    "baozheng.stats",
    "baozheng.reporting",
    "baozheng.monitor",
    "baozheng.tasks",
    "baozheng.projects",
    "baozheng.contest",
    "baozheng.assessment",
    "baozheng.api",
    "baozheng.documents",
    "baozheng.jobs",
    "baozheng.headline",
]

# Background jobs (docs/deploy.md): Django's Tasks API through the django-tasks backport,
# queued in the database (no extra service) and run by `baozheng worker` processes.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Periodic jobs (`baozheng scheduler`, baozheng/jobs/scheduler.py): minutes between runs,
# and days a finished job's record is kept.
JOBS_REMIND_MINUTES = config.env_int("BAOZHENG_REMIND_MINUTES", 5)
JOBS_PUSH_CATCHUP_MINUTES = config.env_int("BAOZHENG_PUSH_CATCHUP_MINUTES", 60)
JOBS_KEEP_DAYS = config.env_int("BAOZHENG_JOBS_KEEP_DAYS", 30)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # API tokens resolve to their account before the audit trail reads request.user.
    "baozheng.api.middleware.ApiTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes requires, so that it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "baozheng.urls"
WSGI_APPLICATION = "baozheng.wsgi.application"
ASGI_APPLICATION = "baozheng.asgi.application"

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
                "baozheng.org.context_processors.navigation",
                "baozheng.lib.once.form_key",
            ],
            "libraries": {"bounds": "baozheng.lib.bounds_tags"},
        },
    }
]

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"

# Threads (and database connections) per worker process for judges' submissions (contest/views/judge.py).
CONTEST_SCORING_THREADS = config.env_int("BAOZHENG_SCORING_THREADS", 8)

AXES_FAILURE_LIMIT = config.env_int("BAOZHENG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=config.env_int("BAOZHENG_LOCKOUT_MINUTES", 15))
# Login throttling (django-axes): five failures lock one account *from one address* for a
# while. Locking the account name alone let any anonymous visitor keep the administrator
# locked out with 20 requests an hour; locking the address alone would lock out a whole
# bureau behind one NAT address after one colleague's typos. Guessing by rotating
# addresses is bounded by the password rules (10+ characters, not common, not numeric).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = config.env_int("BAOZHENG_PROXY_COUNT", 0) or None

# Sessions and cookies: secure cookies whenever the site is served over HTTPS (production).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION and config.env_bool("BAOZHENG_BEHIND_HTTPS_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts only from this server, no inline script,
# no eval. Styles allow inline because plotly.js injects <style> elements for its charts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# plotly.js ships inside the installed `plotly` package: charts work offline, no CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("plotly", Path(plotly.__file__).parent / "package_data")]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/media/"
# Behind nginx: the `internal` location that serves uploads after the app's scope check
# (lib/uploads.py); empty serves them through the app itself.
X_ACCEL_PREFIX = config.env_str("BAOZHENG_X_ACCEL_PREFIX", "")
REPORTS_DIR = DATA_DIR / "reports"
# One cache for every worker of this server (computed bulletins, keyed by the data version;
# monitor/cache.py). Point BAOZHENG_CACHE_DIR at shared storage to share it between servers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": config.env_str("BAOZHENG_CACHE_DIR", str(DATA_DIR / "cache")),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": config.env_int("BAOZHENG_CACHE_ENTRIES", 2000)},
    }
}
# Bulletin downloads built at once per server process (the rest wait; monitor/exports.py).
EXPORT_BUILDS = config.env_int("BAOZHENG_EXPORT_BUILDS", 1)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# The unit that runs this installation (usually the city, by its division code): default parent of
# dashboards and bulletins. Empty means the root of the unit tree.
HOME_UNIT = config.env_str("BAOZHENG_HOME_UNIT", "")
# The address users open, for links in pushes and reminders sent to e-mail and group robots.
SITE_URL = config.env_str("BAOZHENG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

EMAIL_HOST = config.env_str("BAOZHENG_EMAIL_HOST", "localhost")
EMAIL_PORT = config.env_int("BAOZHENG_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = config.env_str("BAOZHENG_EMAIL_FROM", "baozheng@localhost")
EMAIL_TIMEOUT = 15

# Tracked tasks (督办) and enterprise requests (万人助万企), see docs/tasks.md.
# Escalations of red tasks also go to these (comma-separated) addresses and group robots.
TASKS_DISPATCH_EMAILS = config.env_list("BAOZHENG_DISPATCH_EMAILS")
TASKS_DISPATCH_WECOM_WEBHOOKS = config.env_list("BAOZHENG_DISPATCH_WECOM_WEBHOOKS")
TASKS_DISPATCH_DINGTALK_WEBHOOKS = config.env_list("BAOZHENG_DISPATCH_DINGTALK_WEBHOOKS")
# Time limits of the green channel in working days (有诉即办): route, first feedback,
# general issue solved, complex issue solved.
TASKS_REQUEST_WORKDAYS = {
    "route": config.env_int("BAOZHENG_REQUEST_ROUTE_DAYS", 1),
    "first_feedback": config.env_int("BAOZHENG_REQUEST_FEEDBACK_DAYS", 3),
    "general": config.env_int("BAOZHENG_REQUEST_GENERAL_DAYS", 7),
    "complex": config.env_int("BAOZHENG_REQUEST_COMPLEX_DAYS", 30),
}
# The public request form: submissions per address per hour, and the fewest seconds a
# person takes to fill it in (faster is a robot).
TASKS_PUBLIC_FORM_PER_HOUR = config.env_int("BAOZHENG_PUBLIC_FORM_PER_HOUR", 5)
TASKS_PUBLIC_FORM_MIN_SECONDS = config.env_int("BAOZHENG_PUBLIC_FORM_MIN_SECONDS", 5)
CONTEST_OBJECTIONS_PER_HOUR = config.env_int("BAOZHENG_OBJECTIONS_PER_HOUR", 5)

# API calls per token per minute; past it the API answers 429 with Retry-After.
API_RATE_LIMIT_PER_MINUTE = config.env_int("BAOZHENG_API_RATE_LIMIT", 600)
# Used create-form keys (lib/once.py) are kept this long, then `baozheng remind` deletes them.
ONCE_KEEP_DAYS = config.env_int("BAOZHENG_ONCE_KEEP_DAYS", 7)

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "baozheng.lib.logfilters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"level": "WARNING", "filters": ["one_line_refusals"]},
    },
}
