"""Builders for test data. Each returns saved objects and takes keyword overrides."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.models import CatalogueListing
from marketplace import roles
from marketplace.credit_code import check_character
from traceability import chain
from traceability.gtin import make_gtin14
from traceability.models import Lot, QualityCommitment

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

_counter = itertools.count(1)


def credit_code(seed: int) -> str:
    body = f"91220{seed:012d}"[:17]
    return body + check_character(body)


def user(*, email=None, role=None, password="test-pass-2026", **extra):
    from django.contrib.auth import get_user_model

    n = next(_counter)
    email = email or f"user{n}@example.com"
    account = get_user_model().objects.create_user(
        username=email[:30], email=email, password=password, **extra
    )
    if role:
        account.groups.add(Group.objects.get(name=role))
    return account


def merchant(*, name=None, staff=None, **extra):
    n = next(_counter)
    partner = Partner.objects.create(
        name=name or f"测试商家{n}",
        legal_name=extra.pop("legal_name", f"吉林测试商贸有限公司{n}"),
        credit_code=extra.pop("credit_code", credit_code(n)),
        service_phone=extra.pop("service_phone", "0431-88880000"),
        gs1_company_prefix=extra.pop("gs1_company_prefix", f"69{n:05d}"),  # GTINs of its products start so
        **extra,
    )
    if staff is not None:
        partner.users.add(staff)
    return partner


def merchant_staff(partner):
    account = user(role=roles.MERCHANT)
    partner.users.add(account)
    return account


def product(*, merchant_=None, title=None, product_class="mobility-aids", price=Decimal("99.00"),
            stock=50, category=None, **extra):
    n = next(_counter)
    partner = merchant_ or merchant()
    if "upc" not in extra and partner.gs1_company_prefix:
        # The product's GTIN lies under its merchant's GS1 company prefix, as merchant_work requires.
        extra["upc"] = make_gtin14(f"0{partner.gs1_company_prefix}{n:05d}"[:13].ljust(13, "0"))
    item = Product.objects.create(
        title=title or f"测试商品{n}",
        title_en=extra.pop("title_en", f"Test product {n}"),
        product_class=ProductClass.objects.get(slug=product_class),
        structure=Product.STANDALONE,
        **extra,
    )
    StockRecord.objects.create(
        product=item, partner=partner, partner_sku=f"SKU-{n}", price=price, num_in_stock=stock
    )
    if category is not None:
        item.categories.add(category)
    return item


def category(*, name=None, name_en="", parent=None):
    n = next(_counter)
    name = name or f"分类{n}"
    if parent is None:
        return Category.add_root(name=name, name_en=name_en, slug=f"category-{n}")
    return parent.add_child(name=name, name_en=name_en, slug=f"category-{n}")


def commitment(*, partner, version=None, effective_from=None, **extra):
    version = version or (partner.quality_commitments.count() + 1)
    return QualityCommitment.objects.create(
        merchant=partner,
        version=version,
        standards=extra.pop("standards", ["GB/T 19001-2016"]),
        quality_promise=extra.pop("quality_promise", "所售商品均为正品，符合国家标准。"),
        returns_promise=extra.pop("returns_promise", "支持七日无理由退货（已拆封食品除外）。"),
        after_sales_promise=extra.pop("after_sales_promise", "一年内免费维修。"),
        contact_name=extra.pop("contact_name", "张经理"),
        contact_phone=extra.pop("contact_phone", "0431-88880000"),
        effective_from=effective_from or timezone.now() - timedelta(days=30),
        **extra,
    )


def lot(*, product_, partner=None, events=3, lot_number=None, **extra):
    n = next(_counter)
    partner = partner or product_.stockrecords.first().partner
    promise = extra.pop("commitment", None) or partner.quality_commitments.order_by("-version").first() \
        or commitment(partner=partner)
    batch = Lot.objects.create(
        product=product_,
        merchant=partner,
        commitment=promise,
        gtin=extra.pop("gtin", product_.upc or make_gtin14(f"069{n:010d}")),
        lot_number=lot_number or f"L{n:06d}",
        produced_on=extra.pop("produced_on", date.today() - timedelta(days=60)),
        expires_on=extra.pop("expires_on", date.today() + timedelta(days=700)),
        quantity=extra.pop("quantity", 100),
        **extra,
    )
    start = timezone.now() - timedelta(days=50)
    kinds = ["manufacture", "inspection", "storing", "packing", "shipping"]
    for i in range(events):
        chain.record_event(
            lot=batch,
            kind=kinds[i % len(kinds)],
            event_time=start + timedelta(days=i),
            responsible_party=partner.legal_name,
            location_name="长春市朝阳区",
            county="朝阳区",
            data={"note": f"第{i + 1}步"} if kinds[i % len(kinds)] != "inspection" else {
                "tests": [{"item": "外观", "value": "合格", "limit": "合格", "unit": "", "passed": True}],
                "laboratory": "吉林省产品质量监督检验院", "report_number": f"R{n:06d}",
            },
        )
    batch.refresh_from_db()
    return batch


def listing(*, product_, catalogue=CatalogueListing.ELDER_PRODUCTS, status=CatalogueListing.LISTED):
    return CatalogueListing.objects.create(
        product=product_, catalogue=catalogue, listed_on=date(2025, 6, 1), status=status
    )


def sellable_product(**kwargs):
    """A product that can be bought: stock, a listing, a commitment and an intact lot."""
    item = product(**kwargs)
    listing(product_=item)
    lot(product_=item)
    return item


def home_pages(*, category_slug=None):
    """The zh-hans home page as the site root, with its English translation."""
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    zh, _ = Locale.objects.get_or_create(language_code="zh-hans")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    body = [("heading", {"text": "精选好物"})]
    if category_slug:
        body.append(("product_grid", {"heading": "康复辅具", "category_slug": category_slug, "count": 4}))
    home = root.add_child(instance=HomePage(
        title="银龄集市", slug="silver-home", hero_title="放心买，买放心", hero_text="为长辈精选可追溯的好物",
        locale=zh, body=body,
    ))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    english = home.copy_for_translation(en)
    english.title, english.hero_title, english.hero_text = "Silver Market", "Buy with confidence", "Traceable goods"
    english.save_revision().publish()
    return home


def basket(*, items, owner=None):
    """An open basket with ``items`` [(product, quantity), ...], priced by the site's strategy."""
    from marketplace.partner.strategy import Selector

    Basket = get_model("basket", "Basket")
    cart = Basket.objects.create(owner=owner if owner is not None and owner.is_authenticated else None)
    cart.strategy = Selector().strategy()
    for item, quantity in items:
        cart.add_product(item, quantity)
    return cart


