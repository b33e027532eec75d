"""The Wagtail home page (Chinese at /, English at /en/) and a few content pages.

The Chinese home page replaces Wagtail's default "Welcome" page as the default site's
root; the English pages are translations of the Chinese ones (same translation key),
so Wagtail serves them under /en/.
"""

from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.models import ContentPage, HomePage

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
