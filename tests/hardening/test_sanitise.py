"""Class 2: merchant rich text can never run script in a shopper's browser."""

import csv
import io

import pytest

from catalog.sanitise import clean_html

HOSTILE = {
    "script": "<p>好参</p><script>alert('xss')</script>",
    "img_onerror": '<p>好参</p><img src=x onerror="alert(1)">',
    "javascript_href": '<a href="javascript:alert(1)">详情</a>',
    "entity_javascript_href": '<a href="jav&#x61;script:alert(1)">详情</a>',
    "data_href": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">详情</a>',
    "svg_onload": '<svg onload="alert(1)"><circle r="1"/></svg><p>好参</p>',
    "style_expression": '<p style="width: expression(alert(1))">好参</p><style>p{}</style>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "event_on_allowed_tag": '<p onclick="alert(1)" onmouseover="alert(1)">好参</p>',
    "form": '<form action="https://evil.example"><input name=p></form>',
}
DANGEROUS = ("<script", "onerror", "onload", "onclick", "onmouseover", "javascript:", "data:text", "<svg",
             "style=", "expression(", "<iframe", "<form", "<img", "<style")


@pytest.mark.parametrize("name", HOSTILE)
def test_clean_html_removes_every_active_part(name):
    cleaned = clean_html(HOSTILE[name]).lower()
    for needle in DANGEROUS:
        assert needle not in cleaned, (name, needle, cleaned)


def test_allowed_markup_and_safe_links_survive():
    html = ('<h3>规格</h3><p><strong>五年</strong><em>园参</em><br></p><ul><li>一</li></ul>'
            '<table><thead><tr><th>项</th></tr></thead><tbody><tr><td>值</td></tr></tbody></table>'
            '<a href="https://example.cn/a">说明书</a><a href="mailto:kf@example.cn">客服</a>')
    cleaned = clean_html(html)
    for tag in ("<h3>", "<strong>", "<em>", "<br>", "<ul>", "<li>", "<table>", "<thead>", "<th>", "<td>"):
        assert tag in cleaned
    assert '<a href="https://example.cn/a" rel="noopener noreferrer nofollow">说明书</a>' in cleaned
    assert 'href="mailto:kf@example.cn"' in cleaned


@pytest.mark.django_db
def test_descriptions_are_cleaned_when_saved():
    from tests import factories

    product = factories.product(description=HOSTILE["img_onerror"] + HOSTILE["script"])
    product.refresh_from_db()
    assert "onerror" not in product.description
    assert "<script" not in product.description
    assert "<p>好参</p>" in product.description


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE)
def test_product_page_and_listing_render_no_active_merchant_markup(client, name):
    """Rows written around save() (bulk imports, old rows) are cleaned again when rendered."""
    from tests import factories

    category = factories.category()
    product = factories.sellable_product(category=category, title="测试人参")
    type(product).objects.filter(pk=product.pk).update(description=HOSTILE[name])  # bypasses save()
    for url in (product.get_absolute_url(), category.get_absolute_url(), "/catalogue/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode().lower()
        for needle in ("alert(1)", "alert('xss')", "javascript:", "onerror=", "onload=", "expression("):
            assert needle not in page, (url, needle)
    assert "测试人参" in client.get(product.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_csv_export_carries_no_merchant_markup_as_formula_or_script():
    from tests import factories
    from traceability.csv_export import write_lots_csv

    partner = factories.merchant(name="=HYPERLINK(\"http://evil\")")
    product = factories.sellable_product(merchant_=partner, title="@SUM(1+1)<script>x</script>")
    out = io.StringIO()
    write_lots_csv(list(product.lots.all()), out, excel_bom=False)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][1].startswith("'@SUM")
    assert rows[1][2].startswith("'=HYPERLINK")
