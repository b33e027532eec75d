from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.views import serve as wagtail_serve

from marketplace.api.urls import api_urlpatterns
from marketplace.basket_add import BasketAddView
from marketplace.health import healthz
from marketplace.payments import webhooks as stripe_webhooks
from marketplace.session_timeout import extend as extend_session
from marketplace.uploads import serve_media
from traceability.views import resolver

handler500 = "marketplace.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The transparency log and the GS1 resolver description: stable URLs, no language prefix.
    path("tlog/", include("traceability.transparency.urls")),
    path(".well-known/gs1resolver", resolver.description, name="gs1resolver"),
    # Stripe calls this exact path; no language prefix, no CSRF (the signature is checked).
    path("checkout/stripe/webhook/", stripe_webhooks.receive, name="stripe-webhook"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("django-admin/", admin.site.urls),
    *api_urlpatterns,  # /api/v1/: machines call it, no language prefix
]

if settings.SERVE_MEDIA:
    # Uploaded files go out as attachments with nosniff and a sandboxing CSP (marketplace/uploads.py).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

# Chinese at the root paths, English under /en/. Wagtail's catch-all comes last.
urlpatterns += i18n_patterns(
    # Oscar redirects "/" to OSCAR_HOMEPAGE; the home page is Wagtail's, so serve it first.
    path("", wagtail_serve, {"path": ""}, name="home_page"),
    path("", include("traceability.urls")),
    path("", include("marketplace.order.urls")),
    path("", include("traceability.transparency.console_urls")),
    path("", include("marketplace.payments.urls")),
    path("", include("marketplace.family.urls")),
    path("session/continue/", extend_session, name="session-extend"),
    path("basket/add/<int:pk>/", BasketAddView.as_view(), name="basket-add-in-one-transaction"),
    path("", include("marketplace.statistics.urls")),
    path("", include("marketplace.onboarding.urls")),
    path("", include("marketplace.claims.urls")),
    path("", include("marketplace.api.urls")),
    path("", include("marketplace.preferences.urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
