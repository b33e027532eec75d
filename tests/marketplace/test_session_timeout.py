"""Signed-in sessions end after a quiet spell; the page warns first and 「继续使用」 renews them."""

import pytest

from marketplace import session_timeout
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(session_timeout.time, "time", lambda: now[0])
    return now


@pytest.fixture
def shopper_client(client, settings, clock):
    settings.SESSION_IDLE_SECONDS = 600
    settings.SESSION_WARNING_SECONDS = 120
    client.force_login(factories.user(email="laowang@example.com"))
    return client


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_signed_in_page_carries_the_notice_and_its_form(shopper_client):
    page = shopper_client.get("/accounts/profile/").content.decode()
    assert 'role="status" data-warn-after="480" data-idle="600"' in page
    assert 'id="session-notice" hidden' in page  # shown by session.js only near the end
    assert 'action="/session/continue/"' in page and "继续使用" in page
    assert "js/session.js" in page


def test_an_anonymous_page_has_no_notice(client):
    page = client.get("/accounts/login/").content.decode()
    assert "session-notice" not in page and "js/session.js" not in page


def test_an_idle_session_ends_and_says_so(shopper_client, clock):
    shopper_client.get("/accounts/profile/")
    clock[0] += 601
    response = shopper_client.get("/accounts/profile/", follow=True)
    assert not signed_in(shopper_client)
    assert "自动退出登录" in response.content.decode()


def test_activity_keeps_the_session(shopper_client, clock):
    for _ in range(3):
        clock[0] += 500
        assert shopper_client.get("/accounts/profile/").status_code == 200
    assert signed_in(shopper_client)


def test_continue_renews_the_session_and_goes_back(shopper_client, clock):
    shopper_client.get("/accounts/profile/")
    clock[0] += 590
    response = shopper_client.post("/session/continue/", {"next": "/basket/"})
    assert response.status_code == 302 and response["Location"] == "/basket/"
    clock[0] += 590  # 1180 s since the page, 590 s since 继续使用
    shopper_client.get("/accounts/profile/")
    assert signed_in(shopper_client)


def test_continue_answers_json_for_the_script_and_refuses_get_and_other_sites(shopper_client):
    response = shopper_client.post("/session/continue/", HTTP_ACCEPT="application/json")
    assert response.json() == {"idle_seconds": 600, "warn_after": 480}
    assert shopper_client.get("/session/continue/").status_code == 405
    response = shopper_client.post("/session/continue/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_quick_run_of_pages_does_not_rewrite_the_session_each_time(shopper_client, clock):
    shopper_client.get("/accounts/profile/")
    first = shopper_client.session[session_timeout.LAST_SEEN]
    clock[0] += 10
    shopper_client.get("/accounts/profile/")
    assert shopper_client.session[session_timeout.LAST_SEEN] == first
    clock[0] += 60
    shopper_client.get("/accounts/profile/")
    assert shopper_client.session[session_timeout.LAST_SEEN] == first + 70


def test_the_notice_is_timed_from_the_last_recorded_activity(shopper_client, clock):
    shopper_client.get("/accounts/profile/")
    clock[0] += 30  # not written again yet: the session ends 30 s sooner than a fresh page suggests
    page = shopper_client.get("/accounts/profile/").content.decode()
    assert 'data-warn-after="450"' in page
