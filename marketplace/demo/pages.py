"""The Wagtail home page (Chinese at /, English at /en/), the help pages and the campaigns.

The Chinese home page replaces Wagtail's default "Welcome" page as the default site's
root; the English pages are translations of the Chinese ones (same translation key),
so Wagtail serves them under /en/.
"""

from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from cms.models import StandardPage as ContentPage

HOME = {
    "zh-hans": {
        "title": "银龄集市",
        "hero_title": "银龄集市：为长辈挑好物",
        "hero_text": "吉林人参、梅花鹿茸、康复辅具和智能健康设备。每件商品都能查到来源和检验记录。",
        "body": [
            ("heading", {"text": "吉林好物"}),
            ("paragraph", "<p>抚松、集安的人参和双阳的梅花鹿茸，扫描包装上的追溯码即可查看种植、采收、加工和检验记录。</p>"),
            ("product_grid", {"heading": "林下参", "category_slug": "forest-ginseng", "count": 8}),
            ("product_grid", {"heading": "梅花鹿鹿茸片", "category_slug": "antler-slices", "count": 8}),
            ("heading", {"text": "居家安全与健康"}),
            ("product_grid", {"heading": "助行器与手杖", "category_slug": "walkers-canes", "count": 8}),
            ("product_grid", {"heading": "血压计", "category_slug": "blood-pressure-monitors", "count": 8}),
            ("product_grid", {"heading": "助听器", "category_slug": "hearing-aids", "count": 8}),
        ],
    },
    "en": {
        "title": "Silver Market",
        "hero_title": "Silver Market: good things for our elders",
        "hero_text": "Jilin ginseng, sika deer antler, mobility aids and smart health devices. "
                     "Every product shows where it came from and how it was tested.",
        "body": [
            ("heading", {"text": "From Jilin"}),
            ("paragraph", "<p>Ginseng from Fusong and Ji'an and sika deer antler from Shuangyang: scan the trace "
                          "code on the pack to see planting, harvest, processing and test records.</p>"),
            ("product_grid", {"heading": "Forest-grown ginseng", "category_slug": "forest-ginseng", "count": 8}),
            ("product_grid", {"heading": "Sika deer antler slices", "category_slug": "antler-slices", "count": 8}),
            ("heading", {"text": "Safety and health at home"}),
            ("product_grid", {"heading": "Walkers and canes", "category_slug": "walkers-canes", "count": 8}),
            ("product_grid", {"heading": "Blood pressure monitors", "category_slug": "blood-pressure-monitors",
                              "count": 8}),
            ("product_grid", {"heading": "Hearing aids", "category_slug": "hearing-aids", "count": 8}),
        ],
    },
}

