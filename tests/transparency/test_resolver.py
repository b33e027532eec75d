"""GS1-Conformant Resolver Standard 1.2: the lines of its conformance checklist that apply to us.

 1. GET and HEAD are answered for /01/<GTIN> and /01/<GTIN>/10/<lot>; HEAD gives the same
    status and headers without a body.
 2. CORS: every response has Access-Control-Allow-Origin: *; OPTIONS (pre-flight) answers
    204 with the allowed methods and headers.
 3. A request with no linkType redirects (307) to the default link: the trace page for a lot,
    the product page for a GTIN.
 4. ?linkType=<type> (CURIE such as gs1:pip, or the full https://gs1.org/voc/… URI) redirects
    (307) to a link of that type.
 5. A linkType the item does not have redirects to the default link.
 6. The query string is passed on to the target (without linkType).
 7. ?linkType=linkset, ?linkType=all and Accept: application/linkset+json return the RFC 9264
    linkset as application/linkset+json.
 8. The linkset: one context object whose anchor is the request URI; link relation types are
    GS1 Web Vocabulary URIs; every target has href and title (and type, hreflang); exactly one
    gs1:defaultLink.
 9. A lot-level item inherits its product's links (gs1:pip) and adds its own
    (gs1:traceability, gs1:recallStatus, gs1:certificationInfo, gs1:verificationService).
10. Every successful response carries Link: <…?linkType=linkset>; rel="linkset".
11. /.well-known/gs1resolver describes the resolver (name, resolverRoot, supportedPrimaryKeys,
    supportedLinkType, linkTypeDefaultCanBeLinkset) as JSON.
12. Bad syntax (check digit, non-digits, wrong length, unknown or misordered qualifiers, bad
    lot characters) gets 400; an unknown item 404; never 200 for an error.
13. GTIN-8/12/13 are accepted and padded to GTIN-14.
14. Methods other than GET, HEAD and OPTIONS get 405 with Allow.
15. Human browsers following the redirect land on the trace page (also under /en/).
"""

import json

import pytest

from tests import factories

LINKSET = "application/linkset+json"
VOC = "https://gs1.org/voc/"


@pytest.fixture
def product_gtin(lot):
    return lot.gtin


def _path(lot, suffix=""):
    return f"/01/{lot.gtin}/10/{lot.lot_number}{suffix}"


def _cors_ok(response):
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"] and "OPTIONS" in response["Access-Control-Allow-Methods"]


def test_default_request_for_a_lot_redirects_to_the_trace_page(client, lot):
    response = client.get(_path(lot))
    assert response.status_code == 307
    assert response["Location"] == f"http://testserver/trace/{lot.code}/"
    _cors_ok(response)
    assert response["Link"] == f'<http://testserver{_path(lot)}?linkType=linkset>; rel="linkset"; type="{LINKSET}"'


def test_head_has_the_same_status_and_headers_without_a_body(client, lot):
    get, head = client.get(_path(lot)), client.head(_path(lot))
    assert head.status_code == get.status_code == 307
    assert head["Location"] == get["Location"]
    assert head.content == b""
    linkset_head = client.head(_path(lot, "?linkType=linkset"))
    assert linkset_head.status_code == 200 and linkset_head["Content-Type"] == LINKSET
    assert linkset_head.content == b""


