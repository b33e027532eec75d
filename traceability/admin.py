"""Traceability records in the Django admin: to read, not to rewrite.

Events, commitments and audit entries are append-only (the models and the database
refuse changes), so the admin offers no change or delete for them. Events are written
only through ``chain.record_event``, so there is no add form for them either. On a lot,
only its sale status can be edited; its chain status comes from verification.
"""

from django.contrib import admin, messages
from django.utils import timezone

from traceability import chain
from traceability.models import AuditEntry, Lot, QualityCommitment, TraceEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Existing rows can be viewed but not changed or deleted."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [field.name for field in self.model._meta.fields]


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin):
    list_display = ("code", "product", "merchant", "produced_on", "status", "chain_status", "chain_checked_at")
    list_filter = ("status", "chain_status")
    search_fields = ("gtin", "lot_number", "product__title", "merchant__name")
    list_select_related = ("product", "merchant")
    raw_id_fields = ("product", "merchant", "commitment")
    actions = ["verify_chains"]
    editable_after_creation = ("status", "status_reason")
    always_read_only = ("chain_status", "chain_checked_at", "chain_problem", "status_changed_at", "created_at")

    def has_delete_permission(self, request, obj=None):
        return False  # its events point at it for good

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.always_read_only
        return [field.name for field in Lot._meta.fields if field.name not in self.editable_after_creation]

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            obj.status_changed_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="校验所选批次的追溯链", permissions=["verify"])
    def verify_chains(self, request, queryset):
        broken = []
        for lot in queryset:
            report = chain.verify_and_record(lot)
            if not report.intact:
                broken.append(f"{lot.code}（第{report.broken_sequence}个事件）")
        if broken:
            self.message_user(request, "追溯链已损坏：" + "、".join(broken), messages.ERROR)
        else:
            self.message_user(request, f"已校验 {queryset.count()} 个批次，追溯链全部完整。", messages.SUCCESS)

    def has_verify_permission(self, request):
        return request.user.has_perm("traceability.verify_lot")


@admin.register(TraceEvent)
class TraceEventAdmin(ReadOnlyAdmin):
    list_display = ("lot", "sequence", "kind", "event_time", "responsible_party", "corrects", "hash")
    list_filter = ("kind", "event_type")
    search_fields = ("lot__gtin", "lot__lot_number", "responsible_party", "hash")
    list_select_related = ("lot",)
    ordering = ("lot", "sequence")

    def has_add_permission(self, request):
        return False  # events are appended through chain.record_event only


@admin.register(QualityCommitment)
class QualityCommitmentAdmin(ReadOnlyAdmin):
    list_display = ("merchant", "version", "effective_from", "contact_name", "contact_phone")
    list_filter = ("effective_from",)
    search_fields = ("merchant__name", "contact_name")
    list_select_related = ("merchant",)
    raw_id_fields = ("merchant",)
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "target_type", "target_label", "actor")
    list_filter = ("action", "target_type")
    search_fields = ("target_label", "target_id", "reason")
    list_select_related = ("actor",)

    def has_add_permission(self, request):
        return False  # the platform writes these as it acts
