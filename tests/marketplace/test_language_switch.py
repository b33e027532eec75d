"""Every page links to itself in the other language: the same page, with its query string,
as Django's ``translate_url`` gives it (the context processor works it out from the match the
request already resolved)."""

import re
from html import unescape
from urllib.parse import quote

import pytest
from django.urls import translate_url

from tests import factories

pytestmark = pytest.mark.django_db

SWITCH = re.compile(r'<a class="lang-switch" href="([^"]*)"')


def _switch(client, path) -> str:
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    found = SWITCH.search(response.content.decode())
    assert found, path
    return unescape(found.group(1))


def test_the_switch_leads_to_the_same_page_in_the_other_language(client):
    factories.home_pages()
    category = factories.category(name="助行器具", name_en="Walking aids")
    product = factories.sellable_product(title="折叠手杖", category=category)
    paths = [
        "/", "/en/", product.get_absolute_url(), category.get_absolute_url(),
        f"/search/?q={quote('手杖 老人')}&price=100-300&page=1", "/en/search/?q=cane",
        "/basket/", "/en/basket/", "/no-such-page/",
    ]
    for path in paths:
        other = "zh-hans" if path.startswith("/en/") else "en"
        assert _switch(client, path) == translate_url(path, other), path
    assert _switch(client, product.get_absolute_url()).startswith("/en/catalogue/")
    assert _switch(client, "/en/search/?q=cane") == "/search/?q=cane"
