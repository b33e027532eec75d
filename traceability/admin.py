"""Traceability records in the Django admin: to read, not to rewrite.

Events, commitments and audit entries are append-only (the models and the database
refuse changes), so the admin offers no change or delete for them. Events are written
only through ``chain.record_event``, so there is no add form for them either. Nothing on a
lot is edited here: its sale status changes through admin actions that call the same
services as the regulator console (with a reason and an audit entry), and its chain status
comes from verification. Commitment versions are numbered by ``merchant_work``.
"""

from django.contrib import admin, messages

from traceability import merchant_work, regulation
from traceability.admin_actions import reason_action
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
class LotAdmin(ReadOnlyAdmin):
    """Lots to look at. Sale status changes only through the actions (regulation.py, audited).

    Lots are created in the merchant workspace (``merchant_work.create_lot``), which checks
    the GTIN belongs to the merchant; the admin cannot create them around that rule.
    """

    list_display = ("code", "product", "merchant", "produced_on", "status", "chain_status", "chain_checked_at")
    list_filter = ("status", "chain_status")
    search_fields = ("gtin", "lot_number", "product__title", "merchant__name")
    list_select_related = ("product", "merchant")
    actions = ["verify_chains", "suspend", "reinstate", "recall"]

    def has_add_permission(self, request):
        return False

    suspend = reason_action(
        name="suspend", description="暂停所选批次销售", permission="suspend",
        service=lambda lot, **kw: regulation.suspend_lot(lot=lot, **kw), label=lambda lot: lot.code)
    reinstate = reason_action(
        name="reinstate", description="恢复所选批次销售", permission="suspend",
        service=lambda lot, **kw: regulation.reinstate_lot(lot=lot, **kw), label=lambda lot: lot.code)
    recall = reason_action(
        name="recall", description="召回所选批次", permission="recall",
        service=lambda lot, **kw: regulation.recall_lot(lot=lot, **kw), label=lambda lot: lot.code)

    @admin.action(description="校验所选批次的追溯链", permissions=["verify"])
    def verify_chains(self, request, queryset):
        broken = []
        for lot in queryset:
            report = regulation.verify_lot(lot=lot, actor=request.user)
            if not report.intact:
                broken.append(f"{lot.code}（第{report.broken_sequence}个事件）")
        if broken:
            self.message_user(request, "追溯链已损坏：" + "、".join(broken), messages.ERROR)
        else:
            self.message_user(request, f"已校验 {queryset.count()} 个批次，追溯链全部完整。", messages.SUCCESS)

    def has_verify_permission(self, request):
        return request.user.has_perm("traceability.verify_lot")

    def has_suspend_permission(self, request):
        return request.user.has_perm("traceability.suspend_lot")

    def has_recall_permission(self, request):
        return request.user.has_perm("traceability.recall_lot")


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
    exclude = ("created_by", "version", "created_at")

    def save_model(self, request, obj, form, change):
        """A new version through ``merchant_work.publish_commitment``, which numbers it."""
        published = merchant_work.publish_commitment(
            merchant=obj.merchant, standards=list(obj.standards or []), quality_promise=obj.quality_promise,
            returns_promise=obj.returns_promise, after_sales_promise=obj.after_sales_promise,
            contact_name=obj.contact_name, contact_phone=obj.contact_phone, contact_hours=obj.contact_hours,
            effective_from=obj.effective_from, actor=request.user,
        )
        obj.pk, obj.version, obj.created_at = published.pk, published.version, published.created_at
        obj._state.adding = False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "target_type", "target_label", "actor")
    list_filter = ("action", "target_type")
    search_fields = ("target_label", "target_id", "reason")
    list_select_related = ("actor",)

    def has_add_permission(self, request):
        return False  # the platform writes these as it acts