CONTENT_PAGES = [
    {
        "slug": "help",
        "zh-hans": {
            "title": "帮助中心",
            "intro": "下单、付款、退换货和追溯码查询，有问题随时找我们。",
            "body": [
                ("heading", {"text": "怎样下单"}),
                ("paragraph", "<p>找到商品后点「加入购物车」，再点「去结算」。也可以请家人通过亲情账号代为下单和付款。</p>"),
                ("heading", {"text": "七日无理由退货"}),
                ("paragraph", "<p>签收之日起7日内可申请无理由退货。食品、保健食品和医疗器械拆封后是否可退，"
                              "会在结算时单独提示，请您确认后再下单。</p>"),
                ("heading", {"text": "查看追溯记录"}),
                ("paragraph", "<p>每件商品页面都有「追溯信息」，也可以扫描包装上的二维码查看。</p>"),
            ],
        },
        "en": {
            "title": "Help",
            "intro": "Ordering, paying, returns and trace codes: we are here to help.",
            "body": [
                ("heading", {"text": "How to order"}),
                ("paragraph", "<p>Choose “Add to basket”, then “Checkout”. A family member can also order and pay "
                              "for you through a linked family account.</p>"),
                ("heading", {"text": "7-day returns"}),
                ("paragraph", "<p>You may return goods within 7 days of receipt without giving a reason. "
                              "Whether opened food, health food or medical devices can be returned is shown "
                              "separately at checkout for you to confirm.</p>"),
                ("heading", {"text": "Trace records"}),
                ("paragraph", "<p>Every product page has a “Traceability” section; you can also scan the QR "
                              "code on the pack.</p>"),
            ],
        },
    },
    {
        "slug": "about",
        "zh-hans": {
            "title": "关于我们",
            "intro": "银龄集市是面向吉林省老年朋友的网上集市。",
            "body": [
                ("paragraph", "<p>我们只上架来源清楚、能查到检验记录的商品；页面不放广告和弹窗，字大、对比度高，"
                              "支持朗读。入驻商家均公示营业执照信息和质量承诺。</p>"),
            ],
        },
        "en": {
            "title": "About us",
            "intro": "Silver Market is an online market for older shoppers in Jilin Province.",
            "body": [
                ("paragraph", "<p>We list only goods whose origin and test records can be checked. Our pages "
                              "carry no advertising or pop-ups, use large high-contrast text and can be read "
                              "aloud. Every merchant shows its business licence and quality commitment.</p>"),
            ],
        },
    },
    {
        "slug": "how-to-buy",
        "zh-hans": {
            "title": "怎样购物",
            "intro": "四步买到放心好物，家人也可以帮您下单。",
            "body": [
                ("paragraph", "<ol><li>在首页或分类里找到商品，看清价格、产地和追溯信息。</li>"
                              "<li>点「加入购物车」。</li><li>点「去结算」，填写收货地址。</li>"
                              "<li>选择付款方式：货到付款或在线支付。</li></ol>"),
                ("callout", {"title": "拿不准就打电话", "text": "客服热线 400-000-0000，每天 8:00–20:00。慢慢说，我们耐心听。",
                             "link_page": None, "link_url": "", "link_text": ""}),
            ],
        },
        "en": {
            "title": "How to buy",
            "intro": "Four steps to buy with confidence; family members can order for you.",
            "body": [
                ("paragraph", "<ol><li>Find a product and check its price, origin and trace record.</li>"
                              "<li>Choose “Add to basket”.</li><li>Choose “Checkout” and enter the delivery "
                              "address.</li><li>Pay on delivery or online.</li></ol>"),
            ],
        },
    },
    {
        "slug": "returns",
        "zh-hans": {
            "title": "退换货政策",
            "intro": "签收后7天内可无理由退货，质量问题我们负责到底。",
            "body": [
                ("paragraph", "<p>签收之日起7日内，商品完好即可申请无理由退货。食品、保健食品拆封后不支持无理由退货；"
                              "医疗器械拆封后是否可退，以商品页和结算页的提示为准。</p>"
                              "<p>商品有质量问题的，运费由商家承担，并按商家的质量承诺处理。</p>"),
            ],
        },
        "en": {
            "title": "Returns policy",
            "intro": "Return goods within 7 days of receipt without giving a reason.",
            "body": [
                ("paragraph", "<p>Goods in good condition may be returned within 7 days of receipt. Opened food and "
                              "health food cannot be returned without a reason; for opened medical devices, see the "
                              "product and checkout pages.</p><p>For quality problems the merchant pays the postage "
                              "and handles the case under its quality commitment.</p>"),
            ],
        },
    },
    {
        "slug": "privacy",
        "zh-hans": {
            "title": "隐私政策",
            "intro": "我们只收集送货和售后必需的信息。",
            "body": [
                ("paragraph", "<p>我们收集您的姓名、电话和收货地址，只用于送货、售后和依法配合监管部门的产品追溯。"
                              "我们不出售您的个人信息，也不用于广告推送。您可以随时在「我的账户」里查看、更正或删除。</p>"),
            ],
        },
        "en": {
            "title": "Privacy",
            "intro": "We collect only what delivery and after-sales service need.",
            "body": [
                ("paragraph", "<p>We collect your name, phone number and delivery address only for delivery, "
                              "after-sales service and product traceability required by law. We never sell your "
                              "personal data or use it for advertising. You can view, correct or delete it in "
                              "“My account” at any time.</p>"),
            ],
        },
    },
]


def _stream(blocks):
    return [{"type": kind, "value": value} for kind, value in blocks]


def _publish(page):
    page.save_revision().publish()


@transaction.atomic
def ensure_pages() -> HomePage:
    zh, _ = Locale.objects.get_or_create(language_code="zh-hans")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=zh).first()
    if home is None:
        content = HOME["zh-hans"]
        home = HomePage(title=content["title"], slug="silver-market", locale=zh, hero_title=content["hero_title"],
                        hero_text=content["hero_text"], body=_stream(content["body"]))
        root.add_child(instance=home)
        _publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="银龄集市")
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page, site.site_name = home, "银龄集市"
        site.save()
        if old_root.specific_class is Page and old_root.depth == 2 and not old_root.get_children().exists():
            old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" page
    home_en = _ensure_translation(home, en, HOME["en"], hero=True)
    for spec in CONTENT_PAGES:
        page = ContentPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            content = spec["zh-hans"]
            page = ContentPage(title=content["title"], slug=spec["slug"], locale=zh, intro=content["intro"],
                               body=_stream(content["body"]))
            home.add_child(instance=page)
            _publish(page)
        if home_en is not None:
            _ensure_translation(page, en, spec["en"])
    ensure_campaigns(home)
    _ensure_django_site()
    return home


