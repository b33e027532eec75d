"""Merchant B, holding merchant A's IDs, reaches nothing of A's: every merchant-facing URL.

The workspace (/merchant/…) and Oscar's dashboard are both tried: every URL pattern under
them is filled with A's product, lot, event, order, line and partner IDs and opened as B
(nothing of A's may appear, whatever the status), and the pages that hold IDs are also
checked to refuse (403/404) and, for POSTs, to change nothing.
"""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests import factories
from tests.hardening import urlwalk
from tests.hardening.conftest import World
from tests.statistics.conftest import local, order, return_request

Line = get_model("order", "Line")
Order = get_model("order", "Order")
ReturnRequest = get_model("order", "ReturnRequest")

A_PRICE, B_PRICE = D("4321.09"), D("87.65")


class Shops(World):
    def __init__(self):
        super().__init__()
        customer = factories.user(first_name="甲客", last_name="欧阳")
        self.a_only = order(at=local(2026, 10, 5), status="待发货", user=customer,
                            lines=[(self.product_a, 1, A_PRICE)])
        self.shared = order(at=local(2026, 10, 6), status="待发货",
                            lines=[(self.product_a, 2, A_PRICE), (self.product_b, 1, B_PRICE)])
        self.a_line = self.shared.lines.get(partner=self.partner_a)
        self.b_line = self.shared.lines.get(partner=self.partner_b)
        self.a_return = return_request(line=self.a_only.lines.get(), at=local(2026, 10, 9), status="requested")
        # What would betray A: its product, lot, line value, the whole order's total, its customer.
        self.secrets = ["甲的助行器", self.lot_a.code, "4321.09", "4,321.09", "8729.83", "8,729.83", "欧阳"]


@pytest.fixture
def shops(db):
    return Shops()


def _leaks(response, secrets, url=""):
    """Secrets in the page, other than those B typed into the URL itself (error pages may echo it)."""
    body = response.content.decode("utf-8", "replace")
    return [secret for secret in secrets if secret in body and secret not in url]


def _values_of_a(shops):
    values = urlwalk.world_values(shops)
    values.update({"number": shops.a_only.number, "order_number": shops.a_only.number,
                   "line_id": shops.a_only.lines.get().pk, "pk": shops.product_a.pk})
    return values


@pytest.mark.django_db
def test_every_merchant_and_dashboard_url_with_a_ids_shows_b_nothing_of_a(shops):
    urls, _ = urlwalk.urls(_values_of_a(shops))
    client = shops.client_for("merchant_b")
    checked, leaked = 0, []
    for url, _pattern in urls:
        if not url.startswith(("/merchant/", "/dashboard/", "/en/merchant/", "/en/dashboard/")) or "logout" in url:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        checked += 1
        if _leaks(response, shops.secrets, url):
            leaked.append((url, response.status_code, _leaks(response, shops.secrets, url)))
    assert checked > 40
    assert leaked == []


@pytest.mark.django_db
def test_a_owns_these_pages_so_the_secrets_are_real(shops):
    """The same pages show A's data to A: the test above would notice a leak."""
    client = shops.client_for("merchant_a")
    detail = client.get(reverse("dashboard:order-detail", args=[shops.a_only.number]))
    assert detail.status_code == 200 and "甲的助行器" in detail.content.decode()
    assert shops.lot_a.code in client.get(reverse("traceability:merchant-lot", args=[shops.lot_a.code])).content.decode()


@pytest.mark.django_db
def test_ids_of_a_are_refused_to_b(shops):
    client = shops.client_for("merchant_b")
    a_number, a_line = shops.a_only.number, shops.a_only.lines.get()
    refused = [
        reverse("orders:merchant-line", args=[a_line.pk]),
        reverse("traceability:merchant-lot", args=[shops.lot_a.code]),
        reverse("traceability:merchant-event-add", args=[shops.lot_a.code]),
        reverse("traceability:merchant-event-correct", args=[shops.lot_a.code, shops.event_a.pk]),
        reverse("traceability:merchant-labels", args=[shops.lot_a.code]),
        reverse("traceability:merchant-labels-svg", args=[shops.lot_a.code]),
        reverse("dashboard:order-detail", args=[a_number]),
        reverse("dashboard:order-line-detail", args=[a_number, a_line.pk]),
        reverse("dashboard:order-line-detail", args=[shops.shared.number, shops.a_line.pk]),
        reverse("dashboard:order-shipping-address", args=[shops.shared.number]),
        reverse("dashboard:catalogue-product", args=[shops.product_a.pk]),
        reverse("dashboard:catalogue-product-delete", args=[shops.product_a.pk]),
    ]
    for url in refused:
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)


