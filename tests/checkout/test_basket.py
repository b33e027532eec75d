"""Basket: remove and save for later work as plain form posts (no JavaScript needed)."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests import factories

Basket = get_model("basket", "Basket")


def basket_post(client, extra):
    page = client.get(reverse("basket:summary"))
    formset = page.context["formset"]
    data = {"form-TOTAL_FORMS": len(formset.forms), "form-INITIAL_FORMS": len(formset.forms),
            "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000}
    for i, form in enumerate(formset.forms):
        data[f"form-{i}-id"] = form.instance.pk
        data[f"form-{i}-quantity"] = form.instance.quantity
    data.update(extra)
    return client.post(reverse("basket:summary"), data)


@pytest.mark.django_db
def test_remove_button_removes_the_line(client):
    cane, walker = factories.sellable_product(title="手杖"), factories.sellable_product(title="助行器")
    for item in (cane, walker):
        client.post(reverse("basket:add", args=[item.pk]), {"quantity": 1})
    page = client.get(reverse("basket:summary")).content.decode()
    assert 'name="form-0-DELETE" value="on"' in page and "删除" in page
    assert "留着以后用" not in page  # only for shoppers who have logged in
    assert "运费" in page
    response = basket_post(client, {"form-0-DELETE": "on"})
    assert response.status_code == 302
    remaining = client.get(reverse("basket:summary")).content.decode()
    assert remaining.count('class="basket-line"') == 1


@pytest.mark.django_db
def test_save_for_later_and_back(client):
    shopper = factories.user()
    client.force_login(shopper)
    cane = factories.sellable_product(title="折叠手杖")
    client.post(reverse("basket:add", args=[cane.pk]), {"quantity": 2})
    response = basket_post(client, {"form-0-save_for_later": "on"})
    assert response.status_code == 302
    saved = Basket.saved.get(owner=shopper)
    assert saved.lines.get().quantity == 2
    page = client.get(reverse("basket:summary")).content.decode()
    assert "留着以后用的商品" in page and "折叠手杖" in page and 'class="basket-line"' not in page
    line = saved.lines.get()
    response = client.post(reverse("basket:saved"), {
        "saved-TOTAL_FORMS": 1, "saved-INITIAL_FORMS": 1, "saved-MIN_NUM_FORMS": 0, "saved-MAX_NUM_FORMS": 1000,
        "saved-0-id": line.pk, "saved-0-move_to_basket": "on"})
    assert response.status_code == 302
    assert Basket.open.get(owner=shopper).lines.get().product == cane
    assert not saved.lines.exists()


@pytest.mark.django_db
def test_a_basket_request_reads_its_lines_once_and_never_counts_them(client):
    """Oscar counted the lines in SQL before loading them, and again on the page; the basket
    middleware loads them first (``marketplace.basket_middleware``). The same statements for one
    line as for three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    items = [factories.sellable_product(title=f"手杖{n}号") for n in range(3)]

    def statements():
        client.get(reverse("basket:summary"))  # warm the caches both counts share
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("basket:summary"))
        assert page.status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    client.post(reverse("basket:add", args=[items[0].pk]), {"quantity": 1})
    one = statements()
    for item in items[1:]:
        client.post(reverse("basket:add", args=[item.pk]), {"quantity": 1})
    three = statements()
    assert not [sql for sql in one + three if "COUNT(" in sql.upper()]
    assert len([sql for sql in three if '"basket_line"' in sql.split("FROM", 1)[-1][:20]]) == 1
    assert len(one) == len(three)
