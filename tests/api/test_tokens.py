"""Tokens: stored hashed, shown once, revocable, scoped, and made on a page or by a command."""

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from marketplace.api import tokens
from marketplace.api.models import ApiToken
from tests.api.conftest import make_token
from traceability.models import Lot, TraceEvent

pytestmark = pytest.mark.django_db


def test_only_the_hash_is_stored_and_the_secret_works(world):
    issued = tokens.issue_token(user=world.users["merchant_a"], name="ERP", scopes=[tokens.TRACE_READ])
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret.startswith("sm_") and len(issued.secret) > 40
    assert issued.secret not in json.dumps([stored.secret_sha256, stored.prefix, stored.name])
    assert stored.secret_sha256 == tokens.secret_digest(issued.secret)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert client.get("/api/v1/merchant/lots").status_code == 200
    assert ApiToken.objects.get(pk=stored.pk).last_used_at is not None


def test_a_revoked_token_or_a_wrong_one_is_refused(world):
    issued = tokens.issue_token(user=world.users["regulator"], name="监管平台", scopes=[tokens.REGULATOR_READ])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert client.get("/api/v1/regulator/lots").status_code == 200
    tokens.revoke_token(token=issued.token, user=world.users["regulator"])
    refused = client.get("/api/v1/regulator/lots")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert refused["Content-Type"].startswith("application/problem+json")
    for header in (f"Bearer {issued.secret}x", "Bearer ", f"Basic {issued.secret}", "Bearer sm_" + "a" * 200):
        assert Client(HTTP_AUTHORIZATION=header).get("/api/v1/regulator/lots").status_code == 401


def test_a_deactivated_user_s_token_is_refused(world):
    user = world.users["regulator"]
    user.is_active = False
    user.save()
    assert world.client("regulator").get("/api/v1/regulator/lots").status_code == 401


def test_roles_limit_the_scopes_a_token_can_be_given(world):
    assert tokens.scopes_for(world.users["shopper"]) == ()
    assert set(tokens.scopes_for(world.users["merchant_a"])) == set(tokens.MERCHANT_SCOPES)
    assert set(tokens.scopes_for(world.users["regulator"])) == set(tokens.REGULATOR_SCOPES)
    for role, scope in (("shopper", tokens.TRACE_READ), ("merchant_a", tokens.REGULATOR_WRITE),
                        ("regulator", tokens.TRACE_WRITE), ("cms_editor", tokens.STOCK_READ)):
        with pytest.raises(ValidationError):
            tokens.issue_token(user=world.users[role], name="x", scopes=[scope])
    assert not ApiToken.objects.filter(name="x").exists()


def test_scopes_are_enforced(world):
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {make_token(world.users['merchant_a'], [tokens.TRACE_READ])}")
    assert reader.get(f"/api/v1/merchant/lots/{world.lot_a.code}").status_code == 200
    assert reader.get("/api/v1/merchant/order-lines").status_code == 403
    assert reader.get("/api/v1/merchant/stock").status_code == 403
    before = TraceEvent.objects.filter(lot=world.lot_a).count()
    refused = reader.post(f"/api/v1/merchant/lots/{world.lot_a.code}/events", content_type="application/json",
                          data={"kind": "storing", "event_time": "2026-01-01T08:00:00+08:00",
                                "responsible_party": "甲"})
    assert refused.status_code == 403 and "trace:write" in refused.json()["detail"]
    assert TraceEvent.objects.filter(lot=world.lot_a).count() == before
    regulator = Client(HTTP_AUTHORIZATION=f"Bearer {make_token(world.users['regulator'], [tokens.REGULATOR_READ])}")
    assert regulator.get("/api/v1/regulator/lots").status_code == 200
    assert regulator.post(f"/api/v1/regulator/lots/{world.lot_a.code}/suspend", content_type="application/json",
                          data={"reason": "抽检"}).status_code == 403
    assert Lot.objects.get(pk=world.lot_a.pk).status == Lot.ACTIVE


def test_a_merchant_who_leaves_the_shop_loses_access_with_the_token_in_hand(world):
    world.partner_a.users.remove(world.users["merchant_a"])
    assert world.client("merchant_a").get("/api/v1/merchant/lots").status_code == 403


def test_the_token_page(world):
    assert Client().get("/account/api-tokens/").status_code == 302
    shopper = Client()
    shopper.force_login(world.users["shopper"])
    assert "不能使用数据接口" in shopper.get("/account/api-tokens/").content.decode()
    refused = shopper.post("/account/api-tokens/", {"name": "偷偷", "scopes": [tokens.TRACE_READ]})
    assert refused.status_code == 403
    assert not ApiToken.objects.filter(name="偷偷").exists()

    merchant = Client()
    merchant.force_login(world.users["merchant_a"])
    page = merchant.get("/account/api-tokens/").content.decode()
    assert 'value="trace:write"' in page and 'value="regulator:write"' not in page
    bad = merchant.post("/account/api-tokens/", {"name": "ERP", "scopes": [tokens.REGULATOR_WRITE]})
    assert bad.status_code == 400 and not ApiToken.objects.filter(name="ERP").exists()
    made = merchant.post("/account/api-tokens/", {"name": "ERP", "scopes": [tokens.TRACE_READ, tokens.STOCK_READ]})
    assert made.status_code == 200
    token = ApiToken.objects.get(name="ERP")
    secret = re.search(r'class="api-secret">(sm_[^<]+)<', made.content.decode())[1]
    assert token.secret_sha256 == tokens.secret_digest(secret)
    assert secret not in merchant.get("/account/api-tokens/").content.decode()  # shown once

    other = Client()
    other.force_login(world.users["merchant_b"])
    assert other.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert merchant.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/merchant/lots").status_code == 401
    assert merchant.get("/en/account/api-tokens/").status_code == 200


def test_the_management_command(world):
    out = io.StringIO()
    call_command("api_token", "create", "--user", world.users["regulator"].email, "--name", "监管平台",
                 "--scope", "regulator:read", stdout=out, stderr=io.StringIO())
    secret = out.getvalue().strip()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/regulator/lots").status_code == 200
    listing = io.StringIO()
    call_command("api_token", "list", "--user", world.users["regulator"].email, stdout=listing)
    assert secret[:10] in listing.getvalue() and secret not in listing.getvalue()
    call_command("api_token", "revoke", "--user", world.users["regulator"].email, "--prefix", secret[:10],
                 stdout=io.StringIO())
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/regulator/lots").status_code == 401
    with pytest.raises(CommandError):
        call_command("api_token", "create", "--user", world.users["shopper"].email, "--name", "x",
                     "--scope", "trace:read", stdout=io.StringIO())
