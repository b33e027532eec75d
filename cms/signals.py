"""Campaign offers follow their campaign; offers reach the storefront cache version."""

from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model
from wagtail.signals import page_published, page_unpublished

from marketplace import storefront_cache


def _campaign_published(sender, instance, **kwargs):
    from cms.offers import sync_offers

    sync_offers(offers=instance.owned_offers(), starts_at=instance.starts_at, ends_at=instance.ends_at, live=True)


def _campaign_unpublished(sender, instance, **kwargs):
    from cms.offers import sync_offers

    sync_offers(offers=instance.owned_offers(), starts_at=instance.starts_at, ends_at=instance.ends_at, live=False)


def connect() -> None:
    from wagtail.models import Page
    from wagtail.signals import post_page_move

    from cms import page_cache
    from cms.models import CampaignPage

    page_published.connect(page_cache.bump, dispatch_uid="cms-pages-published")
    page_unpublished.connect(page_cache.bump, dispatch_uid="cms-pages-unpublished")
    post_page_move.connect(page_cache.bump, dispatch_uid="cms-pages-moved")
    post_delete.connect(page_cache.bump, sender=Page, dispatch_uid="cms-pages-deleted")
    post_save.connect(page_cache.bump, sender=get_model("catalogue", "Category"), dispatch_uid="cms-pages-category")

    page_published.connect(_campaign_published, sender=CampaignPage, dispatch_uid="cms-campaign-published")
    page_unpublished.connect(_campaign_unpublished, sender=CampaignPage, dispatch_uid="cms-campaign-unpublished")
    for app_label, model_name in [("offer", "ConditionalOffer"), ("offer", "Range"), ("offer", "Condition"),
                                  ("offer", "Benefit"), ("offer", "RangeProduct"), ("voucher", "Voucher")]:
        model = get_model(app_label, model_name)
        uid = f"cms-storefront-{app_label}-{model_name}"
        post_save.connect(storefront_cache.bump, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(storefront_cache.bump, sender=model, dispatch_uid=uid + "-delete")
    range_model = get_model("offer", "Range")
    for field in ("included_products", "excluded_products", "included_categories", "excluded_categories", "classes"):
        through = getattr(range_model, field).through
        from django.db.models.signals import m2m_changed

        m2m_changed.connect(storefront_cache.bump, sender=through, dispatch_uid=f"cms-storefront-range-{field}")
