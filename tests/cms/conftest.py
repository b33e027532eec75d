"""Shared data for the CMS tests: a published home page, a campaign index and campaigns whose
products are really sellable (stock, listing, commitment, intact lot) and an Oscar offer."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from oscar.core.loading import get_model

from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")

# The campaign window the tests freeze time around. It lies around today because the
# factories date lots, trace events and commitments from the real clock: a product made
# "60 days ago" must still be sellable at every frozen moment.
_TODAY = datetime.now(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
WINDOW_START = _TODAY - timedelta(days=5)
WINDOW_END = _TODAY + timedelta(days=25, hours=23, minutes=59, seconds=59)
DURING = _TODAY + timedelta(hours=12)
BEFORE = WINDOW_START - timedelta(days=1)
AFTER = WINDOW_END + timedelta(days=1)


def day_text(moment) -> str:
    """How the templates write a date and time (Y年n月j日 H:i)."""
    local = moment.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def grid(category_slug=None, *, source="category", count=8, products=(), heading="活动商品", **extra):
    return ("product_grid", {"heading": heading, "source": source, "category_slug": category_slug or "",
                             "count": count, "products": list(products),
                             "catalogue": extra.get("catalogue", ""), "merchant": extra.get("merchant", "")})


def percentage_offer(*, category, percent=10, name="敬老月康复辅具九折"):
    range_ = Range.objects.create(name=f"{name}范围")
    range_.included_categories.add(category)
    return ConditionalOffer.objects.create(
        name=name, offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=range_, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=range_, type=Benefit.PERCENTAGE, value=percent),
    )


def campaign(index, *, title="2026敬老月", slug="jinglaoyue", body=(), offers=(), starts_at=WINDOW_START,
             ends_at=WINDOW_END, kind="respect_the_aged_month", publish=True):
    from cms.models import CampaignOffer, CampaignPage

    page = index.add_child(instance=CampaignPage(
        title=title, slug=slug, kind=kind, starts_at=starts_at, ends_at=ends_at,
        summary="重阳节前后，康复辅具九折。", body=list(body), locale=index.locale,
    ))
    for offer in offers:
        CampaignOffer.objects.create(page=page, offer=offer)
    if publish:
        page.save_revision().publish()
    return page


@pytest.fixture
def shop(db):
    top = factories.category(name="康复辅具", name_en="Rehabilitation aids")
    walkers = factories.category(name="助行器与手杖", name_en="Walkers", parent=top)
    other = factories.category(name="吉林人参", name_en="Ginseng")
    fusong = factories.merchant(name="抚松参业合作社")
    hearing = factories.merchant(name="长春听力器材")
    walkers_products = [
        factories.sellable_product(title=f"折叠助行器{n}号", merchant_=hearing, category=walkers,
                                   price=Decimal("268.90") + n)
        for n in range(3)
    ]
    ginseng = factories.sellable_product(title="林下山参礼盒", merchant_=fusong, category=other,
                                         product_class="mobility-aids", price=Decimal("1280.00"))
    home = factories.home_pages()
    from cms.models import CampaignIndexPage

    index = home.add_child(instance=CampaignIndexPage(title="优惠活动", slug="campaigns", locale=home.locale))
    index.save_revision().publish()
    return {"top": top, "walkers": walkers, "other": other, "products": walkers_products, "ginseng": ginseng,
            "fusong": fusong, "hearing": hearing, "home": home, "index": index}
