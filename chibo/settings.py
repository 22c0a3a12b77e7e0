"""Chibo's settings: one file, production values come from the environment.

Every variable read here is listed in the README's "Configuration" section.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_day_month(name, default):
    """A day of the year written dd/mm ("31/01"), as (day, month); 29/02 is allowed."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        day, month = (int(part) for part in value.strip().split("/"))
        dt.date(2000, month, day)  # a leap year: 29/02 is a day some years have
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a day and a month, dd/mm: {value!r}") from None
    return (day, month)


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "chibo-development-only-not-a-secret"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # django-bootstrap-static: Bootstrap's dist files, no CDN
    "simple_history",
    "chibo",
    "members",
    "sessions.apps.ThematicConfig",
]

MIDDLEWARE = [
    # First, so that it wraps every other: only when CHIBO_CELL_GUARD is on (below).
    "chibo.middleware.CellGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session is read: a roll-up reads it from the standby (below).
    "chibo.routers.StandbyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chibo.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "chibo.middleware.PrivatePagesMiddleware",
    # Last: loads the user first and answers 503 when the database is down.
    "chibo.health.DatabaseUnavailableMiddleware",
    # After the database check: it reads the session.
    "chibo.middleware.IdleSessionMiddleware",
    # Where the user works (cell or committee): the session's choice.
    "members.workplace.WorkplaceMiddleware",
]

ROOT_URLCONF = "chibo.urls"

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
                "members.workplace.context",
            ],
        },
    },
]

WSGI_APPLICATION = "chibo.wsgi.application"

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections buy nothing on SQLite; WAL, immediate transactions
    # and a busy timeout let concurrent writers wait instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # When PostgreSQL does not answer, fail within seconds (and show the 503
    # page) rather than keep a worker waiting for the operating system's
    # TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3
    )

# A hot standby of the primary (PostgreSQL's streaming replication,
# docs/deploy.md): the committee's pages and the exports of reports read from
# it (chibo/routers.py). Unset: one database, as without it.
_standby = None
if os.environ.get("DATABASE_STANDBY_URL"):
    _standby = dj_database_url.parse(
        os.environ["DATABASE_STANDBY_URL"],
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
if _standby:
    if "postgresql" in _standby["ENGINE"]:
        _standby.setdefault("OPTIONS", {})["connect_timeout"] = env_int(
            "DATABASE_CONNECT_TIMEOUT", 3
        )
    # In the tests it is the default database under another name (no replica needed).
    _standby["TEST"] = {"MIRROR": "default"}
    DATABASES["standby"] = _standby
# Whether the roll-ups read from the standby (tests switch it on and off).
CHIBO_STANDBY_READS = bool(_standby)
# After a write, a browser reads from the primary for this many seconds, so
# that it sees its own write even when the standby lags behind (a few
# seconds more than the lag the primary's pg_stat_replication shows when busy).
CHIBO_STANDBY_AFTER_WRITE_SECONDS = env_int("CHIBO_STANDBY_AFTER_WRITE_SECONDS", 10)
DATABASE_ROUTERS = ["chibo.routers.StandbyRouter"]
# Django's database sessions; on a standby page, one that is only read (chibo/routers.py).
SESSION_ENGINE = "chibo.routers"

# Rendered parts of pages (the leader's summary), cached under a key that
# carries the version of the cell's data (members/versions.py): a write makes
# the next page ask for a new key, so nothing stale is ever shown. One app
# server: its own memory. Several app servers: set REDIS_URL and install
# redis-py, so that they share one cache (docs/deploy.md).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CHIBO_CACHE_MAX_ENTRIES", 1000)},
        }
    }
# How long a rendered part is kept: only to free memory, never for freshness.
CHIBO_RENDERED_PART_SECONDS = env_int("CHIBO_RENDERED_PART_SECONDS", 24 * 3600)

