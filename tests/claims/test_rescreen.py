"""``rescreen_claims``: a term added to the lexicon later reaches products already on sale."""

import io

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from marketplace.claims import rescreen
from marketplace.claims.models import RedFlagTerm
from tests import factories

Product = get_model("catalogue", "Product")


def _term(term, kinds="health_food,food,medical_device,general"):
    return RedFlagTerm.objects.create(term=term, category=RedFlagTerm.EFFICACY, legal_basis="《广告法》第二十八条",
                                      product_kinds=kinds, explanation="夸大功效，误导老年人。")


def _run(*args) -> str:
    out = io.StringIO()
    call_command("rescreen_claims", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def products(db):
    flagged = factories.product(title="长白山人参 返老还童丸", product_class="ginseng")
    spaced = factories.product(title="手杖", description="<p>用了就能返　老 还 童丸</p>")  # full-width space
    clean = factories.product(title="老年人手杖", description="<p>铝合金，四档调节高度。</p>")
    return {"flagged": flagged, "spaced": spaced, "clean": clean}


@pytest.mark.django_db
def test_before_the_term_is_added_nothing_is_flagged(products):
    assert rescreen.flagged_products()[1] == []
    assert "0 件有问题" in _run()


@pytest.mark.django_db
def test_a_term_added_later_is_found_and_reported(products):
    _term("返老还童丸")
    checked, flagged = rescreen.flagged_products()
    assert checked == Product.objects.count()
    assert {row.product.pk for row in flagged} == {products["flagged"].pk, products["spaced"].pk}
    where = {row.product.pk: {finding.field for finding in row.findings} for row in flagged}
    assert where == {products["flagged"].pk: {"title"}, products["spaced"].pk: {"description"}}
    output = _run()
    assert f"商品 #{products['flagged'].pk}「长白山人参 返老还童丸」" in output and "《广告法》第二十八条" in output
    assert "老年人手杖" not in output and "2 件有问题" in output
    assert Product.objects.filter(is_public=True).count() == 3  # a report only, without --unpublish


@pytest.mark.django_db
def test_unpublish_takes_only_flagged_products_off_sale(products):
    _term("返老还童丸")
    output = _run("--unpublish")
    assert "已下架 2 件" in output
    public = dict(Product.objects.filter(pk__in=[p.pk for p in products.values()]).values_list("pk", "is_public"))
    assert public == {products["flagged"].pk: False, products["spaced"].pk: False, products["clean"].pk: True}
    assert Product.objects.get(pk=products["flagged"].pk).title == "长白山人参 返老还童丸"  # text left as written
    assert "已下架 0 件" in _run("--unpublish")  # already off sale


@pytest.mark.django_db
def test_a_term_for_other_kinds_of_product_does_not_flag(products):
    _term("返老还童丸", kinds="medical_device")
    assert rescreen.flagged_products()[1] == []


@pytest.mark.django_db
def test_rescreening_costs_the_same_queries_for_three_products_as_for_nine(products):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _term("返老还童")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rescreen.flagged_products()
        return len(captured)

    three = queries()
    for n in range(6):
        factories.product(title=f"老年人手杖{n}", product_class="ginseng" if n % 2 else "mobility-aids")
    assert queries() == three
