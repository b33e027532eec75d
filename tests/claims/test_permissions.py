"""Every role against the report queue and the lexicon admin: allowed cases succeed, denied cases
are refused (403, 404 or a login redirect) and change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.claims import reports
from marketplace.claims.models import RedFlagTerm, ReportStatusChange, ShopperReport
from tests.claims.conftest import ROLES, png_bytes

REGULATORS = {"regulator", "platform_admin"}
ADMINS = {"platform_admin"}


def _denied(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and "login" in response["Location"]


@pytest.fixture
def report(world):
    return reports.submit_report(
        product=world.product_a, kind="quality", details="脚垫裂了", reporter=world.users["shopper"],
        photo=SimpleUploadedFile("a.png", png_bytes()))


def _state():
    return (list(ShopperReport.objects.values_list("pk", "status", "updated_at")),
            ReportStatusChange.objects.count(),
            list(RedFlagTerm.objects.order_by("pk").values_list("term", "is_active", "explanation")))


ACTIONS = {
    "queue": ("get", lambda r: "/regulator/reports/", None, REGULATORS),
    "queue-en": ("get", lambda r: "/en/regulator/reports/", None, REGULATORS),
    "detail": ("get", lambda r: f"/regulator/reports/{r.pk}/", None, REGULATORS),
    "photo": ("get", lambda r: f"/regulator/reports/{r.pk}/photo/", None, REGULATORS),
    "change-status": ("post", lambda r: f"/regulator/reports/{r.pk}/",
                      {"status": "investigating", "note": "核查中"}, REGULATORS),
    "terms": ("get", lambda r: "/django-admin/claims/redflagterm/", None, ADMINS),
    "term-add": ("post", lambda r: "/django-admin/claims/redflagterm/add/", {
        "term": "神药", "category": "efficacy", "legal_basis": "《广告法》第二十八条",
        "product_kinds": ["health_food", "food"], "explanation": "虚假宣传。", "allowed_phrases": "",
        "is_active": "on"}, ADMINS),
    "term-change": ("post", lambda r: f"/django-admin/claims/redflagterm/{RedFlagTerm.objects.get(term='根治').pk}"
                                      "/change/", {
        "term": "根治", "category": "disease", "legal_basis": "《广告法》第十七条",
        "product_kinds": ["general"], "explanation": "改过了。", "allowed_phrases": ""}, ADMINS),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, report, role, action):
    method, url, data, allowed = ACTIONS[action]
    client = world.client_for(role)
    before = _state()
    response = getattr(client, method)(url(report), data) if data else getattr(client, method)(url(report))
    if role in allowed:
        assert response.status_code in ((200,) if method == "get" else (302,)), (role, action, response.status_code)
        if method == "post":
            assert _state() != before
        if action == "photo":
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
    else:
        assert _denied(response), (role, action, response.status_code)
        assert _state() == before


@pytest.mark.django_db
def test_term_added_in_the_admin_is_stored_in_order_and_screened_at_once(world, report):
    client = world.client_for("platform_admin")
    _method, url, data, _allowed = ACTIONS["term-add"]
    client.post(url(report), data)
    term = RedFlagTerm.objects.get(term="神药")
    assert term.product_kinds == "health_food,food"
    from marketplace.claims.screening import screen_text

    assert [f.term for f in screen_text(text="神 药", product_class="food")] == ["神药"]


@pytest.mark.django_db
def test_the_term_admin_refuses_a_badly_placed_gap(world):
    client = world.client_for("platform_admin")
    response = client.post("/django-admin/claims/redflagterm/add/", {
        "term": "…病", "category": "disease", "legal_basis": "x", "product_kinds": ["food"], "explanation": "x"})
    assert response.status_code == 200 and "「…」只能用一次" in response.content.decode()
    assert not RedFlagTerm.objects.filter(term="…病").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_shopper_sees_only_their_own_reports(world, report, role):
    html = world.client_for(role).get("/reports/").content.decode()
    assert (report.reference in html) == (role == "shopper")
