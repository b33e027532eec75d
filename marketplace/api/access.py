"""Who is calling: bearer tokens, scopes, roles, rate limits and the audit of writes.

Order of checks on every request: a valid, unrevoked token (else 401), the per-token rate
limit (429 with Retry-After), then in the view the role the endpoint is for and the scope
it needs (403). Merchant endpoints start every query from the caller's own partner, so
another merchant's object is simply not found (404).
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from marketplace import roles
from marketplace.api import tokens
from marketplace.api.models import ApiAuditEntry, ApiToken
from marketplace.api.problems import Problem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WINDOW_SECONDS = 60


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.token_for_secret(token.strip())
        if found is None:
            return None
        request.api_token = found
        request.user = found.user
        return found


class TokenRateThrottle(BaseThrottle):
    """A fixed one-minute window per token, counted in the shared cache (Redis in production)."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        if token is None:
            return True
        limit = getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 120)
        window = int(time.time() // WINDOW_SECONDS)
        key = f"api-rate:{token.pk}:{window}"
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
        return count <= limit

    def wait(self) -> float:
        return max(1.0, WINDOW_SECONDS - time.time() % WINDOW_SECONDS)


def _require_scope(request: HttpRequest, scope: str) -> None:
    if scope not in (request.auth.scopes or []):
        raise Problem(403, f"这个令牌没有“{scope}”权限。请在“接口令牌”页面新建一个带这项权限的令牌。",
                      kind="insufficient-scope")


def regulator(request: HttpRequest, scope: str):
    """The calling regulator (or platform admin), or 403."""
    if not tokens.is_regulator(request.user):
        raise Problem(403, "只有市场监管人员可以使用监管接口。")
    _require_scope(request, scope)
    return request.user


def merchant(request: HttpRequest, scope: str):
    """The caller's own partner, or 403. Every merchant query starts from it."""
    partner = roles.merchant_for(request.user)
    if partner is None:
        raise Problem(403, "只有商家员工可以使用商家接口。")
    _require_scope(request, scope)
    return partner


def regulator_or_merchant(request: HttpRequest, *, regulator_scope: str, merchant_scope: str):
    """(None, user) for a regulator, (partner, user) for a merchant; 403 for anyone else."""
    if tokens.is_regulator(request.user):
        _require_scope(request, regulator_scope)
        return None
    return merchant(request, merchant_scope)


def audit_target(request: HttpRequest, object_type: str, object_id) -> None:
    """Name what a write acted on, for its ApiAuditEntry."""
    request.api_audit_object = (object_type, str(object_id)[:128])


def audited(run):
    """Record every write made with a token, allowed or refused, with how it ended."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        try:
            response = run(request, *args, **kwargs)
        except Exception:
            _record(request, 500)
            raise
        _record(request, response.status_code)
        return response

    return wrapper


def _record(request, status: int) -> None:
    token = getattr(request, "api_token", None)
    if request.method in SAFE_METHODS or token is None:
        return
    object_type, object_id = getattr(request, "api_audit_object", ("", ""))
    ApiAuditEntry.objects.create(
        user=token.user, token=token, method=request.method, path=request.path[:255],
        object_type=object_type, object_id=object_id, status=status,
    )
