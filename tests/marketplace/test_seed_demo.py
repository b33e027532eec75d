"""The demo seed: complete, valid, idempotent, with exactly one deliberately broken chain.

The seed runs once per module (it takes a few seconds) inside a transaction that is
rolled back afterwards; each test runs in its own savepoint within it.
"""

import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from oscar.core.loading import get_model

from catalog.rules import NOT_A_MEDICINE
from marketplace import roles
from marketplace.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD
from marketplace.demo.products import BROKEN_LOT_SKU
from marketplace.demo.wording import DEVICE_NOTICE
from traceability.availability import sale_status_for
from traceability.chain import verify_chain
from traceability.models import Lot, TraceEvent

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

RED_FLAGS = (
    "最", "第一", "唯一", "国家级", "顶级", "首选", "极品", "根治", "治愈", "药到病除", "包治百病", "抗癌", "防癌",
    "降血糖", "降血压", "100%有效", "无效退款", "有效率", "治愈率", "无毒副作用", "安全无依赖", "纯天然无害",
    "人人必备", "老年人必需", "替代药物", "可停药", "专家推荐", "患者证言", "祖传秘方", "延年益寿",
)
DEMO_EMAILS = [row[0] for row in DEMO_LOGINS]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def checksum(model) -> str:
    digest = hashlib.sha256()
    for row in model._default_manager.order_by("pk").values_list():
        digest.update(repr(row).encode())
    return digest.hexdigest()


def snapshot() -> dict:
    return {
        "counts": row_counts(),
        "checksums": {model.__name__: checksum(model) for model in (Product, StockRecord, Lot, TraceEvent)},
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("seed-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, DEMO_MODE=False):
        with transaction.atomic():
            first_output = StringIO()
            call_command("seed_demo", stdout=first_output)
            before = snapshot()
            second_output = StringIO()
            call_command("seed_demo", stdout=second_output)
            after = snapshot()
            yield {"before": before, "after": after, "first": first_output.getvalue(),
                   "second": second_output.getvalue()}
            transaction.set_rollback(True)


@pytest.fixture
def seeded_db(seeded, db):
    return seeded


def test_a_second_run_changes_nothing(seeded_db):
    assert seeded_db["before"]["counts"] == seeded_db["after"]["counts"]
    assert seeded_db["before"]["checksums"] == seeded_db["after"]["checksums"]
    assert "没有改动" in seeded_db["second"]


def test_the_catalogue_is_large_and_two_levels_deep(seeded_db):
    assert Product.objects.count() >= 300
    tops = Category.objects.filter(depth=1)
    shelves = Category.objects.filter(depth=2)
    assert tops.count() >= 6
    assert shelves.count() >= 12
    assert all(category.name_en for category in Category.objects.all())
    assert not Product.objects.filter(categories__depth=1).exists()
    assert Product.objects.filter(categories__isnull=True).count() == 0
    assert Product.objects.filter(title_en="").count() == 0
    assert Product.objects.filter(images__isnull=True).count() == 0
    assert StockRecord.objects.count() == Product.objects.count()


def test_merchants_have_valid_licence_information(seeded_db):
    partners = list(Partner.objects.all())
    assert len(partners) >= 6
    for partner in partners:
        partner.full_clean()
        assert partner.legal_name and partner.name_en and partner.business_address
        assert partner.quality_commitments.exists()
        if partner.sells_food:
            assert partner.food_licence_number


def test_every_lot_but_the_broken_one_has_an_intact_chain(seeded_db):
    assert not Product.objects.filter(lots__isnull=True).exists()
    broken = []
    for lot in Lot.objects.select_related("product"):
        report = verify_chain(lot)
        assert report.events_checked >= 3
        assert lot.chain_status == (Lot.CHAIN_INTACT if report.intact else Lot.CHAIN_BROKEN)
        if not report.intact:
            broken.append(lot)
    assert len(broken) == 1
    assert broken[0].product.stockrecords.get().partner_sku == BROKEN_LOT_SKU


def test_only_the_broken_product_cannot_be_bought(seeded_db):
    statuses = sale_status_for(Product.objects.values_list("pk", flat=True))
    blocked = [pk for pk, status in statuses.items() if not status.can_sell]
    assert blocked == list(Product.objects.filter(stockrecords__partner_sku=BROKEN_LOT_SKU).values_list("pk", flat=True))


def test_ginseng_chains_carry_harvest_and_inspection_data(seeded_db):
    lot = Lot.objects.filter(product__product_class__slug="ginseng", chain_status=Lot.CHAIN_INTACT).first()
    kinds = list(lot.events.values_list("kind", flat=True))
    assert kinds[:1] == ["planting"] and "harvest" in kinds and kinds[-1] == "shipping"
    inspection = lot.events.get(kind="inspection").data
    items = {test["item"] for test in inspection["tests"]}
    assert "总皂苷" in items and inspection["report_number"] and inspection["laboratory"]
    assert all({"item", "value", "limit", "unit", "passed"} <= set(test) for test in inspection["tests"])


def test_products_pass_the_catalogue_rules_and_make_no_forbidden_claims(seeded_db):
    for product in Product.objects.select_related("product_class"):
        product.clean()
        text = product.title + product.description
        assert not [flag for flag in RED_FLAGS if flag in text], product.title
        slug = product.product_class.slug
        if getattr(product.attr, "device_record_number", None):
            assert DEVICE_NOTICE in product.description
        if slug == "health-food":
            assert NOT_A_MEDICINE in product.description and NOT_A_MEDICINE in product.attr.statement
        if slug in ("ginseng", "deer-antler"):
            assert product.origin_region.startswith("吉林省") and product.gi_marks.exists()


def test_no_demo_logins_outside_demo_mode(seeded_db):
    assert not get_user_model().objects.filter(email__in=DEMO_EMAILS).exists()
    assert "demo-pass" not in seeded_db["first"]


def test_demo_mode_adds_the_demo_logins_with_their_roles(seeded_db, settings):
    settings.DEMO_MODE = True
    output = StringIO()
    call_command("seed_demo", stdout=output)
    users = {user.email: user for user in get_user_model().objects.filter(email__in=DEMO_EMAILS)}
    assert set(users) == set(DEMO_EMAILS)
    for email, role, _, partner_code, is_staff, is_superuser in DEMO_LOGINS:
        user = users[email]
        assert user.username == email and user.check_password(DEMO_PASSWORD)
        assert roles.has_role(user, role)
        assert (user.is_staff, user.is_superuser) == (is_staff, is_superuser)
        if partner_code:
            assert roles.merchant_for(user).code == partner_code
        assert email in output.getvalue()


def test_every_demo_event_records_only_the_data_its_kind_declares(seeded_db):
    """The demo speaks the one vocabulary: every key has its Chinese label on the trace page and
    the EPCIS export reads the quantities, units and harvest dates the demo wrote."""
    from traceability import epcis, vocabulary

    undeclared = set()
    for event in TraceEvent.objects.exclude(data={}).iterator():
        declared = vocabulary.kind(event.kind).data_keys | {vocabulary.NOTE_FIELD.name, "tests", "tampered"}
        undeclared |= {(event.kind, key) for key in set(event.data) - declared}
    assert not undeclared
    harvest = TraceEvent.objects.filter(kind__in=["harvest", "cutting"]).first()
    document = epcis.epcis_event(harvest)
    assert document["quantityList"][0]["uom"] in {"KGM", "GRM"}
    assert document["ilmd"]["cbvmda:harvestStartDate"] == harvest.data["harvest_date"]