def shipping_address(**extra):
    """An unsaved mainland-China shipping address as the checkout builds it."""
    ShippingAddress = get_model("order", "ShippingAddress")
    Country = get_model("address", "Country")
    fields = {"first_name": "", "last_name": "王秀兰", "line1": "南关区人民大街 100 号 3 单元 201 室",
              "line4": "长春市", "state": "吉林省", "line2": "南关区", "postcode": "",
              "phone_number": "+8613812345678", "country": Country.objects.get(pk="CN")}
    fields.update(extra)
    return ShippingAddress(**fields)


def reference_data():
    """What data migrations create (product classes, roles, the CN country row), again after a
    transactional test has flushed the database."""
    from django.contrib.auth.models import Permission

    from catalog.product_classes import ensure_product_classes

    ensure_product_classes(product_class_model=ProductClass,
                           attribute_model=get_model("catalogue", "ProductAttribute"),
                           option_group_model=get_model("catalogue", "AttributeOptionGroup"),
                           option_model=get_model("catalogue", "AttributeOption"))
    roles.sync_roles(group_model=Group, permission_model=Permission)
    get_model("address", "Country").objects.update_or_create(
        iso_3166_1_a2="CN", defaults={"printable_name": "中国", "name": "中华人民共和国", "is_shipping_country": True})
