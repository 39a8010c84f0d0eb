"""Settings for Balikpapan Untuk Warga.

Every setting that differs between the embedded default (``make run``) and a real deployment is
read from the environment here, and only here, with a safe default and a one-line description.
``docs/configuration.md`` lists them all.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# The key used only by the embedded default; a deployment with DEBUG off refuses to start with it.
DEV_SECRET_KEY = "dev-only-insecure-key-balikpapan-untuk-warga"

# DJANGO_DEBUG: debug pages and relaxed security; on by default for `make run`, off in production.
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# DJANGO_SECRET_KEY: signs sessions and tokens; required (and not the dev key) when DEBUG is off.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of 50+ characters when DJANGO_DEBUG is off."
    )
# DJANGO_ALLOWED_HOSTS: comma-separated host names the server answers to.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
# DJANGO_CSRF_TRUSTED_ORIGINS: comma-separated origins (scheme://host) allowed to POST forms.
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# NIK_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first (old ones still decrypt).
# NIK_HASH_KEY: key of the HMAC that makes NIK/KK numbers unique and searchable without storing them.
# In debug both are derived from SECRET_KEY so that `make run` needs no set-up.
NIK_ENCRYPTION_KEYS = env.list("NIK_ENCRYPTION_KEYS", default=[])
NIK_HASH_KEY = env.str("NIK_HASH_KEY", default="")
if not DEBUG and (not NIK_ENCRYPTION_KEYS or not NIK_HASH_KEY):
    raise ImproperlyConfigured(
        "NIK_ENCRYPTION_KEYS and NIK_HASH_KEY must be set when DEBUG is off."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "corsheaders",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "allauth.usersessions",
    "allauth.mfa",
    "allauth.idp.oidc",
    "balikpapan_untuk_warga",
    "accounts",
    "services",
    "services.catalog",
    "services.activity",
    "services.notifications",
    "services.workflow",
    "services.uploads",
    "services.receipts",
    "civil_registry",
    "payments",
    "health",
    "complaints",
    "channels",
    "applications",
    "privacy",
]
# SERVICE_MODULE_APPS: comma-separated extra Django apps (agency service modules) to install.
INSTALLED_APPS += env.list("SERVICE_MODULE_APPS", default=[])

MIDDLEWARE = [
    # First: every log line of the request, from any middleware, carries its X-Request-ID.
    "balikpapan_untuk_warga.request_id.RequestIdMiddleware",
    # A database/cache/broker outage in a view answers 503 + Retry-After, not 500.
    "balikpapan_untuk_warga.outages.OutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "balikpapan_untuk_warga.security_headers.PathScopedCSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "balikpapan_untuk_warga.limits.RequestBodyLimitMiddleware",  # 413 before a body is read
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.RateLimitedMiddleware",
    "accounts.mfa_middleware.StaffAdminMFAMiddleware",  # staff: no admin without 2FA
    "services.middleware.DisabledModuleMiddleware",
    "balikpapan_untuk_warga.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "balikpapan_untuk_warga.urls"
WSGI_APPLICATION = "balikpapan_untuk_warga.wsgi.application"

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
            ],
        },
    },
]

# DATABASE_URL: the database; SQLite under var/ by default, postgres://… for PostgreSQL (psycopg 3).
DATABASES = {
    "default": environ.Env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    ),
}
# DATABASE_CONN_MAX_AGE: seconds a database connection is kept open between requests.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL: the cache; local memory by default, redis://… in production (falls back to REDIS_URL).
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=env.str("REDIS_URL", default="") or "locmemcache://buw"
    )
}
_REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
if CACHES["default"]["BACKEND"] == _REDIS_CACHE:
    # The same backend, with one Redis client reused (balikpapan_untuk_warga/cache.py says why).
    CACHES["default"]["BACKEND"] = "balikpapan_untuk_warga.cache.RedisCache"
# SESSION_ENGINE: with a shared (Redis) cache, sessions and app tokens are read from it and
# written through to the database (``cached_db``): an authenticated API request reads its token's
# session from Redis instead of two database queries. Every session is ended through the session
# store (allauth's UserSession.end, sign-out), which clears both. A per-process local-memory cache
# cannot be shared by workers, so without Redis the database engine stays.
SESSION_ENGINE = env.str(
    "SESSION_ENGINE",
    default="django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"] == "balikpapan_untuk_warga.cache.RedisCache"
    else "django.contrib.sessions.backends.db",
)

SITE_ID = 1  # its name is what emails call the service ("Balikpapan Untuk Warga")
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "accounts.backends.AgencyRoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:profile"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
# The domain modules keep their own catalog (<app>/locale/, as an outside agency package must);
# listed before the project's so that `makemessages` run at the top writes each app's strings
# into its own catalog (Django picks the first locale path that contains the source file).
DOMAIN_MODULE_APPS = [
    "civil_registry",
    "payments",
    "health",
    "complaints",
    "channels",
    "applications",
]
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in DOMAIN_MODULE_APPS] + [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing directory
# PRIVATE_MEDIA_ROOT: where private uploads live when no object storage is configured.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/private-media/"  # never served directly: uploads go through authorised views
STORAGES = {
    # STORAGE_BACKEND: dotted path of the private file storage (e.g. storages.backends.s3.S3Storage).
    "default": {
        "BACKEND": env.str(
            "STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# EMAIL_URL: smtp://user:pass@host:587 for real mail; the console by default.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
# DEFAULT_FROM_EMAIL: the sender of the city's mail.
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Balikpapan Untuk Warga <noreply@balikpapan.go.id>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SMS_BACKEND: dotted path of the SMS sender; prints to the console by default.
SMS_BACKEND = env.str("SMS_BACKEND", default="services.sms.ConsoleSMSBackend")
# SMS_CODES_PER_PHONE_PER_HOUR: paid code messages (sign-in/verification codes and their
# "no account"/"already registered" notices) one phone number receives in any hour; beyond: 429.
SMS_CODES_PER_PHONE_PER_HOUR = env.int("SMS_CODES_PER_PHONE_PER_HOUR", default=5)

# --- Celery -----------------------------------------------------------------------------------
# CELERY_BROKER_URL: the Celery broker (redis://… or amqp://…); unset = tasks run eagerly in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# CELERY_TASK_ALWAYS_EAGER: run tasks in the calling process; on by default when no broker is set.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# CELERY_RESULT_BACKEND: where task results are kept; the broker itself when it is Redis.
CELERY_RESULT_BACKEND = (
    env.str(
        "CELERY_RESULT_BACKEND",
        default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "",
    )
    or None
)
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing to a broker that is down gives up within about a second (kombu's default: ~6 s per
# attempt, 4 attempts) and the request goes on: what was to be queued is kept in a durable row
# (Delivery, WebhookDelivery, WhatsApp Message, …) that a beat sweeper queues again.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Image work (re-encoding uploaded photos, blurring public complaint photos) has its own queue,
# "images", so that a burst of photos never delays payment and WhatsApp webhook tasks on the
# default queue "celery". Both queues are declared: a worker started without -Q consumes both
# (make worker, bench, a single-machine deployment); a dedicated image worker runs -Q images and
# the others -Q celery (deploy/cluster does so; docs/deployment.md).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("images"))
CELERY_TASK_ROUTES = {
    "uploads.process_document": {"queue": "images"},
    "complaints.make_public_photos": {"queue": "images"},
}
CELERY_BEAT_SCHEDULE = {
    "purge-idempotency-records": {
        "task": "platform.purge_idempotency_records",
        "schedule": 60 * 60 * 24,
    },
}

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the browser client of allauth headless reads it
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Full URLs (with tracking numbers and ids in them) never leave the site in a Referer header.
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # DJANGO_SECURE_SSL_REDIRECT: redirect http to https (turn off only behind a TLS proxy that does it).
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # DJANGO_HSTS_SECONDS: Strict-Transport-Security max-age.
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy, built by django-csp 4 (Django 5.2 has none of its own; Django 6.0 adds
# it) through balikpapan_untuk_warga.security_headers, which adds the per-path exceptions below.
# No 'unsafe-inline' or 'unsafe-eval' anywhere: every script and style is a file under /static/.
# CSP_REPORT_ONLY: send the policy as Content-Security-Policy-Report-Only (violations reported,
# nothing blocked), to try a change of policy on a live site first.
_csp_report_only = env.bool("CSP_REPORT_ONLY", default=False)
# CSP_REPORT_URI: where browsers post violation reports (empty: no reports).
_csp_report_uri = env.str("CSP_REPORT_URI", default="")
# CSP_EXTRA_IMG_SRC / CSP_EXTRA_CONNECT_SRC: comma-separated extra origins for images (e.g. a media
# storage host) and for fetch() (none needed today).
_csp_directives = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # data: for the check-in and receipt QR codes, which the pages embed as data URIs.
    "img-src": ["'self'", "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])],
    "connect-src": ["'self'", *env.list("CSP_EXTRA_CONNECT_SRC", default=[])],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if _csp_report_uri:
    _csp_directives["report-uri"] = [_csp_report_uri]
if _csp_report_only:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
# Exceptions, by path prefix, each for a third-party page we cannot change (docs/security.md):
# Swagger UI's and Redoc's pages carry an inline <style>, and Redoc injects its styles at run
# time and runs its search index in a blob: worker.
CONTENT_SECURITY_POLICY_PATH_UPDATES = {
    "/api/docs/": {"style-src": ["'unsafe-inline'"]},
    "/api/redoc/": {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]},
}
# allauth's OpenID Connect consent form posts to us and is answered with a redirect to the client
# app's registered redirect_uri (any origin, or an app's own scheme); browsers apply form-action to
# that redirect, so it is lifted on this one page (allauth checks redirect_uri against the client).
CONTENT_SECURITY_POLICY_PATH_REPLACES = {"/identity/o/authorize": {"form-action": None}}

# Permissions-Policy (django-permissions-policy): the portal asks for the location on the
# complaint form and the online application form ("use my location"); nothing uses the camera
# (check-in QR codes are read by the desk's scanner), microphone, payment or other sensors.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "browsing-topics": [],
}

# CORS (django-cors-headers), for the city's own app origins only and only on the API and allauth's
# headless endpoints. CORS_ALLOWED_ORIGINS: comma-separated origins (scheme://host[:port]) of the
# browser apps allowed to call them; empty by default (no cross-origin access at all).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(api|_allauth)/"
# No credentials: cross-origin apps use allauth's "app" client (X-Session-Token header), never
# cookies; the cookie-based "browser" client is used by the same-origin portal only.
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (
    *cors_default_headers,
    "accept-language",
    "idempotency-key",
    "if-none-match",
    "x-session-token",
)
CORS_EXPOSE_HEADERS = ["Content-Disposition", "ETag", "Retry-After"]

# --- django-allauth (one identity, two headless clients and the portal's HTML views) -----------
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# Either an email or a phone is needed; accounts.forms.SignupForm enforces "at least one".
ACCOUNT_SIGNUP_FIELDS = ["email", "phone", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_FORMS = {"request_login_code": "accounts.login_forms.RequestLoginCodeForm"}
# account.W001 warns that neither login method is required at signup: SignupExtraForm requires one.
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
# allauth verifies email by code only when verification is mandatory, which would make email
# required at signup; a phone-only citizen must be able to sign up, so email is verified by link.
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
# Brute force (docs/security.md, "Identity and sessions"): at most 5 failed passwords and 5 wrong
# codes per account and per IP in 15 minutes. "code_failed" is ours (accounts.code_guard); the rest
# are allauth's defaults. A spent budget answers 429 (see accounts.middleware) or, for passwords,
# allauth's "too_many_login_attempts" error.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/15m/ip,5/15m/key",
    "code_failed": "5/15m/ip,5/15m/key",
    "request_login_code": "20/m/ip,3/m/key,10/15m/key",
}
# Codes: six digits (ALLAUTH_USER_CODE_FORMAT below), single use, at most 3 tries each, and valid
# for at most 10 minutes.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 5 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = 3
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Balikpapan Untuk Warga] "
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_ADAPTER = "accounts.headless.HeadlessAdapter"
HEADLESS_TOKEN_STRATEGY = "accounts.authentication.OneReadSessionTokenStrategy"
# Six digits: easy to type from an SMS; attempts and lifetimes keep guessing impractical.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
HEADLESS_SERVE_SPECIFICATION = True
# PORTAL_BASE_URL: the public address of the portal, used in links sent by email and SMS.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{PORTAL_BASE_URL}/accounts/confirm-email/{{key}}/",
    "account_reset_password_from_key": f"{PORTAL_BASE_URL}/accounts/password/reset/key/{{key}}/",
    "account_signup": f"{PORTAL_BASE_URL}/accounts/signup/",
}
USERSESSIONS_TRACK_ACTIVITY = True
# Two-factor authentication (docs/security.md, "Two-factor authentication for staff"): an
# authenticator app (TOTP) with recovery codes; staff must use it (accounts.mfa), citizens may.
# Wrong codes spend the "login_failed" budget above. No tolerance window: a code is valid for its
# own 30 s step only, the step allauth also remembers used codes for (no replay).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Balikpapan Untuk Warga"

# The city's OpenID Connect provider for agency applications outside this system.
# IDP_OIDC_PRIVATE_KEY: PEM of the RSA key that signs ID tokens (generated under var/ in debug).
IDP_OIDC_PRIVATE_KEY = env.str("IDP_OIDC_PRIVATE_KEY", default="").replace("\\n", "\n")
if not IDP_OIDC_PRIVATE_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("IDP_OIDC_PRIVATE_KEY must be set when DEBUG is off.")
    from balikpapan_untuk_warga.devkeys import dev_oidc_private_key

    IDP_OIDC_PRIVATE_KEY = dev_oidc_private_key(VAR_DIR)
IDP_OIDC_ADAPTER = "accounts.oidc.OIDCAdapter"
IDP_OIDC_USER_CODE_FORMAT = {}  # device-flow codes keep allauth's stronger default, not 6 digits

# --- Django REST Framework and the OpenAPI schema ----------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # IsAuthenticated, plus: staff only with two-factor authentication (403 `mfa_required`).
    "DEFAULT_PERMISSION_CLASSES": ["accounts.mfa.IsAuthenticatedWithStaffMFA"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "balikpapan_untuk_warga.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "balikpapan_untuk_warga.api.throttling.AnonBurstThrottle",
        "balikpapan_untuk_warga.api.throttling.UserBurstThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # API_THROTTLE_ANON / API_THROTTLE_USER: requests per minute per IP / per user.
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "auth": env.str("API_THROTTLE_AUTH", default="20/min"),
        "lookup": env.str("API_THROTTLE_LOOKUP", default="30/min"),
    },
    # drf-standardized-errors, plus 503 + Retry-After for a database/cache/broker outage.
    "EXCEPTION_HANDLER": "balikpapan_untuk_warga.outages.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "balikpapan_untuk_warga.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    # OPTIONS is not part of the API (the OpenAPI schema describes it): 405, rather than DRF's
    # field-by-field description, which also crashed (500) on views without a serializer_class.
    "DEFAULT_METADATA_CLASS": None,
}
# allauth's per-address limits (failed logins, codes) must see the client behind the balancer too,
# not the balancer's own address (which would make one citizen's typos lock out everyone).
ALLAUTH_TRUSTED_PROXY_COUNT = REST_FRAMEWORK["NUM_PROXIES"]
DRF_STANDARDIZED_ERRORS = {
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "415",
        "422",
        "413",
        "429",
        "500",
        "503",
    ],
    "ERROR_SCHEMAS": {
        "403": "accounts.mfa_schema.ErrorResponse403Serializer",  # + `mfa_required`
        "409": "balikpapan_untuk_warga.api.errors.ErrorResponse409Serializer",
        "422": "balikpapan_untuk_warga.api.errors.ErrorResponse422Serializer",
        "413": "balikpapan_untuk_warga.api.errors.ErrorResponse413Serializer",
        "503": "balikpapan_untuk_warga.api.errors.ErrorResponse503Serializer",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Balikpapan Untuk Warga API",
    "DESCRIPTION": "One citizen identity and one API for the public services of Kota Balikpapan.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "accounts.mfa_schema.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
        "ErrorCode409Enum": "balikpapan_untuk_warga.api.errors.ErrorCode409Enum.choices",
        "ErrorCode422Enum": "balikpapan_untuk_warga.api.errors.ErrorCode422Enum.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "services.schema.tag_module_operations",
        "balikpapan_untuk_warga.api.schema.open_validation_error_codes",
    ],
}

# --- Logging: no personal data, ever (see accounts.logging) ------------------------------------
# LOG_FORMAT: "json" (one JSON object per line, for a log collector; the default with DEBUG off)
# or "text" (one readable line; the default for `make run`). Both carry the request id and are
# redacted (balikpapan_untuk_warga/logging.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured('LOG_FORMAT must be "json" or "text".')
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_personal_data": {"()": "balikpapan_untuk_warga.logging.RedactPersonalData"},
        "request_id": {"()": "balikpapan_untuk_warga.logging.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "balikpapan_untuk_warga.logging.JsonFormatter"},
        "text": {"()": "balikpapan_untuk_warga.logging.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact_personal_data"],
            "formatter": LOG_FORMAT,
        },
    },
    # DJANGO_LOG_LEVEL: the level of the root logger.
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replace Django's own handlers (an unfiltered console in DEBUG; runserver's access
        # lines with query strings): everything goes through the root's redacting handler.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}

# OUTAGE_RETRY_AFTER: seconds a client is told to wait (Retry-After of the 503) when the
# database, the cache or the broker is briefly down.
OUTAGE_RETRY_AFTER = env.int("OUTAGE_RETRY_AFTER", default=30)
# BACKUP_DIR: where `make backup` writes <timestamp>/ (database dump, private files, manifest).
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))

# --- The platform kit (services.*): each block belongs to its sub-app ---------------------------
# services (modules): SERVICE_MODULES_LOCAL_SECONDS: how long each process keeps its copy of the
# switched-off modules (a switch in the admin reaches the other processes within this time).
SERVICE_MODULES_LOCAL_SECONDS = env.float("SERVICE_MODULES_LOCAL_SECONDS", default=2.0)

# services.catalog
# CATALOG_CACHE_SECONDS: how long the cached public catalog (home screen, search index) lives; every
# change made through the app replaces it at once, so this only bounds edits made outside it.
CATALOG_CACHE_SECONDS = env.int("CATALOG_CACHE_SECONDS", default=900)

# services.activity
# ACTIVITY_UNSUCCESSFUL_STATES: states of closed items that did not give the citizen the service
# (not counted as "done" by the catalog's life-event journeys).
ACTIVITY_UNSUCCESSFUL_STATES = env.list(
    "ACTIVITY_UNSUCCESSFUL_STATES",
    default=["rejected", "cancelled", "canceled", "withdrawn", "expired"],
)

# services.notifications
# NOTIFICATION_{EMAIL,SMS,WHATSAPP,PUSH}_BACKEND: dotted path of the sender per channel; email goes
# through Django's mail (EMAIL_URL), SMS through SMS_BACKEND, WhatsApp and push to the console.
NOTIFICATION_BACKENDS = {
    "email": env.str(
        "NOTIFICATION_EMAIL_BACKEND", default="services.notifications.backends.EmailBackend"
    ),
    "sms": env.str(
        "NOTIFICATION_SMS_BACKEND", default="services.notifications.backends.SMSBackend"
    ),
    "whatsapp": env.str(
        "NOTIFICATION_WHATSAPP_BACKEND",
        default="services.notifications.backends.ConsoleWhatsAppBackend",
    ),
    "push": env.str(
        "NOTIFICATION_PUSH_BACKEND", default="services.notifications.backends.ConsolePushBackend"
    ),
}
# NOTIFICATION_MAX_RETRIES: retries of a failed delivery after the first attempt.
NOTIFICATION_MAX_RETRIES = env.int("NOTIFICATION_MAX_RETRIES", default=5)
# NOTIFICATION_RETRY_BACKOFF / _MAX: seconds before the first retry, doubled each time up to the max.
NOTIFICATION_RETRY_BACKOFF = env.int("NOTIFICATION_RETRY_BACKOFF", default=60)
NOTIFICATION_RETRY_BACKOFF_MAX = env.int("NOTIFICATION_RETRY_BACKOFF_MAX", default=3600)
# NOTIFICATION_QUIET_HOURS: local (WITA) hours without non-urgent SMS/WhatsApp/push; "" = none.
NOTIFICATION_QUIET_HOURS = env.str("NOTIFICATION_QUIET_HOURS", default="21:00-06:00")
# NOTIFICATION_DIGEST_HOUR: local (WITA) hour of the daily email digest.
NOTIFICATION_DIGEST_HOUR = env.int("NOTIFICATION_DIGEST_HOUR", default=7)
# NOTIFICATION_SWEEP_GRACE: seconds a due delivery may wait for its task before the sweeper
# queues it again; NOTIFICATION_SWEEP_BATCH: most deliveries queued again per sweep.
NOTIFICATION_SWEEP_GRACE = env.int("NOTIFICATION_SWEEP_GRACE", default=300)
NOTIFICATION_SWEEP_BATCH = env.int("NOTIFICATION_SWEEP_BATCH", default=500)
CELERY_BEAT_SCHEDULE["notifications-send-digests"] = {
    "task": "notifications.send_digests",
    "schedule": crontab(hour=NOTIFICATION_DIGEST_HOUR, minute=0),
}
CELERY_BEAT_SCHEDULE["notifications-sweep-deliveries"] = {
    "task": "notifications.sweep_deliveries",
    "schedule": 60 * 5,
}

# services.workflow
# The working calendar's time zone: office hours, holidays and tracking-number years are in WITA.
WORKFLOW_TIME_ZONE = "Asia/Makassar"
# Office hours of an agency that has entered none (weekday 0 = Monday → [(opens, closes), …]):
# the five-day week of Keppres 68/1995 — Mon–Thu 07:30–16:00 with a 12:00–13:00 break, Fri
# 07:30–16:30 with an 11:30–13:00 break (7.5 working hours a day). Agencies override it in the admin.
WORKFLOW_DEFAULT_WORKING_HOURS = {
    0: [("07:30", "12:00"), ("13:00", "16:00")],
    1: [("07:30", "12:00"), ("13:00", "16:00")],
    2: [("07:30", "12:00"), ("13:00", "16:00")],
    3: [("07:30", "12:00"), ("13:00", "16:00")],
    4: [("07:30", "11:30"), ("13:00", "16:30")],
}

# services.uploads
# UPLOAD_MAX_SIZE: the largest accepted upload (JPEG, PNG or PDF), in bytes; 5 MB by default.
UPLOAD_MAX_SIZE = env.int("UPLOAD_MAX_SIZE", default=5 * 1024 * 1024)
# UPLOAD_MAX_IMAGE_PIXELS: the most pixels (width × height) an uploaded image may have.
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=50_000_000)
# UPLOAD_MAX_PDF_PAGES: the most pages an uploaded PDF may have.
UPLOAD_MAX_PDF_PAGES = env.int("UPLOAD_MAX_PDF_PAGES", default=100)
# UPLOAD_QUOTA_PER_DAY / UPLOAD_QUOTA_BYTES_PER_DAY: documents (and stored bytes) one user may
# upload through the API and the portal in any 24 hours; beyond them 429 with Retry-After.
UPLOAD_QUOTA_PER_DAY = env.int("UPLOAD_QUOTA_PER_DAY", default=50)
UPLOAD_QUOTA_BYTES_PER_DAY = env.int("UPLOAD_QUOTA_BYTES_PER_DAY", default=100 * 1024 * 1024)
# UPLOAD_MAX_FILES_PER_REQUEST: files one form may carry (sizes the multipart body limit below).
UPLOAD_MAX_FILES_PER_REQUEST = env.int("UPLOAD_MAX_FILES_PER_REQUEST", default=10)

# --- Bounded request bodies (balikpapan_untuk_warga/limits.py) ---------------------------------
# IDEMPOTENCY_LEASE_SECONDS: how long a request with an Idempotency-Key that is still running (or
# whose worker was killed) holds its key; retries meanwhile get 409. Keep it above the web server's
# worker timeout (gunicorn: 30 s).
IDEMPOTENCY_LEASE_SECONDS = env.int("IDEMPOTENCY_LEASE_SECONDS", default=60)
# API_MAX_BODY_BYTES: the largest non-multipart request body (JSON, forms, webhooks); 413 above.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
# API_MAX_MULTIPART_BYTES: the largest multipart body (uploads); 413 above.
API_MAX_MULTIPART_BYTES = env.int(
    "API_MAX_MULTIPART_BYTES",
    default=UPLOAD_MAX_FILES_PER_REQUEST * UPLOAD_MAX_SIZE + 256 * 1024,
)
# Form fields held in memory: the same bound as a whole body.
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
# FILE_UPLOAD_MAX_MEMORY_SIZE: uploaded files larger than this go to a temporary file on disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=64 * 1024)
# API_THROTTLE_UPLOAD: document uploads per user (or IP) and minute.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["upload"] = env.str(
    "API_THROTTLE_UPLOAD", default="20/min"
)
# Private files on disk are readable by the server's user alone.
if STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    STORAGES["default"].setdefault("OPTIONS", {}).update(
        file_permissions_mode=0o600, directory_permissions_mode=0o700
    )
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["DocumentContentTypeEnum"] = (
    "services.uploads.models.Document.Kind"
)

# services.receipts
# RECEIPT_SIGNING_KEY: PEM of the Ed25519 key that signs receipts (generated under var/ in debug).
RECEIPT_SIGNING_KEY = env.str("RECEIPT_SIGNING_KEY", default="").replace("\\n", "\n")
if not RECEIPT_SIGNING_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("RECEIPT_SIGNING_KEY must be set when DEBUG is off.")
    from services.receipts.devkey import dev_receipt_signing_key

    RECEIPT_SIGNING_KEY = dev_receipt_signing_key(VAR_DIR)
# RECEIPT_RETIRED_PUBLIC_KEYS: PEM public keys of earlier signing keys, still accepted when verifying.
RECEIPT_RETIRED_PUBLIC_KEYS = env.str("RECEIPT_RETIRED_PUBLIC_KEYS", default="").replace(
    "\\n", "\n"
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    ReceiptKindEnum="services.receipts.models.Receipt.Kind",
    ReceiptStatusEnum="services.receipts.models.Receipt.Status",
    ReceiptErrorCode404Enum="services.receipts.exceptions.ReceiptError404Code",
    ReceiptVerificationResultEnum="services.receipts.api.serializers.VERIFICATION_RESULTS",
)

# --- The domain modules: each block belongs to its app ------------------------------------------
# civil_registry
# CIVIL_REGISTRY_NATIONAL_ADAPTER: dotted path of the national population system adapter
# (default: the deterministic fake; the real one is civil_registry.national.HttpNationalSystem).
CIVIL_REGISTRY_NATIONAL_ADAPTER = env.str(
    "CIVIL_REGISTRY_NATIONAL_ADAPTER", default="civil_registry.national.FakeNationalSystem"
)
# CIVIL_REGISTRY_NATIONAL_URL: base URL of the national system's API (real adapter only).
CIVIL_REGISTRY_NATIONAL_URL = env.str("CIVIL_REGISTRY_NATIONAL_URL", default="")
# CIVIL_REGISTRY_NATIONAL_TOKEN: credential for the national system's API (real adapter only).
CIVIL_REGISTRY_NATIONAL_TOKEN = env.str("CIVIL_REGISTRY_NATIONAL_TOKEN", default="")
# CIVIL_REGISTRY_NATIONAL_TIMEOUT: seconds the real adapter waits for the national system per call.
CIVIL_REGISTRY_NATIONAL_TIMEOUT = env.float("CIVIL_REGISTRY_NATIONAL_TIMEOUT", default=10.0)
CELERY_BEAT_SCHEDULE["civil-registry-pull-national-statuses"] = {
    "task": "civil_registry.pull_national_statuses",
    "schedule": 60 * 15,
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    CivilRequestStateEnum="civil_registry.workflow.State",
    CivilRequestTypeEnum="civil_registry.types.TYPE_CHOICES",
    CivilRequestRelationshipEnum="civil_registry.models.Relationship",
)

# payments
# PAYMENTS_PROVIDER: the QRIS gateway adapter: "sandbox" (simulated acquirer, default) or "midtrans".
PAYMENTS_PROVIDER = env.str("PAYMENTS_PROVIDER", default="sandbox")
# PAYMENTS_QR_EXPIRY_MINUTES: how long a dynamic QRIS can be paid.
PAYMENTS_QR_EXPIRY_MINUTES = env.int("PAYMENTS_QR_EXPIRY_MINUTES", default=15)
# PAYMENTS_WEBHOOK_TOLERANCE_SECONDS: how old (or early) a signed notification timestamp may be.
PAYMENTS_WEBHOOK_TOLERANCE_SECONDS = env.int("PAYMENTS_WEBHOOK_TOLERANCE_SECONDS", default=300)
# PAYMENTS_RECONCILE_AFTER_MINUTES: pending payments older than this are checked with the gateway.
PAYMENTS_RECONCILE_AFTER_MINUTES = env.int("PAYMENTS_RECONCILE_AFTER_MINUTES", default=30)
# PAYMENTS_SANDBOX_KEY: the key the simulated acquirer signs its callbacks with.
PAYMENTS_SANDBOX_KEY = env.str("PAYMENTS_SANDBOX_KEY", default="sandbox-not-a-secret")
# PAYMENTS_SANDBOX_PAY_PAGE: offer the sandbox acquirer's "pay now" button in the portal (demo
# only); on by default in debug, refused when DEBUG is off.
PAYMENTS_SANDBOX_PAY_PAGE = env.bool("PAYMENTS_SANDBOX_PAY_PAGE", default=DEBUG)
if PAYMENTS_SANDBOX_PAY_PAGE and not DEBUG:
    raise ImproperlyConfigured("PAYMENTS_SANDBOX_PAY_PAGE must be off when DJANGO_DEBUG is off.")
# PAYMENTS_MIDTRANS_SERVER_KEY / _BASE_URL / _ACQUIRER: Midtrans Core API credentials and endpoint.
PAYMENTS_MIDTRANS_SERVER_KEY = env.str("PAYMENTS_MIDTRANS_SERVER_KEY", default="")
PAYMENTS_MIDTRANS_BASE_URL = env.str(
    "PAYMENTS_MIDTRANS_BASE_URL", default="https://api.sandbox.midtrans.com"
)
PAYMENTS_MIDTRANS_ACQUIRER = env.str("PAYMENTS_MIDTRANS_ACQUIRER", default="gopay")
# PAYMENTS_MERCHANT_*: the city's QRIS merchant data (name ≤25, city ≤15 characters).
PAYMENTS_MERCHANT = {
    "guid": env.str("PAYMENTS_MERCHANT_GUID", default="ID.CO.BANKALTIMTARA.WWW"),
    "pan": env.str("PAYMENTS_MERCHANT_PAN", default="9360012400000000017"),
    "merchant_id": env.str("PAYMENTS_MERCHANT_ID", default="BPPDRD0001"),
    "criteria": env.str("PAYMENTS_MERCHANT_CRITERIA", default="PSO"),
    "nmid": env.str("PAYMENTS_MERCHANT_NMID", default="ID1026000000001"),
    "mcc": env.str("PAYMENTS_MERCHANT_MCC", default="9311"),
    "name": env.str("PAYMENTS_MERCHANT_NAME", default="BPPDRD KOTA BALIKPAPAN"),
    "city": env.str("PAYMENTS_MERCHANT_CITY", default="BALIKPAPAN"),
    "postal_code": env.str("PAYMENTS_MERCHANT_POSTAL_CODE", default="76112"),
}
CELERY_BEAT_SCHEDULE["payments-expire-stale"] = {
    "task": "payments.expire_stale",
    "schedule": 60,
}
CELERY_BEAT_SCHEDULE["payments-process-notifications"] = {
    "task": "payments.process_stored_notifications",
    "schedule": 60,
}
CELERY_BEAT_SCHEDULE["payments-reconcile-pending"] = {
    "task": "payments.reconcile_pending",
    "schedule": 60 * 10,
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    PaymentStateEnum="payments.workflow.PaymentState",
    BillKindEnum="payments.models.Bill.Kind",
)

# health
# HEALTH_BOOKING_WINDOW_DAYS: how many days before a session starts booking opens.
HEALTH_BOOKING_WINDOW_DAYS = env.int("HEALTH_BOOKING_WINDOW_DAYS", default=7)
# HEALTH_MATERIALISE_DAYS: how many days ahead daily sessions are created from weekly schedules.
HEALTH_MATERIALISE_DAYS = env.int("HEALTH_MATERIALISE_DAYS", default=14)
# HEALTH_NO_SHOW_GRACE_MINUTES: after the session start, "call next" marks absent tickets no-show.
HEALTH_NO_SHOW_GRACE_MINUTES = env.int("HEALTH_NO_SHOW_GRACE_MINUTES", default=15)
# HEALTH_DEFAULT_SERVICE_MINUTES: service duration assumed until a point has served tickets.
HEALTH_DEFAULT_SERVICE_MINUTES = env.int("HEALTH_DEFAULT_SERVICE_MINUTES", default=10)
# HEALTH_ESTIMATE_SAMPLE: how many recent served tickets the waiting estimate is computed from.
HEALTH_ESTIMATE_SAMPLE = env.int("HEALTH_ESTIMATE_SAMPLE", default=50)
# HEALTH_REMINDER_MINUTES: a reminder is sent this long before the estimated turn.
HEALTH_REMINDER_MINUTES = env.int("HEALTH_REMINDER_MINUTES", default=30)
# HEALTH_NOW_SERVING_CACHE_SECONDS: how long the public "now serving" answer is cached.
HEALTH_NOW_SERVING_CACHE_SECONDS = env.int("HEALTH_NOW_SERVING_CACHE_SECONDS", default=5)
# HEALTH_NOW_SERVING_LOCAL_SECONDS: how long each process answers a poll from its own copy (a
# change made in another process shows within this time; 0: always ask the shared cache).
HEALTH_NOW_SERVING_LOCAL_SECONDS = env.float("HEALTH_NOW_SERVING_LOCAL_SECONDS", default=1.0)
CELERY_BEAT_SCHEDULE["health-materialise-sessions"] = {
    "task": "health.materialise_sessions",
    "schedule": crontab(hour=0, minute=15),
}
CELERY_BEAT_SCHEDULE["health-sweep-no-shows"] = {
    "task": "health.sweep_no_shows",
    "schedule": 60 * 15,
}
CELERY_BEAT_SCHEDULE["health-send-reminders"] = {
    "task": "health.send_reminders",
    "schedule": 60 * 5,
}

# complaints
# COMPLAINT_DUPLICATE_RADIUS_M: open complaints of the same category this close are possible duplicates.
COMPLAINT_DUPLICATE_RADIUS_M = env.float("COMPLAINT_DUPLICATE_RADIUS_M", default=50)
# COMPLAINT_SUGGESTION_THRESHOLD: below this confidence a complaint goes to the triage queue.
COMPLAINT_SUGGESTION_THRESHOLD = env.float("COMPLAINT_SUGGESTION_THRESHOLD", default=0.6)
# COMPLAINT_REOPEN_DAYS: days after resolution in which the reporter may say "not fixed".
COMPLAINT_REOPEN_DAYS = env.int("COMPLAINT_REOPEN_DAYS", default=7)
# COMPLAINT_MAX_PHOTOS: photos per complaint.
COMPLAINT_MAX_PHOTOS = env.int("COMPLAINT_MAX_PHOTOS", default=5)
# COMPLAINT_DASHBOARD_CACHE_SECONDS: how often the public dashboard figures are recomputed (a beat
# task; they stay cached for three times as long, so no request waits for the computation).
COMPLAINT_DASHBOARD_CACHE_SECONDS = env.int("COMPLAINT_DASHBOARD_CACHE_SECONDS", default=300)
# API_THROTTLE_COMPLAINT: complaints filed per user (or IP) and hour.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["complaint"] = env.str(
    "API_THROTTLE_COMPLAINT", default="10/hour"
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    ComplaintStateEnum="complaints.workflow.State",
    ComplaintChannelEnum="complaints.models.Channel",
)
CELERY_BEAT_SCHEDULE["complaints-mark-breached"] = {
    "task": "complaints.mark_breached",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["complaints-close-confirmed"] = {
    "task": "complaints.close_confirmed",
    "schedule": crontab(hour=1, minute=0),
}
# An image-processing task lost to a broker outage at upload time is queued again.
CELERY_BEAT_SCHEDULE["uploads-queue-unprocessed"] = {
    "task": "uploads.queue_unprocessed",
    "schedule": 15 * 60,
}
# A blurring task lost to a broker outage at filing time is queued again (docs/security.md).
CELERY_BEAT_SCHEDULE["complaints-queue-missing-public-photos"] = {
    "task": "complaints.queue_missing_public_photos",
    "schedule": 15 * 60,
}
# The public dashboard is recomputed here, not by the request that finds the cache empty.
CELERY_BEAT_SCHEDULE["complaints-refresh-dashboard"] = {
    "task": "complaints.refresh_dashboard",
    "schedule": COMPLAINT_DASHBOARD_CACHE_SECONDS,
}

# channels (WhatsApp Business Cloud API and Open311 GeoReport v2)
# WHATSAPP_WEBHOOK_PATH: where Meta posts the webhook (no leading slash).
WHATSAPP_WEBHOOK_PATH = env.str("WHATSAPP_WEBHOOK_PATH", default="webhooks/whatsapp").strip("/")
# WHATSAPP_VERIFY_TOKEN: the token Meta echoes in the GET handshake (set it in Meta's console).
WHATSAPP_VERIFY_TOKEN = env.str(
    "WHATSAPP_VERIFY_TOKEN", default="dev-verify-token" if DEBUG else ""
)
# WHATSAPP_APP_SECRET: the app secret that signs deliveries (X-Hub-Signature-256).
WHATSAPP_APP_SECRET = env.str("WHATSAPP_APP_SECRET", default="dev-app-secret" if DEBUG else "")
# WHATSAPP_CLIENT: dotted path of the sender; channels.whatsapp.client.CloudAPIClient in production.
WHATSAPP_CLIENT = env.str("WHATSAPP_CLIENT", default="channels.whatsapp.client.ConsoleClient")
# WHATSAPP_API_BASE_URL / _VERSION / WHATSAPP_PHONE_NUMBER_ID / WHATSAPP_ACCESS_TOKEN: Cloud API.
WHATSAPP_API_BASE_URL = env.str("WHATSAPP_API_BASE_URL", default="https://graph.facebook.com")
WHATSAPP_API_VERSION = env.str("WHATSAPP_API_VERSION", default="v21.0")
WHATSAPP_PHONE_NUMBER_ID = env.str("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_ACCESS_TOKEN = env.str("WHATSAPP_ACCESS_TOKEN", default="")
# WHATSAPP_HTTP_TIMEOUT: seconds per Cloud API call; _RETRIES: quick retries of a 429/5xx/timeout,
# waiting _BACKOFF seconds doubled each time (or Retry-After) up to _BACKOFF_MAX.
WHATSAPP_HTTP_TIMEOUT = env.float("WHATSAPP_HTTP_TIMEOUT", default=10.0)
WHATSAPP_HTTP_RETRIES = env.int("WHATSAPP_HTTP_RETRIES", default=2)
WHATSAPP_HTTP_BACKOFF = env.float("WHATSAPP_HTTP_BACKOFF", default=1.0)
WHATSAPP_HTTP_BACKOFF_MAX = env.float("WHATSAPP_HTTP_BACKOFF_MAX", default=10.0)
# WHATSAPP_SEND_RETRIES: task-level retries of a reply after the quick ones (backoff doubles from 60 s).
WHATSAPP_SEND_RETRIES = env.int("WHATSAPP_SEND_RETRIES", default=5)
# WHATSAPP_CONVERSATION_TIMEOUT_MINUTES: an unfinished dialogue is forgotten after this long.
WHATSAPP_CONVERSATION_TIMEOUT_MINUTES = env.int("WHATSAPP_CONVERSATION_TIMEOUT_MINUTES", default=30)
# WHATSAPP_TEMPLATE_PREFIX: approved templates are named <prefix><event> (e.g. buw_status_changed);
# staff replies outside the 24-hour window use <prefix>staff_reply. Each takes the text as {{1}}.
WHATSAPP_TEMPLATE_PREFIX = env.str("WHATSAPP_TEMPLATE_PREFIX", default="buw_")
# WHATSAPP_LOOKUPS_PER_HOUR: STATUS/TAGIHAN look-ups one number may make per hour.
WHATSAPP_LOOKUPS_PER_HOUR = env.int("WHATSAPP_LOOKUPS_PER_HOUR", default=30)
# OPEN311_JURISDICTION_ID: the jurisdiction_id accepted (others are 404).
OPEN311_JURISDICTION_ID = env.str("OPEN311_JURISDICTION_ID", default="balikpapan.go.id")
# OPEN311_CONTACT / OPEN311_KEY_SERVICE: shown in discovery.
OPEN311_CONTACT = env.str(
    "OPEN311_CONTACT", default="Diskominfo Kota Balikpapan - open311@balikpapan.go.id"
)
OPEN311_KEY_SERVICE = env.str(
    "OPEN311_KEY_SERVICE", default="Ask Diskominfo for an api_key: open311@balikpapan.go.id"
)
# OPEN311_POSTS_PER_HOUR: requests one partner key may post per hour.
OPEN311_POSTS_PER_HOUR = env.int("OPEN311_POSTS_PER_HOUR", default=600)
# OPEN311_READS_PER_MINUTE: GET requests one client address may make per minute.
OPEN311_READS_PER_MINUTE = env.int("OPEN311_READS_PER_MINUTE", default=120)
# OPEN311_CACHE_SECONDS: how long a rendered requests.json/xml answer is shared between readers
# (0: not cached); a filed or changed complaint replaces it at once.
OPEN311_CACHE_SECONDS = env.int("OPEN311_CACHE_SECONDS", default=60)
# (Without WHATSAPP_VERIFY_TOKEN and WHATSAPP_APP_SECRET the webhook refuses every call.)
CELERY_BEAT_SCHEDULE["channels-sweep"] = {"task": "channels.sweep", "schedule": 5 * 60}

# --- Health checks ----------------------------------------------------------------------------
# READYZ_TIMEOUT: seconds each dependency gets to answer /readyz.
READYZ_TIMEOUT = env.float("READYZ_TIMEOUT", default=2.0)

# --- The benchmark (bench/run.py, docs/performance.md); both off outside `make bench` ----------
# BENCH_FLOOR: route /api/v1/_floor, the benchmark's minimal JSON view (bench/floor.py).
BENCH_FLOOR = env.bool("BENCH_FLOOR", default=False)
# BENCH_COUNT_QUERIES: add an X-Queries header (SQL statements run) to every response.
if env.bool("BENCH_COUNT_QUERIES", default=False):
    MIDDLEWARE.insert(0, "bench.middleware.QueryCountMiddleware")

# applications
# APPLICATIONS_CITY_BBOX: south, west, north, east (degrees) a map location of an online
# application must fall in: Kota Balikpapan lies at 1.0-1.5 deg S, 116.5-117.5 deg E.
APPLICATIONS_CITY_BBOX = env.list(
    "APPLICATIONS_CITY_BBOX", cast=float, default=[-1.5, 116.5, -1.0, 117.5]
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    ApplicationStateEnum="applications.workflow.State",
)

# privacy (data-subject rights under UU No. 27/2022, see docs/privacy.md)
# PRIVACY_EXPORT_TTL_HOURS: how long a prepared export can be downloaded (once).
PRIVACY_EXPORT_TTL_HOURS = env.int("PRIVACY_EXPORT_TTL_HOURS", default=72)
# PRIVACY_EXPORTS_PER_DAY: exports one person may ask for in 24 hours (429 with Retry-After after).
PRIVACY_EXPORTS_PER_DAY = env.int("PRIVACY_EXPORTS_PER_DAY", default=3)
# PRIVACY_CORRECTION_AGENCY_CODE: the agency whose staff verify identity-data corrections.
PRIVACY_CORRECTION_AGENCY_CODE = env.str("PRIVACY_CORRECTION_AGENCY_CODE", default="disdukcapil")
# PRIVACY_DRAFT_RETENTION_DAYS: drafts untouched this long are deleted with their uploads.
PRIVACY_DRAFT_RETENTION_DAYS = env.int("PRIVACY_DRAFT_RETENTION_DAYS", default=30)
# PRIVACY_CONVERSATION_RETENTION_DAYS: WhatsApp dialogues and messages older than this are deleted.
PRIVACY_CONVERSATION_RETENTION_DAYS = env.int("PRIVACY_CONVERSATION_RETENTION_DAYS", default=90)
CELERY_BEAT_SCHEDULE["privacy-purge-retention"] = {
    "task": "privacy.purge_retention",
    "schedule": crontab(hour=2, minute=30),
}
