"""Failed-login throttling for every login form (shop, Wagtail, Django admin), via django-axes.

Lock-outs are counted per account and per address (``AXES_LOCKOUT_PARAMETERS``) in the
database, so every app server sees the same count, and expire after ``AXES_COOLOFF_TIME``.
"""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' gate, for logins that come through a request.

    Every login form passes the request to ``authenticate()``. Calls without one (the test
    client's ``login()``, management commands) are not web logins and have nothing to throttle.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def account_key(request, credentials) -> str:
    """The account an attempt is counted against: the typed name or e-mail, case-folded."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) if credentials else None
    if value is None and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return (value or "").strip().casefold()[:255]


def client_ip(request) -> str:
    """The client's address; behind our one reverse proxy, the address it saw."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def lockout_response(request, original_response=None, credentials=None):
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    message = _("登录失败次数太多，为保护您的账户，请 %(minutes)s 分钟后再试。忘记密码可以点「忘记密码」重新设置，"
                "或拨打客服热线 400-000-0000。") % {"minutes": minutes}
    return render(request, "silver/login_locked.html", {"message": message, "minutes": minutes}, status=429)
