"""Each page type renders its content: home, standard pages, the campaign index and campaigns."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cms.models import StandardPage
from tests.cms.conftest import DURING, WINDOW_END, WINDOW_START, campaign, day_text, grid, percentage_offer

pytestmark = pytest.mark.django_db


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_shows_welcome_categories_featured_products_campaigns_help_and_hotline(client, shop):
    home = shop["home"]
    home.featured_categories.add(shop["walkers"])
    home.featured_products = [("product", shop["ginseng"])]
    home.hotline = "400-123-4567"
    home.save_revision().publish()
    home.add_child(instance=StandardPage(title="怎样购物", slug="how-to-buy", intro="四步买到放心好物"))
    with time_machine.travel(DURING, tick=False):
        campaign(shop["index"])
        campaign(shop["index"], title="银龄购物节", slug="festival", kind="silver_shopping_festival",
                 starts_at=DURING + timedelta(days=40), ends_at=DURING + timedelta(days=50))
        campaign(shop["index"], title="去年的敬老月", slug="last-year",
                 starts_at=DURING - timedelta(days=400), ends_at=DURING - timedelta(days=370))
        text = _text(client, "/")
    assert "放心买，买放心" in text
    assert "助行器与手杖" in text  # the chosen featured category
    assert "为您推荐" in text and "林下山参礼盒" in text and "¥1,280.00" in text
    assert "2026敬老月" in text and "进行中" in text
    assert "银龄购物节" in text and "即将开始" in text
    assert "去年的敬老月" not in text
    assert 'href="tel:400-123-4567"' in text
    assert "怎样购物" in text and "/how-to-buy/" in text


def test_home_without_chosen_categories_lists_the_top_ones(client, shop):
    text = _text(client, "/")
    assert "康复辅具" in text and "吉林人参" in text


def test_standard_page_renders_blocks_and_sanitises_rich_text(client, shop):
    page = shop["home"].add_child(instance=StandardPage(
        title="退换货政策", slug="returns", intro="签收后7天内可无理由退货",
        body=[
            ("paragraph", '<p>质量问题运费由商家承担。</p><script>alert(1)</script><p onclick="x()">点这里</p>'),
            ("callout", {"title": "拿不准就打电话", "text": "客服热线 400-000-0000", "link_page": None,
                         "link_url": "", "link_text": ""}),
            ("faq", {"heading": "常见问题", "items": [{"question": "拆封了能退吗？", "answer": "<p>看商品页提示。</p>"}]}),
        ],
    ))
    page.save_revision().publish()
    text = _text(client, "/returns/")
    assert "<h1>退换货政策</h1>" in text
    assert "签收后7天内可无理由退货" in text
    assert "质量问题运费由商家承担。" in text
    assert "alert(1)" not in text and "onclick" not in text
    assert "拿不准就打电话" in text
    assert "拆封了能退吗？" in text and "看商品页提示。" in text


def test_english_tree_still_served(client, shop):
    text = _text(client, "/en/")
    assert "Buy with confidence" in text


def test_campaign_index_groups_live_upcoming_and_ended(client, shop):
    with time_machine.travel(DURING, tick=False):
        campaign(shop["index"])
        campaign(shop["index"], title="银龄购物节", slug="festival", kind="silver_shopping_festival",
                 starts_at=DURING + timedelta(days=40), ends_at=DURING + timedelta(days=50))
        text = _text(client, "/campaigns/")
    live, upcoming = text.index("正在进行"), text.index("即将开始")
    assert live < text.index("2026敬老月") < upcoming < text.index("银龄购物节")
    assert "已经结束</h2>" not in text


def test_campaign_page_renders_every_block(client, shop):
    offer = percentage_offer(category=shop["top"])
    body = [
        ("paragraph", "<p>十月是敬老月。</p>"),
        grid(shop["top"].slug),
        ("offer", {"heading": "康复辅具一律九折", "offer": str(offer.pk), "voucher": "", "note": "无需优惠码"}),
        ("activities", {"heading": "老年用品产品尝新", "activities": [{
            "title": "助行器试用会", "starts_at": "2026-10-18T09:30:00+08:00", "place": "朝阳区桂林路社区养老服务中心",
            "description": "康复师讲解", "signup_url": "https://example.com/signup", "signup_phone": "0431-1"}]}),
        ("faq", {"heading": "常见问题", "items": [{"question": "优惠怎么用？", "answer": "<p>自动减价。</p>"}]}),
        ("callout", {"title": "请家人帮忙下单", "text": "亲情账号", "link_page": None, "link_url": "",
                     "link_text": ""}),
    ]
    with time_machine.travel(DURING, tick=False):
        campaign(shop["index"], body=body, offers=[offer])
        text = _text(client, "/campaigns/jinglaoyue/")
    assert "<h1>2026敬老月</h1>" in text and "敬老月</p>" in text  # the kind
    assert "十月是敬老月。" in text
    assert "活动正在进行" in text
    assert "购买「敬老月康复辅具九折范围」中的任意商品，这些商品减价10%（打9折）。" in text
    assert f"{day_text(WINDOW_START)} 至 {day_text(WINDOW_END)}" in text
    assert "助行器试用会" in text and "2026年10月18日 09:30" in text and "朝阳区桂林路社区养老服务中心" in text
    assert 'href="https://example.com/signup"' in text
    assert "优惠怎么用？" in text and "请家人帮忙下单" in text
    for product in shop["products"]:
        assert product.title in text
    assert "林下山参礼盒" not in text  # not in the category
    assert "《老年用品产品推广目录》" in text  # the listing badge from the shared product card


@pytest.mark.parametrize("source, extra, shown, hidden", [
    ("category", {"category_slug": "walkers"}, ["折叠助行器0号"], ["林下山参礼盒"]),
    ("merchant", {"merchant": "fusong"}, ["林下山参礼盒"], ["折叠助行器0号"]),
    ("listing", {"catalogue": "elder_products"}, ["林下山参礼盒", "折叠助行器0号"], []),
    ("chosen", {"products": ["ginseng"]}, ["林下山参礼盒"], ["折叠助行器0号"]),
])
def test_product_grid_rules(client, shop, source, extra, shown, hidden):
    value = {"heading": "精选", "source": source, "count": 8, "category_slug": "", "catalogue": "",
             "merchant": "", "products": []}
    for key, name in extra.items():
        if key == "category_slug":
            value[key] = shop[name].slug
        elif key == "merchant":
            value[key] = str(shop[name].pk)
        elif key == "products":
            value[key] = [shop[item] for item in name]
        else:
            value[key] = name
    with time_machine.travel(DURING, tick=False):
        campaign(shop["index"], body=[("product_grid", value)])
        text = _text(client, "/campaigns/jinglaoyue/")
    for title in shown:
        assert title in text
    for title in hidden:
        assert title not in text


def test_grid_limit_is_honoured(client, shop):
    with time_machine.travel(DURING, tick=False):
        campaign(shop["index"], body=[grid(shop["top"].slug, count=2)])
        text = _text(client, "/campaigns/jinglaoyue/")
    assert sum(p.title in text for p in shop["products"]) == 2


def test_grid_block_needs_the_field_its_source_uses():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from cms.blocks import ProductGridBlock

    block = ProductGridBlock()
    value = block.to_python({"heading": "精选", "source": "merchant", "count": 8})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "按这个来源显示商品时，这一项必须填写。" in str(error.value.block_errors["merchant"])


def test_campaign_end_must_follow_start(shop):
    from django.core.exceptions import ValidationError

    page = campaign(shop["index"], publish=False)
    page.ends_at = page.starts_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "结束时间必须晚于开始时间。" in str(error.value)


def test_campaign_times_are_aware_and_shown_in_shanghai_time(shop):
    page = campaign(shop["index"])
    page.refresh_from_db()
    assert timezone.is_aware(page.starts_at)
    assert timezone.localtime(page.starts_at).hour == 0


def test_home_lists_a_newly_published_campaign_at_once(client, shop):
    with time_machine.travel(DURING, tick=False):
        assert "2026敬老月" not in _text(client, "/")  # the home page's lists are now cached
        page = campaign(shop["index"])
        assert "2026敬老月" in _text(client, "/")
        page.unpublish()
        assert "2026敬老月" not in _text(client, "/")


def test_home_preview_shows_unsaved_featured_categories(shop):
    from django.test import RequestFactory

    home = shop["home"]
    home.featured_categories.add(shop["other"])  # not saved: the in-memory draft only
    request = RequestFactory().get("/")
    request.is_preview = True
    request.user = None
    context = home.get_context(request)
    assert [c.name for c in context["categories"]] == ["吉林人参"]
