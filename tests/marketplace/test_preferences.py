"""The display preference (大字, 高对比, 长辈模式): a plain form with no JavaScript, a long-lived
cookie on the device, the account for a logged-in shopper, and a safe way back."""

import re

import pytest
from django.test import Client

from marketplace.preferences.display import COOKIE_NAME, Display, changed
from marketplace.preferences.models import DisplayPreference
from tests import factories
from tests.marketplace.test_english import chinese_lines

pytestmark = pytest.mark.django_db


def _html_classes(client, path="/catalogue/") -> set[str]:
    html = client.get(path).content.decode()
    match = re.search(r'<html lang="[^"]+" class="([^"]*)"', html)
    assert match, html[:300]
    return set(match.group(1).split())


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_every_page_starts_with_standard_text_and_the_switch_in_its_header(client):
    html = client.get("/catalogue/").content.decode()
    assert 'class="text-standard"' in html
    form = re.search(r'<form class="display-switch" method="post" action="/display/">(.*?)</form>', html, re.S)
    assert form, "the header has no 大字 form"
    for name, value in [("text_size", "standard"), ("text_size", "large"), ("text_size", "x-large"),
                        ("high_contrast", "on"), ("elder_mode", "on")]:
        assert f'name="{name}" value="{value}"' in form.group(1)
    assert 'name="next" value="/catalogue/"' in form.group(1)
    assert "400-000-0000" in html


def test_the_header_form_works_without_javascript_and_with_csrf_checks():
    browser = Client(enforce_csrf_checks=True)
    html = browser.get("/catalogue/").content.decode()
    response = browser.post("/display/", {"csrfmiddlewaretoken": _csrf_token(html), "next": "/catalogue/",
                                          "text_size": "x-large"})
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == "x-large.0.0"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "text-x-large" in _html_classes(browser)
    assert DisplayPreference.objects.count() == 0  # nobody logged in: the device only


def test_without_the_csrf_token_nothing_changes():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/display/", {"text_size": "x-large"})
    assert response.status_code == 403
    assert COOKIE_NAME not in response.cookies
    assert "text-standard" in _html_classes(browser)


def test_each_switch_changes_only_its_own_setting(client):
    client.post("/display/", {"text_size": "large"})
    client.post("/display/", {"high_contrast": "on"})
    assert {"text-large", "contrast-high"} <= _html_classes(client)
    client.post("/display/", {"elder_mode": "on"})
    assert _html_classes(client) == {"text-large", "contrast-high", "elder-mode"}
    client.post("/display/", {"high_contrast": "off"})
    assert _html_classes(client) == {"text-large", "elder-mode"}
    client.post("/display/", {"elder_mode": "off", "next": "/"})
    assert _html_classes(client) == {"text-large"}


def test_elder_mode_makes_standard_text_large_and_keeps_a_larger_choice():
    assert changed(display=Display(), elder_mode=True) == Display(text_size="large", elder_mode=True)
    bigger = Display(text_size="x-large")
    assert changed(display=bigger, elder_mode=True) == Display(text_size="x-large", elder_mode=True)
    assert changed(display=Display(text_size="large", elder_mode=True), elder_mode=False) == Display(text_size="large")


@pytest.mark.parametrize("value", ["", "huge.1.1", "large.2.0", "large", "x-large.1.0.1", "<script>"])
def test_an_unreadable_cookie_is_the_standard_display(client, value):
    client.cookies[COOKIE_NAME] = value
    assert _html_classes(client) == {"text-standard"}


def test_a_logged_in_choice_is_kept_on_the_account_and_follows_to_another_device(client):
    shopper = factories.user(email="wang@example.com")
    client.force_login(shopper)
    client.post("/display/", {"text_size": "x-large", "next": "/"})
    client.post("/display/", {"elder_mode": "on", "next": "/"})
    saved = DisplayPreference.objects.get(user=shopper)
    assert (saved.text_size, saved.high_contrast, saved.elder_mode) == ("x-large", False, True)

    phone = Client()  # another device: nothing chosen there
    assert _html_classes(phone) == {"text-standard"}
    phone.force_login(shopper)
    assert _html_classes(phone) == {"text-x-large", "elder-mode"}
    phone.post("/accounts/logout/")
    assert _html_classes(phone) == {"text-standard"}  # logged out: the device's own choice again


def test_one_shoppers_choice_never_changes_anothers(client):
    first, second = factories.user(), factories.user()
    DisplayPreference.objects.create(user=second, text_size="large", high_contrast=True)
    client.force_login(first)
    client.post("/display/", {"text_size": "x-large", "high_contrast": "off"})
    assert DisplayPreference.objects.get(user=first).text_size == "x-large"
    other = DisplayPreference.objects.get(user=second)
    assert (other.text_size, other.high_contrast) == ("large", True)


def test_the_device_choice_stays_until_the_account_has_one(client):
    client.post("/display/", {"text_size": "large"})
    client.force_login(factories.user())
    assert "text-large" in _html_classes(client)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "http://testserver.evil.example/", "javascript:alert(1)", "catalogue/"])
def test_an_unsafe_next_goes_to_the_settings_page_instead(client, target):
    response = client.post("/display/", {"text_size": "large", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/display/"
    assert response.cookies[COOKIE_NAME].value == "large.0.0"


def test_a_bad_choice_gets_a_plain_message_and_changes_nothing(client):
    shopper = factories.user()
    client.force_login(shopper)
    response = client.post("/display/", {"text_size": "enormous", "next": "/"})
    assert response.status_code == 400
    assert "没有看懂这个选择" in response.content.decode()
    assert COOKIE_NAME not in response.cookies
    assert not DisplayPreference.objects.filter(user=shopper).exists()


def test_the_settings_page_shows_the_current_choice_and_big_switches(client):
    client.post("/display/", {"elder_mode": "on"})
    html = client.get("/display/").content.decode()
    assert "长辈模式" in html and "已打开" in html
    assert 'name="elder_mode" value="off"' in html
    assert 'name="text_size" value="large" class="size-sample size-large" aria-pressed="true"' in html


def test_the_settings_page_is_english_under_en(client):
    response = client.post("/en/display/", {"text_size": "large", "next": "/en/catalogue/"})
    assert response["Location"] == "/en/catalogue/"
    html = client.get("/en/display/").content.decode()
    assert 'lang="en"' in html
    assert "Elder mode" in html and "Text size" in html
    assert chinese_lines(html) == []


def test_a_search_for_the_elder_mode_turns_it_on_from_the_results(client):
    html = client.get("/search/", {"q": "长辈模式"}).content.decode()
    assert 'name="elder_mode" value="on"' in html
    response = client.post("/display/", {"elder_mode": "on", "next": "/search/?q=%E9%95%BF%E8%BE%88%E6%A8%A1%E5%BC%8F"})
    assert response["Location"] == "/search/?q=%E9%95%BF%E8%BE%88%E6%A8%A1%E5%BC%8F"
    assert "elder-mode" in _html_classes(client, "/search/?q=%E9%95%BF%E8%BE%88%E6%A8%A1%E5%BC%8F")
    assert "长辈模式已经打开了" in client.get("/search/", {"q": "大字"}).content.decode()
