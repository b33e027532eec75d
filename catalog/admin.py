from django.contrib import admin
from oscar.apps.catalogue.admin import *  # noqa: F401,F403

from catalog.models import CatalogueListing, GeographicalIndication


def _listing_service(name):
    def call(listing, **kwargs):
        from traceability import regulation

        if name == "exit":
            return regulation.suspend_listing(listing=listing, exit_catalogue=True, **kwargs)
        return getattr(regulation, name)(listing=listing, **kwargs)

    return call


def _reason_action(**kwargs):
    from traceability.admin_actions import reason_action

    return reason_action(label=str, permission="change", **kwargs)


@admin.register(CatalogueListing)
class CatalogueListingAdmin(admin.ModelAdmin):
    """Listings; their status changes only through the actions (regulation.py, audited)."""

    list_display = ("product", "catalogue", "status", "listed_on", "status_changed_at")
    list_filter = ("catalogue", "status")
    raw_id_fields = ("product",)
    readonly_fields = ("status", "status_reason", "status_changed_at")
    actions = ["suspend", "exit_catalogue", "reinstate"]

    suspend = _reason_action(name="suspend", description="暂停所选目录资格", service=_listing_service("suspend_listing"))
    exit_catalogue = _reason_action(name="exit_catalogue", description="所选商品退出目录", service=_listing_service("exit"))
    reinstate = _reason_action(name="reinstate", description="恢复所选目录资格",
                               service=_listing_service("reinstate_listing"))

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return (*self.readonly_fields, "product", "catalogue")


@admin.register(GeographicalIndication)
class GeographicalIndicationAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "registration", "authority")
