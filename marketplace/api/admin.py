"""Tokens and the API's write log in the Django admin: read-only, revoking through ``tokens.revoke_token``."""

from django.contrib import admin

from marketplace.api import tokens
from marketplace.api.models import ApiAuditEntry, ApiToken, CaptureJob


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnly):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__email")
    exclude = ("secret_sha256",)
    actions = ["revoke"]

    @admin.action(description="作废所选令牌")
    def revoke(self, request, queryset):
        for token in queryset:
            tokens.revoke_token(token=token, user=request.user)


@admin.register(ApiAuditEntry)
class ApiAuditEntryAdmin(ReadOnly):
    list_display = ("at", "user", "method", "path", "object_type", "object_id", "status")
    list_filter = ("method", "status")
    search_fields = ("path", "object_id", "user__email")


@admin.register(CaptureJob)
class CaptureJobAdmin(ReadOnly):
    list_display = ("pk", "user", "created_at", "success", "event_count")
