"""The CMS pages ``make bench`` measures: the home page (registered by the bench itself) and
a live campaign page showing 24 products. On a database without pages (``seed_bench`` alone)
the demo's home, help and campaign pages are added first, so "home" measures the real home
page with its product grids and campaigns."""

from marketplace.bench.pages import PageContext, SkipPage, register

BENCH_SLUG = "bench-campaign-24"


def ensure_bench_campaign(*, count: int = 24):
    """A published, live campaign page with one grid of ``count`` products from the busiest
    category (created once; the bench database is throw-away)."""
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone
    from oscar.core.loading import get_model

    from cms.models import CampaignIndexPage, CampaignPage, HomePage

    existing = CampaignPage.objects.filter(slug=BENCH_SLUG).first()
    if existing is not None:
        return existing
    home = HomePage.objects.order_by("pk").first()
    if home is None:  # seed_bench builds the catalogue only: add the demo's pages and campaigns
        from marketplace.demo.pages import ensure_pages

        home = ensure_pages()
    index = CampaignIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=CampaignIndexPage(title="活动", slug="campaigns", locale=home.locale))
        index.save_revision().publish()
    category = (get_model("catalogue", "Category").objects.annotate(n=Count("product"))
                .filter(n__gt=0).order_by("depth", "-n", "pk").first())
    if category is None:
        raise SkipPage("no category has products")
    now = timezone.now()
    page = index.add_child(instance=CampaignPage(
        title="压测活动", slug=BENCH_SLUG, locale=home.locale, kind=CampaignPage.OTHER,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=365), summary="压测用活动页。",
        body=[("product_grid", {"heading": "活动商品", "source": "category", "category_slug": category.slug,
                                "count": count})],
    ))
    page.save_revision().publish()
    return page


@register("campaign (24 products)")
def campaign(ctx: PageContext) -> str:
    return ensure_bench_campaign().url