# Behind a reverse proxy (docs/deploy.md) that rewrites the host, trust its
# X-Forwarded-Host header; only when the proxy sets (and overwrites) it.
# X-Forwarded-Proto is CHIBO_BEHIND_TLS_PROXY, in the security block below.
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "chibo.lib.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "chibo.lib.passwords.MinimumLengthValidator"},
    {"NAME": "chibo.lib.passwords.CommonPasswordValidator"},
    {"NAME": "chibo.lib.passwords.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language and time: Vietnamese first, English on request.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["chibo.formats"]
LANGUAGE_COOKIE_NAME = "chibo_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail (reminders): printed on the console until an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# STARTTLS on port 587 by default; EMAIL_USE_SSL=1 for implicit TLS (port 465).
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chibo@localhost")

# Every record is written once, to stderr (journald under gunicorn and
# systemd), by the root logger's handler. Django's default configuration gives
# the "django" logger a console handler of its own under DEBUG, which printed
# each of runserver's messages twice: here "django" only passes its records up
# to the root. runserver's request lines ("django.server") keep Django's own
# handler and format, and stop there.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "level": "INFO",
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# --- Security. What each setting protects, and what an operator sets in
# production, is in docs/security.md.

# Only the app's own scripts and styles: no inline <script>, no style="" attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for Bootstrap's own SVG icons in its CSS
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# HTTPS: on by default in production. CHIBO_HTTPS=0 only for a trial on a
# closed network (check --deploy then warns, as it should). Behind a proxy
# that terminates TLS, CHIBO_BEHIND_TLS_PROXY=1 makes Django trust the proxy's
# X-Forwarded-Proto header; the proxy must set it on every request.
HTTPS = env_bool("CHIBO_HTTPS", not DEBUG)
if env_bool("CHIBO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# A monitor or the proxy may ask /healthz over plain HTTP on the loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("CHIBO_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CHIBO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("CHIBO_HSTS_PRELOAD", True)

# Sessions end after this many idle minutes; requests push the end back
# (chibo.middleware.IdleSessionMiddleware, at most one write a minute).
SESSION_COOKIE_AGE = env_int("CHIBO_SESSION_IDLE_MINUTES", 60) * 60
# On shared office PCs: the session cookie goes when the browser closes,
# unless "Duy trì đăng nhập" is ticked at login (chibo/login.py); the admin's
# login too.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login failures (django-axes), three counts in the cool-off time, each with
# its limit (chibo.security.LoginLimitsHandler): one user name from one
# address (a member's own typos); one user name from every address (a
# guesser spread over many machines); one address on every user name (a
# guesser trying a few passwords on each login). The first limit is the
# lowest, so a member's own typos never lock a name everywhere.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last: turns a lockout into its page
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the permissions of the role held where the
    # user works, all loaded in one query (chibo/auth.py).
    "chibo.auth.ModelBackend",
]
AXES_HANDLER = "chibo.security.LoginLimitsHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["username"], ["ip_address"]]
AXES_FAILURE_LIMIT = env_int("CHIBO_LOGIN_FAILURE_LIMIT", 5)
CHIBO_LOGIN_FAILURE_LIMIT_PER_NAME = env_int("CHIBO_LOGIN_FAILURE_LIMIT_PER_NAME", 10)
CHIBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("CHIBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("CHIBO_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "chibo.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "chibo.security.client_ip"
AXES_USERNAME_CALLABLE = "chibo.security.client_username"
# Reverse proxies in front of Chibo that append the client's address to
# X-Forwarded-For; 0 trusts only the connection's own address.
CHIBO_PROXY_COUNT = env_int("CHIBO_PROXY_COUNT", 0)

CSRF_FAILURE_VIEW = "chibo.security.csrf_failure"

# Uploaded files are sent by Chibo after a login check; with nginx, set this to
# an internal location (e.g. /protected-media/) and nginx sends the file.
CHIBO_MEDIA_ACCEL_REDIRECT = os.environ.get("CHIBO_MEDIA_ACCEL_REDIRECT", "")

# --- The Party's rules. The guidance changes over the years (2018, 2025), so
# every threshold is a setting and the code never writes the number itself.

# At least this many thematic sessions in every quarter.
CHIBO_MIN_SESSIONS_PER_QUARTER = env_int("CHIBO_MIN_SESSIONS_PER_QUARTER", 1)
# Minimum length of a thematic session, of a regular monthly meeting, and of a
# thematic session held with the regular meeting, in minutes (the longest applies).
CHIBO_MIN_SESSION_MINUTES = env_int("CHIBO_MIN_SESSION_MINUTES", 90)
CHIBO_MIN_REGULAR_MEETING_MINUTES = env_int("CHIBO_MIN_REGULAR_MEETING_MINUTES", 90)
CHIBO_MIN_COMBINED_SESSION_MINUTES = env_int("CHIBO_MIN_COMBINED_SESSION_MINUTES", 120)
# The draft goes to members at least this many days before the session.
CHIBO_DRAFT_LEAD_DAYS = env_int("CHIBO_DRAFT_LEAD_DAYS", 1)
# A good session: attendance above this percentage, no unexcused absence...
CHIBO_GOOD_ATTENDANCE_PERCENT = env_int("CHIBO_GOOD_ATTENDANCE_PERCENT", 85)
# ...and no member absent (even excused) more than this many sessions in a row.
CHIBO_MAX_ABSENCES_IN_A_ROW = env_int("CHIBO_MAX_ABSENCES_IN_A_ROW", 3)
# This many unexcused absences in a year can lead to removal from the rolls.
CHIBO_UNEXCUSED_ABSENCES_PER_YEAR = env_int("CHIBO_UNEXCUSED_ABSENCES_PER_YEAR", 3)
# Probation (thời kỳ dự bị) lasts this many months (Điều lệ Đảng, Điều 5): a
# member is made full no sooner. The secretary's home lists the probationary
# members whose months end within the next this-many days, so the cell can
# prepare the vote (members.models.MemberQuerySet.probation_ending).
CHIBO_PROBATION_MONTHS = env_int("CHIBO_PROBATION_MONTHS", 12)
CHIBO_PROBATION_NOTICE_DAYS = env_int("CHIBO_PROBATION_NOTICE_DAYS", 60)
# What a cell sends its superior committee, and by when (day, month of the
# plan's or the report's own year; CHIBO_PLAN_DUE=31/01 in the environment).
# The plan by 31 January: it is built at the start of the year, approved by
# the cell committee at its January meeting and then sent; a month leaves
# time for both. The report by 15 December: cells review their year in
# December, before the committee above reviews its own at the year's end.
# A sending after its day, or none by then, is late (sessions.sent.due_date).
CHIBO_PLAN_DUE = env_day_month("CHIBO_PLAN_DUE", (31, 1))
CHIBO_REPORT_DUE = env_day_month("CHIBO_REPORT_DUE", (15, 12))
# Quality grading: which scheme of sessions/grading.py applies from which day
# (the guidance's criteria, points and thresholds are data there). Read only by
# sessions.grading.scheme_on. In the environment: "2018-07-06=hd12-2018,2025-10-28=hd42-2025".
CHIBO_GRADING_SCHEMES = [
    tuple(part.strip().split("=", 1))
    for part in os.environ.get(
        "CHIBO_GRADING_SCHEMES", "2018-07-06=hd12-2018,2025-10-28=hd42-2025"
    ).split(",")
    if part.strip()
]

# Removal from the rolls (xóa tên): which rule of sessions/removal.py applies
# from which day (its wording and its threshold of months are data there).
# Read only by sessions.removal.rule_on. In the environment: "2011-01-19=dieu-le-2011".
CHIBO_REMOVAL_RULES = [
    tuple(part.strip().split("=", 1))
    for part in os.environ.get("CHIBO_REMOVAL_RULES", "2011-01-19=dieu-le-2011").split(",")
    if part.strip()
]

# The cell's name, as written on its documents: read ONLY where the database's
# one cell is made, by the migration members/0005 (and members.models.single_cell,
# which makes it again in a database emptied since). From then on the name is
# the cell's profile, which its secretary edits ("Thông tin chi bộ").
CHIBO_CELL_NAME = os.environ.get("CHIBO_CELL_NAME", "Chi bộ")

# A request that reads a cell's rows without naming the cell fails loudly
# (chibo.middleware.CellGuardMiddleware, docs/development.md). For the tests,
# which switch it on (tests/conftest.py); off, the middleware is not loaded.
CHIBO_CELL_GUARD = False

# --- Uploads. A photo is refused above this size or this many pixels (a small
# file can still decode to a huge image); every photo is decoded and re-encoded.
CHIBO_PHOTO_MAX_BYTES = env_int("CHIBO_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
CHIBO_PHOTO_MAX_PIXELS = env_int("CHIBO_PHOTO_MAX_PIXELS", 40_000_000)
# Documents attached to a session (drafts, slides, directives).
CHIBO_DOCUMENT_MAX_BYTES = env_int("CHIBO_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
# --- Members' pages, reminders and reports.

# The member list shows at most this many members a page (the filters and the
# name search narrow it).
CHIBO_MEMBERS_PER_PAGE = env_int("CHIBO_MEMBERS_PER_PAGE", 50)

# The address of the site as members reach it, for links in reminder emails
# (a management command has no request to take it from).
CHIBO_SITE_URL = os.environ.get("CHIBO_SITE_URL", "http://localhost:8000").rstrip("/")
# send_reminders tells members about their sessions this many days ahead.
CHIBO_REMINDER_DAYS_AHEAD = env_int("CHIBO_REMINDER_DAYS_AHEAD", 3)
# The superior committee's name, as written on the cell's documents ("Đảng bộ
# Khối các cơ quan tỉnh"): read ONLY where the one cell is made (as above), which
# names the committee from it ("Đảng bộ" when empty) and puts it in the cell's
# profile. From then on the secretary edits it there.
CHIBO_SUPERIOR_COMMITTEE = os.environ.get("CHIBO_SUPERIOR_COMMITTEE", "")

# Self check-in by QR (sessions/checkin.py): a meeting is "long over", and
# scanning refused, this many minutes after its end.
CHIBO_CHECK_IN_CLOSES_AFTER_MINUTES = env_int("CHIBO_CHECK_IN_CLOSES_AFTER_MINUTES", 60)