def _ensure_translation(page, locale, content, *, hero=False):
    translation = page.get_translation_or_none(locale)
    if translation is not None:
        return translation
    translation = page.copy_for_translation(locale)
    translation.title = content["title"]
    translation.body = _stream(content["body"])
    if hero:
        translation.hero_title, translation.hero_text = content["hero_title"], content["hero_text"]
    else:
        translation.intro = content["intro"]
    translation.save()
    _publish(translation)
    return translation


def _ensure_django_site():
    site, created = DjangoSite.objects.get_or_create(pk=1, defaults={"domain": "127.0.0.1:8000", "name": "银龄集市"})
    if not created and (site.domain, site.name) != ("127.0.0.1:8000", "银龄集市"):
        site.domain, site.name = "127.0.0.1:8000", "银龄集市"
        site.save()


# --- Campaigns ---------------------------------------------------------------------------
#
# The 敬老月 demo campaign must be live, with products and an active offer, whenever a fresh
# ``make run`` seeds it, any day of the year: its window is this year's 敬老月 (October with
# 重阳节, from the lunar calendar) widened to start yesterday at the latest and to last at
# least 30 more days (``cms.seasons.demo_respect_the_aged_window``). A re-seed leaves the
# window alone while it is still live and widens it again once it has ended. The 银龄购物节
# is published now but its window lies ahead, so the page says when it starts.

REHAB_RANGE = "敬老月·康复辅具"
REHAB_OFFER = "敬老月康复辅具九折"


def _rehab_offer():
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Range = get_model("offer", "Range")
    Condition = get_model("offer", "Condition")
    Benefit = get_model("offer", "Benefit")
    ConditionalOffer = get_model("offer", "ConditionalOffer")

    offer = ConditionalOffer.objects.filter(name=REHAB_OFFER).first()
    if offer is not None:
        return offer
    category = Category.objects.filter(slug="rehab-aids").first()
    if category is None:
        return None
    range_, _ = Range.objects.get_or_create(name=REHAB_RANGE, defaults={
        "description": "康复辅具分类下的全部商品", "is_public": True})
    range_.included_categories.add(category)
    condition = Condition.objects.create(range=range_, type=Condition.COUNT, value=1)
    benefit = Benefit.objects.create(range=range_, type=Benefit.PERCENTAGE, value=10)
    return ConditionalOffer.objects.create(
        name=REHAB_OFFER, slug="jinglaoyue-rehab-10", offer_type=ConditionalOffer.SITE,
        description="敬老月期间，康复辅具分类下的商品一律九折。", condition=condition, benefit=benefit,
        priority=10,
    )


def _respect_month_body(year, festival, offer):
    return [
        ("paragraph", f"<p>十月是敬老月，{festival.month}月{festival.day}日是重阳节。银龄集市为长辈准备了"
                      "康复辅具九折、健康设备和吉林好物专区，每件商品都能查到来源和检验记录。</p>"),
        ("offer", {"heading": "康复辅具一律九折", "offer": str(offer.pk) if offer else "", "voucher": "",
                   "note": "无需优惠码，加入购物车后自动减价。"}),
        ("product_grid", {"heading": "康复辅具（九折）", "source": "category", "category_slug": "rehab-aids",
                          "count": 12, "products": [], "catalogue": "", "merchant": ""}),
        ("product_grid", {"heading": "智慧健康养老推广目录好物", "source": "listing", "catalogue": "smart_health",
                          "count": 8, "products": [], "category_slug": "", "merchant": ""}),
        ("activities", {"heading": "老年用品产品尝新", "activities": [
            {"title": "助行器与洗浴辅具试用会", "starts_at": f"{festival.isoformat()}T09:30:00+08:00",
             "place": "长春市朝阳区桂林路社区养老服务中心一楼", "description": "现场试用，康复师讲解怎样选、怎样用。",
             "signup_url": "", "signup_phone": "0431-12345"},
            {"title": "智能血压计、助听器体验日", "starts_at": f"{year}-10-25T14:00:00+08:00",
             "place": "吉林市船营区老年大学报告厅", "description": "带上您在用的设备，工作人员帮您调试。",
             "signup_url": "", "signup_phone": "0432-12345"},
        ]}),
        ("faq", {"heading": "常见问题", "items": [
            {"question": "优惠怎么用？", "answer": "<p>不用领券，也不用填码。把康复辅具加入购物车，价格自动打九折。</p>"},
            {"question": "活动结束后还能退货吗？", "answer": "<p>可以。签收后7天内无理由退货，和平时一样。</p>"},
        ]}),
        ("callout", {"title": "请家人帮忙下单", "text": "家人可以用亲情账号替您下单、付款，货送到您家。",
                     "link_page": None, "link_url": "", "link_text": ""}),
    ]


