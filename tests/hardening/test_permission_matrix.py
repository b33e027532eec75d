"""Class 8: every role against every URL of the back offices, generated from the URL resolver."""

import pytest

from tests.hardening import urlwalk
from tests.hardening.conftest import ROLES

AREAS = {
    "dashboard": ("/dashboard/",),
    "wagtail": ("/cms/",),
    "django_admin": ("/django-admin/",),
    "merchant": ("/merchant/",),
    "regulator": ("/regulator/",),
}
# Who may enter each area at all. Merchants enter Oscar's dashboard only where Oscar scopes
# them to their own partner; the rest of it answers them with a denial, which the test accepts.
ALLOWED = {
    "dashboard": {"platform_admin"},
    "wagtail": {"platform_admin", "cms_editor"},
    "django_admin": {"platform_admin"},
    "merchant": {"merchant_a", "merchant_b"},
    "regulator": {"regulator", "platform_admin"},
}
MAYBE = {"dashboard": {"merchant_a", "merchant_b"}}
PUBLIC = ("/sprite/", "/login/", "/logout/", "/password-reset/", "/password_reset/", "/jsi18n/", "/password/reset")
EDITOR_MUST_REACH = ("/cms/", "/cms/pages/", "/cms/images/", "/cms/documents/")


def _denied(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code == 302 and "login" in response["Location"]


def _area_urls(world):
    urls, _ = urlwalk.urls(urlwalk.world_values(world))
    by_area = {area: [] for area in AREAS}
    for url, _ in urls:
        for area, prefixes in AREAS.items():
            if url.startswith(prefixes) and not any(part in url for part in PUBLIC) and "failwhale" not in url:
                by_area[area].append(url)
    return by_area


@pytest.mark.django_db
def test_permission_matrix(world):
    by_area = _area_urls(world)
    assert all(by_area[area] for area in AREAS), {area: len(urls) for area, urls in by_area.items()}
    wrong = []
    for role in ROLES:
        client = world.client_for(role)
        for area, urls in by_area.items():
            for url in urls:
                response = client.get(url)
                assert response.status_code < 500, (role, url)
                if role in MAYBE.get(area, ()):
                    continue
                if role not in ALLOWED[area] and not _denied(response):
                    wrong.append((role, url, response.status_code, "should be denied"))
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["cms_editor", "platform_admin"])
def test_editor_and_admin_reach_wagtail(world, role):
    client = world.client_for(role)
    for url in EDITOR_MUST_REACH:
        assert client.get(url).status_code == 200, (role, url)


@pytest.mark.django_db
def test_index_pages_open_for_their_roles(world):
    expected = {"/dashboard/": "platform_admin", "/django-admin/": "platform_admin",
                "/merchant/lots/": "merchant_a", "/regulator/lots/": "regulator"}
    for url, role in expected.items():
        assert world.client_for(role).get(url).status_code == 200, url
    assert world.client_for("cms_editor").get("/dashboard/").status_code == 403
    assert world.client_for("cms_editor").get("/django-admin/").status_code == 403
