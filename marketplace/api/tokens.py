"""Issuing, finding and revoking API tokens, and which scopes each role may hold.

A token is ``sm_`` followed by 43 URL-safe characters (256 random bits). Only its SHA-256
is stored, so a database leak gives nobody a working token; the secret is shown to its
owner once, when it is made. A scope is necessary but never sufficient: every endpoint
also checks the user's role at the time of the request (``access.py``), so a merchant who
leaves the shop loses access with the tokens they still hold.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace import roles
from marketplace.api.models import ApiToken

PREFIX = "sm_"
TRACE_READ, TRACE_WRITE = "trace:read", "trace:write"
REGULATOR_READ, REGULATOR_WRITE = "regulator:read", "regulator:write"
ORDERS_READ, STOCK_READ = "orders:read", "stock:read"

SCOPES = {
    TRACE_READ: _("读取本店批次和追溯事件"),
    TRACE_WRITE: _("录入本店追溯事件（含 EPCIS 采集）"),
    STOCK_READ: _("读取本店商品和库存"),
    ORDERS_READ: _("读取本店的订单商品"),
    REGULATOR_READ: _("监管：查询批次、事件，校验追溯链，导出 EPCIS"),
    REGULATOR_WRITE: _("监管：校验、暂停、恢复、召回"),
}
MERCHANT_SCOPES = (TRACE_READ, TRACE_WRITE, STOCK_READ, ORDERS_READ)
REGULATOR_SCOPES = (REGULATOR_READ, REGULATOR_WRITE)
MAX_ACTIVE_TOKENS = 20


def is_regulator(user) -> bool:
    """Regulators, and platform admins who hold every permission, use the regulator endpoints."""
    return user.is_authenticated and user.is_active and user.has_perm("traceability.verify_lot")


def scopes_for(user) -> tuple[str, ...]:
    """The scopes this user's roles allow a token to carry."""
    allowed: list[str] = []
    if roles.merchant_for(user) is not None:
        allowed.extend(MERCHANT_SCOPES)
    if is_regulator(user):
        allowed.extend(REGULATOR_SCOPES)
    return tuple(allowed)


def scope_label(scope: str) -> str:
    return str(SCOPES.get(scope, scope))


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def issue_token(*, user, name: str, scopes: list[str]) -> IssuedToken:
    """A new token for ``user`` with ``scopes``, each of which the user's roles must allow."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请给令牌起个名字，例如“ERP 系统”。"})
    if len(name) > 64:
        raise ValidationError({"name": "名字请不超过 64 个字。"})
    wanted = list(dict.fromkeys(scopes or []))
    if not wanted:
        raise ValidationError({"scopes": "请至少选择一项权限。"})
    allowed = scopes_for(user)
    refused = [scope for scope in wanted if scope not in allowed]
    if refused:
        raise ValidationError({"scopes": f"您的账户不能使用这些权限：{'、'.join(refused)}。"})
    with transaction.atomic():
        if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
            raise ValidationError({"name": f"最多同时有 {MAX_ACTIVE_TOKENS} 个有效令牌，请先作废不用的。"})
        secret = PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(user=user, name=name, prefix=secret[:10],
                                        secret_sha256=secret_digest(secret), scopes=wanted)
    return IssuedToken(token=token, secret=secret)


def revoke_token(*, token: ApiToken, user) -> ApiToken:
    """Revoke one of the user's own tokens (a platform admin may revoke anyone's)."""
    if token.user_id != user.pk and not roles.has_role(user, roles.PLATFORM_ADMIN) and not user.is_superuser:
        raise ApiToken.DoesNotExist("not this user's token")
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token.refresh_from_db(fields=["revoked_at"])
    return token


def tokens_for(*, user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret, its user loaded, or None. Marks it used."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (ApiToken.objects.select_related("user").filter(secret_sha256=secret_digest(secret),
                                                           revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        # At most one write a minute per token, not one per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