def _festival_body():
    return [
        ("paragraph", "<p>银龄购物节即将开始：吉林人参、梅花鹿茸和适老好物集中上新。开始前商品按现价出售。</p>"),
        ("product_grid", {"heading": "吉林人参", "source": "category", "category_slug": "jilin-ginseng", "count": 8,
                          "products": [], "catalogue": "", "merchant": ""}),
        ("product_grid", {"heading": "梅花鹿鹿茸", "source": "category", "category_slug": "sika-deer-antler",
                          "count": 8, "products": [], "catalogue": "", "merchant": ""}),
    ]


def ensure_campaigns(home, *, now=None):
    from django.utils import timezone

    from cms import seasons
    from cms.models import CampaignIndexPage, CampaignOffer, CampaignPage

    now = now or timezone.now()
    index = CampaignIndexPage.objects.child_of(home).first()
    if index is None:
        index = CampaignIndexPage(title="优惠活动", slug="campaigns", locale=home.locale,
                                  intro="敬老月、银龄购物节等主题活动，都在这里。")
        home.add_child(instance=index)
        _publish(index)

    offer = _rehab_offer()
    starts_at, ends_at = seasons.demo_respect_the_aged_window(now)
    year = starts_at.astimezone(seasons.SHANGHAI).year
    festival = seasons.double_ninth(max(year, now.astimezone(seasons.SHANGHAI).year))
    month = CampaignPage.objects.child_of(index).filter(slug="respect-the-aged-month").first()
    if month is None:
        month = CampaignPage(
            title=f"{festival.year}敬老月 · 重阳节", slug="respect-the-aged-month", locale=home.locale,
            kind=CampaignPage.RESPECT_THE_AGED, starts_at=starts_at, ends_at=ends_at,
            summary=f"重阳节（{festival.month}月{festival.day}日）前后，康复辅具九折，健康设备和吉林好物专区。",
            body=_stream(_respect_month_body(festival.year, festival, offer)),
        )
        index.add_child(instance=month)
        if offer is not None:
            CampaignOffer.objects.create(page=month, offer=offer)
        _publish(month)
    elif month.state(now) == CampaignPage.ENDED:
        month.starts_at, month.ends_at = starts_at, ends_at
        _publish(month)

    fest_start, fest_end = seasons.demo_shopping_festival_window(now)
    fest = CampaignPage.objects.child_of(index).filter(slug="silver-shopping-festival").first()
    if fest is None:
        fest = CampaignPage(
            title="银龄购物节", slug="silver-shopping-festival", locale=home.locale,
            kind=CampaignPage.SILVER_FESTIVAL, starts_at=fest_start, ends_at=fest_end,
            summary="吉林人参、梅花鹿茸和适老好物集中上新。", body=_stream(_festival_body()),
        )
        index.add_child(instance=fest)
        _publish(fest)
    elif fest.state(now) == CampaignPage.ENDED:
        fest.starts_at, fest.ends_at = fest_start, fest_end
        _publish(fest)
    _ensure_campaign_translations(index, month, fest, festival)
    return index, month, fest


def _ensure_campaign_translations(index, month, fest, festival):
    """The English tree gets the same campaigns (same window, same offers, same products)."""
    en = Locale.objects.filter(language_code="en").first()
    if en is None or index.get_parent().specific.get_translation_or_none(en) is None:
        return
    index_en = index.get_translation_or_none(en)
    if index_en is None:
        index_en = index.copy_for_translation(en)
        index_en.title, index_en.intro = "Offers and campaigns", "Respect-the-Aged Month, the Silver Shopping Festival and more."
        index_en.save()
        _publish(index_en)
    texts = {
        month.pk: (f"Respect-the-Aged Month {festival.year}",
                   f"Around the Double Ninth Festival ({festival:%B} {festival.day}): 10% off rehabilitation aids.",
                   [("paragraph", "<p>October is Respect-the-Aged Month. Rehabilitation aids are 10% off in the "
                                  "basket, no code needed.</p>")]),
        fest.pk: ("Silver Shopping Festival", "Jilin ginseng, sika deer antler and elder-friendly goods.",
                  [("paragraph", "<p>The Silver Shopping Festival has not started yet.</p>")]),
    }
    for page in (month, fest):
        if page.get_translation_or_none(en) is not None:
            continue
        translation = page.copy_for_translation(en)
        title, summary, intro = texts[page.pk]
        kept = [{"type": item["type"], "value": item["value"]} for item in page.body.raw_data
                if item["type"] in ("product_grid", "offer")]
        translation.title, translation.summary = title, summary
        translation.body = _stream(intro) + kept
        translation.save()
        _publish(translation)
