"""Who may open the regulator console and the merchant workspace.

Anonymous visitors are sent to log in; a logged-in user without the role or permission
gets 403. Merchant pages also set ``request.merchant`` from ``roles.merchant_for``, and
every merchant query starts from it, so another merchant's lot is simply not found (404).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from marketplace.roles import merchant_for


def regulator_required(*perms: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(("traceability.verify_lot", *perms)):
                raise PermissionDenied("只有市场监管人员可以使用监管台。")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def merchant_required(*perms: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            merchant = merchant_for(request.user)
            if merchant is None or not request.user.has_perms(perms):
                raise PermissionDenied("只有商家员工可以使用商家工作台。")
            request.merchant = merchant
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