def test_options_preflight(client, lot):
    response = client.options(_path(lot), HTTP_ORIGIN="https://scanner.example",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 204
    _cors_ok(response)
    assert "Accept" in response["Access-Control-Allow-Headers"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_get_405(client, lot, method):
    response = getattr(client, method)(_path(lot))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_gtin_request_redirects_to_the_product_page(client, lot):
    response = client.get(f"/01/{lot.gtin}")
    assert response.status_code == 307
    assert response["Location"] == "http://testserver" + lot.product.get_absolute_url()


@pytest.mark.parametrize("link_type", ["gs1:pip", "https://gs1.org/voc/pip", "https://ref.gs1.org/voc/pip"])
def test_requested_link_type_redirects_to_that_link(client, lot, link_type):
    response = client.get(_path(lot), {"linkType": link_type})
    assert response.status_code == 307
    assert response["Location"] == "http://testserver" + lot.product.get_absolute_url()


def test_lot_link_types(client, lot):
    trace = f"http://testserver/trace/{lot.code}/"
    assert client.get(_path(lot), {"linkType": "gs1:traceability"})["Location"] == trace
    assert client.get(_path(lot), {"linkType": "gs1:recallStatus"})["Location"] == trace + "#sale-title"
    proof = client.get(_path(lot), {"linkType": "gs1:verificationService"})["Location"]
    assert proof == f"http://testserver/tlog/lots/{lot.code}/proof.json"


def test_unavailable_link_type_falls_back_to_the_default(client, lot):
    response = client.get(_path(lot), {"linkType": "gs1:smpc"})
    assert response.status_code == 307
    assert response["Location"] == f"http://testserver/trace/{lot.code}/"


def test_query_string_is_passed_on(client, lot):
    response = client.get(_path(lot) + "?linkType=gs1:pip&17=271231&utm_source=label")
    assert response["Location"] == "http://testserver" + lot.product.get_absolute_url() + "?17=271231&utm_source=label"
    response = client.get(_path(lot) + "?linkType=gs1:recallStatus&lang=zh")
    assert response["Location"] == f"http://testserver/trace/{lot.code}/?lang=zh#sale-title"


@pytest.mark.parametrize("how", ["linkset", "all", "accept"])
def test_linkset(client, lot, how):
    if how == "accept":
        response = client.get(_path(lot), HTTP_ACCEPT=LINKSET)
    else:
        response = client.get(_path(lot), {"linkType": how})
    assert response.status_code == 200
    assert response["Content-Type"] == LINKSET
    _cors_ok(response)
    body = json.loads(response.content)
    assert len(body["linkset"]) == 1
    context = body["linkset"][0]
    assert context["anchor"] == f"http://testserver{_path(lot)}"
    relations = {key for key in context if key.startswith("http")}
    assert relations == {VOC + t for t in ("defaultLink", "pip", "traceability", "recallStatus",
                                          "certificationInfo", "verificationService")}
    for relation in relations:
        for target in context[relation]:
            assert target["href"].startswith("http://testserver/")
            assert target["title"]
            assert target["type"] in ("text/html", "application/json")
    assert len(context[VOC + "defaultLink"]) == 1
    assert context[VOC + "defaultLink"][0]["href"] == f"http://testserver/trace/{lot.code}/"
    assert context[VOC + "pip"][0]["href"] == "http://testserver" + lot.product.get_absolute_url()
    assert context[VOC + "pip"][0]["title"] == "长白山林下参 商品信息"


def test_gtin_linkset_has_only_product_links(client, lot):
    context = client.get(f"/01/{lot.gtin}", {"linkType": "linkset"}).json()["linkset"][0]
    assert {key for key in context if key.startswith("http")} == {VOC + "defaultLink", VOC + "pip"}
    assert context[VOC + "defaultLink"][0]["href"] == "http://testserver" + lot.product.get_absolute_url()


def test_resolver_description(client):
    response = client.get("/.well-known/gs1resolver")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    _cors_ok(response)
    body = response.json()
    assert body["resolverRoot"] == "http://testserver"
    assert body["supportedPrimaryKeys"] == ["01"]
    assert body["supportedLinkType"] == [{"namespace": VOC, "prefix": "gs1:"}]
    assert body["linkTypeDefaultCanBeLinkset"] is False
    assert "Silver Market" in body["name"]


def _bad_check(gtin):
    return gtin[:-1] + str((int(gtin[-1]) + 1) % 10)


@pytest.mark.parametrize(("path", "message"), [
    ("/01/{bad}/10/{lot_number}", "校验码"),
    ("/01/{bad}", "校验码"),
    ("/01/12345/10/{lot_number}", "校验码"),
    ("/01/abcdefghijklmn/10/{lot_number}", "校验码"),
    ("/01/{gtin}/21/ABC/10/{lot_number}", "顺序"),
    ("/01/{gtin}/10/{lot_number}/10/{lot_number}", "顺序"),
    ("/01/{gtin}/99/{lot_number}", "顺序"),
    ("/01/{gtin}/10", "网址应为"),
    ("/01/{gtin}/10/%E6%89%B9%E5%8F%B7", "批号"),
    ("/01/{gtin}/10/ABCDEFGHIJKLMNOPQRSTUVWXYZ", "批号"),
    ("/01/{gtin}/10/A%2FB", "网址应为"),
])
def test_bad_syntax_gets_400_in_plain_words(client, lot, path, message):
    url = path.format(bad=_bad_check(lot.gtin), gtin=lot.gtin, gtin13=lot.gtin[1:], lot_number=lot.lot_number)
    response = client.get(url)
    assert response.status_code == 400, url
    _cors_ok(response)
    page = response.content.decode()
    assert message in page
    assert "14位数字" in page  # how to check the code


def test_a_full_width_gtin_names_the_same_lot_as_on_the_trace_page(client, lot):
    # One parser (traceability.codes): NFKC folds "０" to "0", as /trace/<code>/ does.
    response = client.get(f"/01/%EF%BC%90{lot.gtin[1:]}/10/{lot.lot_number}")
    assert response.status_code == 307
    assert response["Location"].endswith(f"/trace/{lot.code}/")


@pytest.mark.parametrize("path", ["/01/{gtin}/10/NOSUCHLOT", "/01/{other}", "/01/{other}/10/{lot_number}"])
def test_unknown_items_get_404(client, lot, path):
    from traceability.gtin import make_gtin14

    url = path.format(gtin=lot.gtin, other=make_gtin14("0690000099999"), lot_number=lot.lot_number)
    response = client.get(url)
    assert response.status_code == 404
    assert "没有找到这个商品或批次" in response.content.decode()
    _cors_ok(response)


@pytest.mark.parametrize("digits", [13, 12])
def test_short_gtins_are_padded(client, lot, digits):
    from traceability.gtin import make_gtin14

    short_lot = factories.lot(product_=lot.product, events=1, gtin=make_gtin14("0069012345678"))
    assert short_lot.gtin.startswith("00")
    short = short_lot.gtin[14 - digits:]
    response = client.get(f"/01/{short}/10/{short_lot.lot_number}")
    assert response.status_code == 307
    assert response["Location"] == f"http://testserver/trace/{short_lot.code}/"


def test_serial_qualifier_names_a_unit_of_the_lot(client, lot):
    response = client.get(_path(lot, "/21/ABC123"))
    assert response.status_code == 307
    assert response["Location"] == f"http://testserver/trace/{lot.code}/"


def test_browsers_land_on_the_trace_page(client, lot):
    response = client.get(_path(lot), follow=True, HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response.status_code == 200
    assert response.redirect_chain == [(f"http://testserver/trace/{lot.code}/", 307)]
    assert response.context["lot"] == lot
    english = client.get(f"/en{_path(lot)}", follow=True)
    assert english.redirect_chain[-1][0] == f"http://testserver/en/trace/{lot.code}/"
    assert "Changbai forest ginseng" in english.content.decode()


def test_qr_code_url_name_still_reverses(lot):
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("traceability:digital-link", kwargs={"gtin": lot.gtin, "lot_number": lot.lot_number})
    assert url == _path(lot)
