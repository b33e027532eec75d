from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.views import serve as wagtail_serve

from marketplace.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("django-admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Chinese at the root paths, English under /en/. Wagtail's catch-all comes last.
urlpatterns += i18n_patterns(
    # Oscar redirects "/" to OSCAR_HOMEPAGE; the home page is Wagtail's, so serve it first.
    path("", wagtail_serve, {"path": ""}, name="home_page"),
    path("", include("traceability.urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
