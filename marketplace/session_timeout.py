"""Signed-in sessions end after a quiet spell, and the shopper is warned first and can go on.

A shop account holds addresses, orders and family links; a phone left on a table should not stay
signed in for a fortnight. ``SESSION_IDLE_SECONDS`` of no requests ends the session. The page
carries a quiet notice (role=status, never a modal) that ``session.js`` reveals
``SESSION_WARNING_SECONDS`` before the end; its 「继续使用」 is a plain POST form, so it works
without JavaScript too.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

LAST_SEEN = "silver_last_seen"


def idle_seconds() -> int:
    return settings.SESSION_IDLE_SECONDS


def warning_seconds() -> int:
    return min(settings.SESSION_WARNING_SECONDS, idle_seconds())


def expired(*, last_seen: float | None, now: float) -> bool:
    return last_seen is not None and now - last_seen > idle_seconds()


def touch_interval() -> int:
    """How stale the last-seen time may get before a request writes it again: saving the session
    on every request would cost a write per page; half the warning keeps the notice in time."""
    return min(60, warning_seconds() // 2)


class IdleTimeoutMiddleware:
    """Ends a signed-in session idle for longer than ``SESSION_IDLE_SECONDS``; every request of
    a signed-in user counts as activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN)
            if expired(last_seen=last_seen, now=now):
                logout(request)
                messages.info(request, _("您很久没有操作，为了安全已经自动退出登录。请重新登录，购物车里的东西还在。"))
            elif last_seen is None or now - last_seen >= touch_interval():
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def session_notice(request) -> dict:
    """Template context for the notice: only for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    now = time.time()
    left = idle_seconds() - (now - request.session.get(LAST_SEEN, now))  # the last write may be a little old
    return {
        "session_idle_seconds": idle_seconds(),
        "session_warn_after": max(0, int(left) - warning_seconds()),
        "session_warning_minutes": max(1, warning_seconds() // 60),
    }


@require_POST
def extend(request):
    """「继续使用」: renew the session now and go back where the shopper was."""
    if request.user.is_authenticated:
        request.session[LAST_SEEN] = time.time()
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    if request.user.is_authenticated and request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"idle_seconds": idle_seconds(), "warn_after": idle_seconds() - warning_seconds()})
    return redirect(target)
