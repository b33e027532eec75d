"""Class 7: repeated failed logins lock the account and the address, on all three login forms."""

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories

FORMS = {
    "shop": ("/accounts/login/", lambda email, password: {"login-username": email, "login-password": password,
                                                          "login_submit": "1"}),
    "wagtail": ("/cms/login/", lambda email, password: {"username": email, "password": password}),
    "django_admin": ("/django-admin/login/", lambda email, password: {"username": email, "password": password}),
}
LOCKED = "登录失败次数太多"


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_lockout_after_failures_then_expiry_and_success(settings, form):
    settings.AXES_FAILURE_LIMIT = 3
    from axes.models import AccessAttempt

    url, data = FORMS[form]
    user = factories.user(email="elder.lock@example.com", password="right-pass-2026")
    user.is_staff = user.is_superuser = True  # so the admin forms would let the right password in
    user.save()
    username = user.username if form != "shop" else user.email
    client = Client()
    for _ in range(2):
        response = client.post(url, data(username, "wrong-pass"))
        assert LOCKED not in response.content.decode()
    assert client.post(url, data(username, "wrong-pass")).status_code == 429  # the limit is reached
    locked = client.post(url, data(username, "right-pass-2026"))
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address trying the same account is locked out too (per account) ...
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post(url, data(username.upper(), "right-pass-2026")).status_code == 429
    # ... and the lock-out expires.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(minutes=1))
    response = client.post(url, data(username, "right-pass-2026"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_per_address_lockout_covers_many_accounts(settings):
    settings.AXES_FAILURE_LIMIT = 3
    url, data = FORMS["shop"]
    client = Client(REMOTE_ADDR="10.1.1.1")
    for n in range(3):
        client.post(url, data(f"nobody{n}@example.com", "x"))
    response = client.post(url, data("someone.else@example.com", "x"))
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


@pytest.mark.django_db
def test_test_client_login_still_works():
    user = factories.user(password="p-2026-x")
    client = Client()
    assert client.login(username=user.username, password="p-2026-x")
