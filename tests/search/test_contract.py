"""The contract every backend keeps, on the hand-built catalogue in conftest.py."""


import pytest

from catalog.models import CatalogueListing
from traceability.models import Lot

pytestmark = pytest.mark.django_db


def _keys(catalogue, ids):
    by_pk = {product.pk: key for key, product in catalogue["products"].items()}
    return [by_pk[pk] for pk in ids]


GINSENG = {"forest", "red", "fresh"}


@pytest.mark.parametrize("text", ["人参", "renshen", "rs", "ginseng", "棒槌", "renshne"])
def test_ginseng_by_characters_pinyin_initials_english_everyday_name_and_typo(search_backend, catalogue, text):
    result = search_backend.find(text)
    found = _keys(catalogue, result.ids)
    assert set(found) == GINSENG
    assert found[-1] == "fresh"  # its listing is suspended: it cannot be bought, so it ranks last
    assert result.total == 3


@pytest.mark.parametrize("text", ["血压计", "xueyaji", "xyj", "电子血压计", "量血压", "xueyaij", "血压机", "YA-B10",
                                  "我想买个血压计", "blood pressure monitor"])
def test_blood_pressure_monitor_many_ways(search_backend, catalogue, text):
    assert _keys(catalogue, search_backend.find(text).ids) == ["bp"]


@pytest.mark.parametrize("text", ["老花镜", "老花眼镜", "阅读眼镜", "laohuajing", "lhj", "老花境", "reading glasses"])
def test_reading_glasses_by_everyday_names(search_backend, catalogue, text):
    assert _keys(catalogue, search_backend.find(text).ids) == ["glasses"]


@pytest.mark.parametrize("text", ["拐杖", "手杖", "shouzhang", "拐棍"])
def test_canes_buyable_first(search_backend, catalogue, text):
    assert _keys(catalogue, search_backend.find(text).ids) == ["cane", "carbon"]


def test_mixed_chinese_and_pinyin(search_backend, catalogue):
    assert set(_keys(catalogue, search_backend.find("抚松 renshen").ids)) == {"forest", "fresh"}
    assert _keys(catalogue, search_backend.find("集安hongshen").ids) == ["red"]


@pytest.mark.parametrize("text", ["人参", "血压计", "老花镜", "拐杖", "rs"])
def test_a_search_does_not_return_everything(search_backend, catalogue, text):
    result = search_backend.find(text)
    assert 0 < result.total < len(catalogue["products"])


@pytest.mark.parametrize("text", ["轮椅", "zzzzqq", "助听器", "鹿茸", "qwertyuiop"])
def test_what_is_not_sold_is_not_found(search_backend, catalogue, text):
    result = search_backend.find(text)
    assert result.ids == [] and result.total == 0


def test_no_query_lists_everything_buyable_first(search_backend, catalogue):
    result = search_backend.find("")
    found = _keys(catalogue, result.ids)
    assert result.total == 7
    assert set(found[:5]) == {"cane", "forest", "red", "bp", "glasses"}
    assert set(found[5:]) == {"carbon", "fresh"}


def test_facet_counts_for_ginseng(search_backend, catalogue):
    facets = search_backend.find("人参").facets
    cats = catalogue["categories"]
    assert facets.available == 2
    assert facets.origins == {"抚松": 2, "集安": 1}
    assert facets.merchants == {catalogue["merchants"]["fusong"].pk: 3}
    assert facets.price == {"0-100": 1, "100-300": 0, "300-1000": 1, "1000-3000": 1, "3000-": 0}
    assert facets.catalogues == {"elder_products": 0, "smart_health": 0, "jizhi_jipin": 2}
    top = {path: count for path, count in facets.categories.items() if count}
    assert top == {cats["ginseng"].path: 3}


def test_facet_counts_with_no_query(search_backend, catalogue):
    facets = search_backend.find("").facets
    cats = catalogue["categories"]
    assert facets.available == 5
    assert facets.categories == {cats["rehab"].path: 2, cats["ginseng"].path: 3, cats["devices"].path: 1,
                                 cats["care"].path: 1}
    assert facets.merchants == {catalogue["merchants"]["aids"].pk: 3, catalogue["merchants"]["fusong"].pk: 3,
                                catalogue["merchants"]["shop"].pk: 1}
    assert facets.price == {"0-100": 3, "100-300": 2, "300-1000": 1, "1000-3000": 1, "3000-": 0}
    assert facets.catalogues == {"elder_products": 1, "smart_health": 1, "jizhi_jipin": 2}


def test_category_facet_counts_children_of_the_chosen_category(search_backend, catalogue):
    cats = catalogue["categories"]
    result = search_backend.find("", category=cats["ginseng"].path)
    assert result.total == 3
    assert result.facets.categories == {cats["forest"].path: 1, cats["red"].path: 1, cats["garden"].path: 1}


@pytest.mark.parametrize(("filters", "expected"), [
    ({"origin": "抚松"}, {"forest", "fresh"}),
    ({"available": True}, {"forest", "red"}),
    ({"price": "300-1000"}, {"red"}),
    ({"price": "0-100"}, {"fresh"}),
    ({"catalogue": "jizhi_jipin"}, {"forest", "red"}),
    ({"origin": "抚松", "available": True}, {"forest"}),
])
def test_filters_narrow_to_what_the_count_said(search_backend, catalogue, filters, expected):
    result = search_backend.find("人参", **filters)
    assert set(_keys(catalogue, result.ids)) == expected
    assert result.total == len(expected)


def test_merchant_and_category_filters(search_backend, catalogue):
    cats, merchants = catalogue["categories"], catalogue["merchants"]
    assert set(_keys(catalogue, search_backend.find("", merchant=merchants["aids"].pk).ids)) == {"cane", "carbon", "bp"}
    assert set(_keys(catalogue, search_backend.find("", category=cats["walkers"].path).ids)) == {"cane", "carbon"}
    assert search_backend.find("人参", category=cats["walkers"].path).total == 0


def test_pagination_pages_are_disjoint_and_complete(search_backend, catalogue):
    first = search_backend.find("", limit=3, offset=0)
    second = search_backend.find("", limit=3, offset=3)
    third = search_backend.find("", limit=3, offset=6)
    assert first.total == second.total == third.total == 7
    ids = first.ids + second.ids + third.ids
    assert len(ids) == 7 and len(set(ids)) == 7


def test_zero_results_relax_to_any_word(search_backend, catalogue):
    result = search_backend.find("血压计 轮椅")
    assert result.relaxed is True
    assert _keys(catalogue, result.ids) == ["bp"]


def test_suspension_stops_ranking_as_buyable(search_backend, catalogue):
    forest = catalogue["products"]["forest"]
    Lot.objects.filter(product=forest).update(status=Lot.SUSPENDED)  # update(), as regulation.py does
    assert forest.pk not in search_backend.find("林下参", available=True).ids
    assert forest.pk in search_backend.find("林下参").ids  # still found, shown as not buyable
    assert _keys(catalogue, search_backend.find("人参").ids)[0] == "red"


def test_listing_suspension_through_save(search_backend, catalogue):
    listing = catalogue["products"]["red"].catalogue_listings.get()
    listing.status = CatalogueListing.SUSPENDED
    listing.save()
    result = search_backend.find("人参", available=True)
    assert _keys(catalogue, result.ids) == ["forest"]
    assert result.facets.catalogues["jizhi_jipin"] == 1


def test_autocomplete(search_backend, catalogue):
    search_backend.sync()
    labels = [s["label"] for s in search_backend.backend.suggest("xy")]
    assert any("血压计" in label for label in labels)
    assert not any("人参" in label for label in labels)
