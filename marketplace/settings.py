"""Settings for Silver Market (银龄集市).

Everything that differs between machines comes from the environment; the README lists
every variable. The defaults give an embedded demo site: SQLite under ``var/``, the
database search backend, a local-memory cache and cash on delivery.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from oscar.defaults import *  # noqa: F401,F403 - Oscar's settings, overridden below


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("DEMO_MODE", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (VAR_DIR / "secret_key").is_file():
    # `make run` writes the key here, so operator commands in that checkout need no export.
    SECRET_KEY = (VAR_DIR / "secret_key").read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set SECRET_KEY in the environment "
            "(or DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    # Our project app: roles, health check, view counting, demo seeding.
    "marketplace.apps.MarketplaceConfig",
    # Oscar, with our forks in place of catalogue, partner, order and search.
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "marketplace.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "marketplace.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "marketplace.offer.apps.OfferConfig",  # range membership from memory
    "marketplace.order.apps.OrderConfig",
    "marketplace.post_only.CustomerConfig",  # Oscar's customer app; wish-list changes by POST only
    "search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "marketplace.dashboard.orders.apps.OrdersDashboardConfig",  # merchants see only their own lines
    "marketplace.dashboard.catalogue.apps.CatalogueDashboardConfig",  # merchants look up their own products
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "marketplace.dashboard.partners.apps.PartnersDashboardConfig",  # link users by POST only
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    # Traceability and the CMS.
    "traceability.apps.TraceabilityConfig",
    "marketplace.payments.apps.PaymentsConfig",
    "marketplace.family.apps.FamilyConfig",
    "marketplace.statistics.apps.StatisticsConfig",
    "marketplace.onboarding.apps.OnboardingConfig",
    "marketplace.claims.apps.ClaimsConfig",
    "marketplace.api.apps.ApiConfig",
    "marketplace.preferences.apps.PreferencesConfig",
    "traceability.transparency.apps.TransparencyConfig",
    "cms.apps.CmsConfig",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: its own pre-compressed copies
    # Dynamic HTML gzipped. BREACH: CSRF tokens are masked afresh in every response and Django pads
    # each gzip stream with random bytes, so a secret cannot be guessed from the compressed length.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "marketplace.security_headers.ContentSecurityPolicyMiddleware",
    "marketplace.staff_areas.StaffAreaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "marketplace.session_timeout.IdleTimeoutMiddleware",  # after auth and messages: it logs out and says so
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "marketplace.basket_middleware.BasketMiddleware",  # reads the lines once
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "marketplace.errors.MissingObjectIsNotFound",
    # Last, so it sees every login failure the views above report.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "marketplace.context_processors.storefront",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE transactions and a busy
    # timeout make concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "marketplace.redis_cache.PooledClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "silver",
        }
    }
elif env_bool("TESTING"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Without Redis, gunicorn's workers still share one cache (and so one storefront
    # version: a suspension shows in every worker at once) through files under var/.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# --- Search ---------------------------------------------------------------------------
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_ES_INDEX = os.environ.get("SEARCH_ES_INDEX", "silver-products")  # an alias; rebuilds swap it
SEARCH_ES_ANALYZER = os.environ.get("SEARCH_ES_ANALYZER", "cjk")  # cjk, or smartcn / icu with the plugin
SEARCH_ES_TIMEOUT = float(os.environ.get("SEARCH_ES_TIMEOUT", "2"))
# Oscar's class loader imports its own search app first, and that imports haystack,
# which insists on a connection being configured. Our listings do not use it.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# --- JSON API (marketplace/api) ------------------------------------------------------
API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("API_RATE_LIMIT_PER_MINUTE", "120"))  # per token
API_EPCIS_MAX_BYTES = int(os.environ.get("API_EPCIS_MAX_BYTES", "2000000"))  # one EPCIS capture document
API_EPCIS_MAX_EVENTS = int(os.environ.get("API_EPCIS_MAX_EVENTS", "500"))  # events in one capture

# --- Payments -------------------------------------------------------------------------
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # a local stand-in in tests
# Payment method types offered on Stripe's page (wechat_pay is shown as a QR code for the web).
STRIPE_PAYMENT_METHODS = env_list("STRIPE_PAYMENT_METHODS", "card,alipay,wechat_pay")
# How long a Checkout Session (and the stock it holds) stays open: Stripe allows 30–1440.
STRIPE_SESSION_MINUTES = int(os.environ.get("STRIPE_SESSION_MINUTES", "60"))

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "银龄集市 <noreply@silver-market.example>")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "marketplace.login_throttle.LoginThrottleBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

if env_bool("TESTING"):
    # Tests create many users; the production hasher's cost would dominate the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Language, time, money ------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
OSCAR_DEFAULT_CURRENCY = "CNY"
OSCAR_CURRENCY_FORMAT = {"CNY": {"format": "¤#,##0.00", "format_type": "standard"}}

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files no URL maps (merchants' licences): outside MEDIA_ROOT, handed out by views that check
# who asks (marketplace/onboarding/licences.py). Never put it under MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("TESTING")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Media is served by the app itself only in the embedded setup; production puts it on
# shared storage behind the reverse proxy (see README).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# --- Oscar ----------------------------------------------------------------------------
OSCAR_SHOP_NAME = "银龄集市"
OSCAR_SHOP_TAGLINE = "Silver Market"
OSCAR_THUMBNAILER = "catalog.thumbnails.PillowThumbnailer"
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
OSCAR_HOMEPAGE = "/"
OSCAR_DASHBOARD_NAVIGATION = OSCAR_DASHBOARD_NAVIGATION  # noqa: F405 - kept from Oscar's defaults
OSCAR_ORDER_STATUS_PIPELINE = {
    "待付款": ("待发货", "已取消"),
    "待发货": ("已发货", "已取消"),
    "已发货": ("已完成",),
    "已完成": (),
    "已取消": (),
}
OSCAR_INITIAL_ORDER_STATUS = "待付款"
OSCAR_INITIAL_LINE_STATUS = "待付款"

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "银龄集市"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAILDOCS_EXTENSIONS = ["pdf", "png", "jpg", "jpeg"]
# Uploads: the same rules as every other upload (marketplace/uploads.py).
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # through Django: attachment, nosniff, CSP sandbox
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.upload_forms.SafeDocumentForm"

# --- Transparency log (traceability/transparency) -----------------------------------------
# Origin: defaults to SITE_URL's host + "/tlog". Keys: base64 seed or PEM in the variable, or a
# file. Without keys, development and test runs generate key files under VAR_DIR.
TLOG_ORIGIN = os.environ.get("TLOG_ORIGIN", "")
TLOG_SIGNING_KEY = os.environ.get("TLOG_SIGNING_KEY", "")
TLOG_SIGNING_KEY_FILE = os.environ.get("TLOG_SIGNING_KEY_FILE", "")
TLOG_WITNESS_NAME = os.environ.get("TLOG_WITNESS_NAME", "")
TLOG_WITNESS_KEY = os.environ.get("TLOG_WITNESS_KEY", "")
TLOG_WITNESS_KEY_FILE = os.environ.get("TLOG_WITNESS_KEY_FILE", "")
TLOG_WITNESS_VKEY = os.environ.get("TLOG_WITNESS_VKEY", "")
TLOG_DEV_KEYS = DEBUG or DEMO_MODE or env_bool("TESTING")

# --- Security -------------------------------------------------------------------------
# A signed-in session ends after this long with no request; the page warns a little before
# (marketplace/session_timeout.py) and 「继续使用」 renews it.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", "120"))
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not DEMO_MODE)
# Sessions are read from the cache and written through to the database: each checkout step
# and signed-in page saves a query, and a cache restart loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "marketplace.errors.csrf_failure"
# HSTS in production only: a demo on http://127.0.0.1 must not pin the browser to https.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG or DEMO_MODE else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_REFERRER_POLICY = "same-origin"
# Request and upload limits: forms are small; files (reports, images) up to 10 MB stream to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
REPORT_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
# Uploaded media from a separate origin (https://media.example.cn), so nothing a user uploads
# ever runs in the shop's origin; unset, /media/ is served with attachment + sandbox headers.
MEDIA_ORIGIN = os.environ.get("MEDIA_ORIGIN", "").rstrip("/")
if MEDIA_ORIGIN:
    MEDIA_URL = f"{MEDIA_ORIGIN}/media/"

# Content-Security-Policy (marketplace/security_headers.py): strict on the storefront; the
# Wagtail and Django admins load inline scripts and styles of their own, so they get a
# relaxed policy scoped to their paths.
CSP_STOREFRONT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"] + ([MEDIA_ORIGIN] if MEDIA_ORIGIN else []),
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"] + (["https://checkout.stripe.com"] if STRIPE_SECRET_KEY else []),
}
CSP_ADMIN = {
    **CSP_STOREFRONT,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"] + ([MEDIA_ORIGIN] if MEDIA_ORIGIN else []),
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CSP_ADMIN_PATH_PREFIXES = ("/cms/", "/django-admin/", "/dashboard/", "/en/dashboard/")

# Failed logins (marketplace/login_throttle.py): 5 failures per account or per address lock
# that account/address for 15 minutes. Counted in the database, shared by all app servers.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "marketplace.login_throttle.account_key"
AXES_CLIENT_IP_CALLABLE = "marketplace.login_throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "marketplace.login_throttle.lockout_response"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_ENABLE_ADMIN = True
AXES_VERBOSE = False

# Product views are counted in the cache and written to the database in batches by
# ``manage.py flush_view_counts``, so a page view never writes to the database.
VIEW_COUNT_CACHE_PREFIX = "views:product:"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SHIPPING_FLAT_CHARGE = Decimal(os.environ.get("SHIPPING_FLAT_CHARGE", "0.00"))