@pytest.mark.django_db
def test_posts_with_a_ids_change_nothing(shops):
    client = shops.client_for("merchant_b")
    a_line = shops.a_only.lines.get()
    attempts = [
        (reverse("orders:merchant-ship"), {"line": a_line.pk, "carrier": "顺丰速运", "tracking_number": "SF123456789"}),
        (reverse("orders:merchant-return-decide", args=[shops.a_return.pk]), {"decision": "approve"}),
        (reverse("dashboard:order-detail", args=[shops.shared.number]),
         {"order_action": "change_order_status", "new_status": "已取消"}),
        (reverse("dashboard:order-detail", args=[shops.shared.number]),
         {"line_action": "change_line_statuses", "selected_line": shops.a_line.pk,
          f"selected_line_qty_{shops.a_line.pk}": 2, "new_status": "已发货"}),
        (reverse("dashboard:order-list"), {"action": "change_order_statuses", "selected_order": shops.shared.pk,
                                           "new_status": "已取消"}),
        (reverse("dashboard:order-shipping-address", args=[shops.shared.number]), {"line1": "别处"}),
        (reverse("dashboard:catalogue-product-delete", args=[shops.product_a.pk]), {}),
    ]
    before = (list(Line.objects.order_by("pk").values_list("status", "shipped_at")),
              list(Order.objects.order_by("pk").values_list("status", flat=True)),
              ReturnRequest.objects.get(pk=shops.a_return.pk).status)
    for url, data in attempts:
        response = client.post(url, data)
        assert response.status_code in (403, 404), (url, response.status_code)
    after = (list(Line.objects.order_by("pk").values_list("status", "shipped_at")),
             list(Order.objects.order_by("pk").values_list("status", flat=True)),
             ReturnRequest.objects.get(pk=shops.a_return.pk).status)
    assert after == before
    assert shops.product_a.__class__.objects.filter(pk=shops.product_a.pk).exists()


@pytest.mark.django_db
def test_dashboard_shows_b_its_own_lines_of_a_shared_order(shops):
    client = shops.client_for("merchant_b")
    detail = client.get(reverse("dashboard:order-detail", args=[shops.shared.number]))
    page = detail.content.decode()
    assert detail.status_code == 200
    assert "乙的血压计" in page and "87.65" in page and not _leaks(detail, shops.secrets)
    listing = client.get(reverse("dashboard:order-list")).content.decode()
    assert shops.shared.number in listing and shops.a_only.number not in listing and "87.65" in listing
    stats = client.get(reverse("dashboard:order-stats")).content.decode()
    assert "87.65" in stats and "8729.83" not in stats and "8,729.83" not in stats
    csv = client.get(reverse("dashboard:order-list"), {"response_format": "csv"}).content.decode()
    assert "87.65" in csv and "8729.83" not in csv and shops.a_only.number not in csv
    lookup = client.get(reverse("dashboard:catalogue-product-lookup"), {"q": "的"}).json()
    assert [result["text"] for result in lookup["results"]] == ["乙的血压计"]


@pytest.mark.django_db
def test_platform_admin_still_sees_the_whole_order(shops):
    client = shops.client_for("platform_admin")
    page = client.get(reverse("dashboard:order-detail", args=[shops.shared.number])).content.decode()
    assert "甲的助行器" in page and "乙的血压计" in page


MERCHANT_SALES = reverse("statistics:merchant-sales")
MERCHANT_CSV = reverse("statistics:merchant-export-csv")
OCTOBER = {"start": "2026-10-01", "end": "2026-10-31"}


@pytest.mark.django_db
def test_merchant_sales_page_and_csv_show_b_only_its_own_lines(shops):
    client = shops.client_for("merchant_b")
    page = client.get(MERCHANT_SALES, OCTOBER)
    assert page.status_code == 200
    assert "乙的血压计" in page.content.decode() and "87.65" in page.content.decode()
    assert _leaks(page, shops.secrets) == []
    for table in ("sales_by_product", "sales_by_month"):
        export = client.get(MERCHANT_CSV, {**OCTOBER, "table": table})
        body = export.content.decode("utf-8-sig")
        assert export.status_code == 200 and "87.65" in body, table
        assert _leaks(export, shops.secrets) == [], table
    # Tables that only regulators may see are not reachable through the merchant's export.
    assert client.get(MERCHANT_CSV, {**OCTOBER, "table": "sales_by_merchant"}).status_code == 404


@pytest.mark.django_db
def test_merchant_sales_shows_a_its_own_figures(shops):
    """A sold 3 units of 甲的助行器 in October in two lines of 4321.09 each (two orders)."""
    page = shops.client_for("merchant_a").get(MERCHANT_SALES, OCTOBER).content.decode()
    assert "甲的助行器" in page and "8642.18" in page.replace(",", "")
    assert "乙的血压计" not in page and "87.65" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "shopper", "family_member", "regulator", "cms_editor"])
def test_merchant_sales_is_for_merchant_staff_only(shops, role):
    response = shops.client_for(role).get(MERCHANT_SALES, OCTOBER)
    assert response.status_code == 403 or (response.status_code == 302 and "login" in response["Location"])
    assert "87.65" not in response.content.decode("utf-8", "replace")


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"start": "昨天", "end": "2026-10-31"}, {"start": "2026-10-31", "end": "2026-10-01"}])
def test_merchant_sales_bad_dates_in_plain_chinese(shops, query):
    client = shops.client_for("merchant_b")
    page = client.get(MERCHANT_SALES, query)
    assert page.status_code == 400 and ("日期格式不正确" in page.content.decode() or "不能早于" in page.content.decode())
    export = client.get(MERCHANT_CSV, {**query, "table": "sales_by_product"})
    assert export.status_code == 400 and "日期" in export.content.decode()
