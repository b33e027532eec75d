from django.contrib import admin
from oscar.apps.catalogue.admin import *  # noqa: F401,F403

from catalog.models import CatalogueListing, GeographicalIndication


@admin.register(CatalogueListing)
class CatalogueListingAdmin(admin.ModelAdmin):
    list_display = ("product", "catalogue", "status", "listed_on", "status_changed_at")
    list_filter = ("catalogue", "status")
    raw_id_fields = ("product",)


@admin.register(GeographicalIndication)
class GeographicalIndicationAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "registration", "authority")
