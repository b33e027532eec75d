"""The index follows every kind of change, in bulk after commit."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import CatalogueListing
from search import indexing, service
from search.backends.base import Filters
from search.models import SearchDocument, SynonymGroup
from tests import factories

pytestmark = pytest.mark.django_db


def _doc(product):
    indexing.flush()
    return SearchDocument.objects.filter(product=product).first()


def _ids(text, **filters):
    return service.find_products(text=text, filters=Filters(**filters)).ids


def test_written_after_commit(django_capture_on_commit_callbacks, catalogue):
    indexing.flush()
    product = factories.product(title="钢管手动轮椅", title_en="Steel wheelchair")
    assert not SearchDocument.objects.filter(product=product).exists()  # not before the commit
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        product.title = "铝合金轻便折叠轮椅"
        product.save()
    assert callbacks
    assert SearchDocument.objects.get(product=product).title == "铝合金轻便折叠轮椅"


def test_title_change(catalogue):
    bp = catalogue["products"]["bp"]
    bp.title = "颐安腕式电子血压计 YA-W10"
    bp.save()
    assert _ids("腕式") == [bp.pk]
    assert _ids("上臂式") == []


def test_price_change(catalogue):
    glasses = catalogue["products"]["glasses"]
    record = glasses.stockrecords.get()
    record.price = Decimal("128.00")
    record.save()
    assert _doc(glasses).price == Decimal("128.00")
    assert _ids("老花镜", price="100-300") == [glasses.pk]


def test_stock_runs_out(catalogue):
    cane = catalogue["products"]["cane"]
    record = cane.stockrecords.get()
    record.num_in_stock = 0
    record.save()
    doc = _doc(cane)
    assert doc.in_stock is False and doc.can_buy is False
    assert cane.pk not in _ids("手杖", available=True)


def test_catalogue_listing_added(catalogue):
    glasses = catalogue["products"]["glasses"]
    assert _ids("", catalogue="elder_products") == [catalogue["products"]["cane"].pk]
    factories.listing(product_=glasses, catalogue=CatalogueListing.ELDER_PRODUCTS)
    assert set(_ids("", catalogue="elder_products")) == {catalogue["products"]["cane"].pk, glasses.pk}


def test_lot_makes_a_product_buyable(catalogue):
    carbon = catalogue["products"]["carbon"]
    assert _doc(carbon).can_buy is False
    factories.lot(product_=carbon)
    assert _doc(carbon).can_buy is True
    assert set(_ids("手杖", available=True)) == {catalogue["products"]["cane"].pk, carbon.pk}


def test_category_assignment(catalogue):
    glasses = catalogue["products"]["glasses"]
    walkers = catalogue["categories"]["walkers"]
    glasses.categories.add(walkers)
    assert glasses.pk in _ids("", category=walkers.path)
    assert glasses.pk in _ids("", category=catalogue["categories"]["care"].path)


def test_hidden_and_deleted_products_leave_the_index(catalogue):
    glasses, bp = catalogue["products"]["glasses"], catalogue["products"]["bp"]
    glasses.is_public = False
    glasses.save()
    assert _ids("老花镜") == []
    assert _doc(glasses) is None
    bp.stockrecords.all().delete()
    doc = _doc(bp)
    assert doc.merchant_id is None and doc.price is None and doc.can_buy is False


def test_merchant_rename(catalogue):
    fusong = catalogue["merchants"]["fusong"]
    fusong.name = "靖宇林下参专业合作社"
    fusong.save()
    assert set(_ids("靖宇")) == {p.pk for k, p in catalogue["products"].items() if k in ("forest", "red", "fresh")}


def test_lot_suspended_with_queryset_update(catalogue):
    from traceability.models import Lot

    forest = catalogue["products"]["forest"]
    Lot.objects.filter(product=forest).update(status=Lot.SUSPENDED)
    assert _doc(forest).can_buy is False


def test_synonym_edits_take_effect_without_reindexing(catalogue):
    cane = catalogue["products"]["cane"]
    assert _ids("文明棍") == []
    group = SynonymGroup.objects.create(terms="文明棍，手杖")
    assert cane.pk in _ids("文明棍")
    group.is_active = False
    group.save()
    assert _ids("文明棍") == []


def test_seeded_synonyms():
    groups = [group.term_list() for group in SynonymGroup.objects.all()]
    assert len(groups) >= 30
    assert any({"老花镜", "老花眼镜", "阅读眼镜"} <= set(g) for g in groups)
    assert any({"拐杖", "手杖", "助行器"} <= set(g) for g in groups)
    assert any({"尿不湿", "纸尿裤", "成人纸尿裤"} <= set(g) for g in groups)
    assert any({"血压计", "电子血压计"} <= set(g) for g in groups)
    assert any({"助听器", "耳背机"} <= set(g) for g in groups)


def test_update_of_many_products_takes_a_fixed_number_of_queries(catalogue):
    ids = [p.pk for p in catalogue["products"].values()]
    indexing.update(ids, push=False)  # every word known: later updates insert no new terms
    indexing.update(ids, push=False)  # and the lexicon reloaded after the last insert
    with CaptureQueriesContext(connection) as few:
        indexing.update(ids[:2], push=False)
    with CaptureQueriesContext(connection) as many:
        indexing.update(ids, push=False)
    assert len(many) == len(few)


def test_management_command_rebuild(catalogue, capsys):
    from django.core.management import call_command

    SearchDocument.objects.all().delete()
    call_command("search_index", "rebuild")
    assert "7 documents written" in capsys.readouterr().out
    assert SearchDocument.objects.count() == 7
    call_command("search_index", "update")
    assert SearchDocument.objects.count() == 7


def test_suggestions_are_written_even_when_this_process_remembers_them(catalogue):
    """The lexicon memo is a per-process copy: after the table is emptied elsewhere (a rebuild
    in another worker), re-indexing must still write the terms the memo already knows."""
    from search import lexicon
    from search.models import SearchTerm

    indexing.flush()
    bp = catalogue["products"]["bp"]
    assert lexicon.suggest("xueya")  # the memo now holds 血压计's terms
    SearchTerm.objects.all().delete()  # what a rebuild in another process starts with
    indexing.update([bp.pk])
    assert SearchTerm.objects.filter(key="xueyaji").exists()
    assert [s["label"] for s in lexicon.suggest("xueya")]
