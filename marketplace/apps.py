from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "银龄集市"

    def ready(self):
        from marketplace import storefront_cache, translation_lookup, view_counts

        translation_lookup.remember_translations()
        view_counts.take_over_oscar_view_counting()
        storefront_cache.watch_storefront_models()
        post_migrate.connect(_sync_roles, sender=self)


def _sync_roles(sender, **kwargs):
    from django.contrib.auth.models import Group, Permission

    from marketplace.roles import sync_roles

    sync_roles(group_model=Group, permission_model=Permission)
