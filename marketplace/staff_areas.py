"""Who may enter the two back offices that decide by ``is_staff``: Django admin and Oscar's dashboard.

Both let in any ``is_staff`` account. A CMS editor needs Wagtail (which checks its own
``wagtailadmin.access_admin`` permission), and may carry ``is_staff`` from older set-ups,
so here the Django admin is for platform admins only and Oscar's dashboard for platform
admins and merchant staff (whom Oscar scopes to their own partner). Oscar's dashboard also
opens to anyone holding a model permission such as ``order.view_order``; roles that hold one
for their own console (the regulator) are kept out here.
"""

from django.http import HttpResponseForbidden
from django.template.loader import render_to_string

from marketplace import roles

DJANGO_ADMIN = ("/django-admin/",)
DASHBOARD = ("/dashboard/", "/en/dashboard/")


def _platform_admin(user) -> bool:
    return user.is_superuser or roles.has_role(user, roles.PLATFORM_ADMIN)


def may_enter(user, path: str) -> bool:
    if not user.is_authenticated:
        return True  # the login pages and Oscar's own checks answer anonymous visitors
    if path.startswith(DJANGO_ADMIN):
        return _platform_admin(user)
    if path.startswith(DASHBOARD):
        # Not by model permissions alone: a regulator may view orders (recalls), but in its
        # own console, never in the dashboard with every order, customer and sales figure.
        return _platform_admin(user) or roles.has_role(user, roles.MERCHANT)
    return True


class StaffAreaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not may_enter(user, request.path_info):
            return HttpResponseForbidden(render_to_string("silver/forbidden.html", request=request))
        return self.get_response(request)
