"""Error pages are our own, in plain words, in the visitor's language, and never Django's bare pages."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from tests import factories


def _raise(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _raise)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,lang,title,home",
    [
        ("/catalogue/no-such-thing_999999/", "zh-Hans", "没有找到这个页面", 'href="/"'),
        ("/en/catalogue/no-such-thing_999999/", "en", "We could not find this page", 'href="/en/"'),
        ("/en/no/such/page/", "en", "Call our hotline", 'href="/en/"'),
        ("/trace/not-a-code/", "zh-Hans", "没有找到这个追溯码", 'href="/"'),
    ],
)
def test_not_found_is_our_page_in_the_visitors_language(client, url, lang, title, home):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html  # classes for the display setting follow
    assert "Not Found</h1>" not in html  # Django's bare page
    assert title in html
    assert "400-000-0000" in html
    assert home in html


@pytest.mark.django_db
@pytest.mark.parametrize("prefix,lang,text", [("", "zh-Hans", "您没有权限打开这个页面"), ("/en", "en", "You are not allowed")])
def test_forbidden_is_our_page(client, prefix, lang, text):
    client.force_login(factories.user(role="shopper"))
    response = client.get(f"{prefix}/regulator/lots/")
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html  # classes for the display setting follow
    assert text in html
    assert "403 Forbidden" not in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_server_error_is_a_calm_page_that_says_nothing_is_lost():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "网站出了点问题" in html
    assert "不会丢失" in html
    assert "400-000-0000" in html
    assert "RuntimeError" not in html and "Traceback" not in html


@pytest.mark.django_db
def test_expired_form_says_so_in_plain_words():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login-username": "a@example.com", "login-password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html
    assert "CSRF" not in html
