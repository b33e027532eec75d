from django.contrib import admin

from search.models import SearchDocument, SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["terms", "note"]


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only: the index is written by the indexer (`manage.py search_index`)."""

    list_display = ["title", "origin", "price", "can_buy", "updated_at"]
    list_filter = ["can_buy", "in_stock", "origin"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
