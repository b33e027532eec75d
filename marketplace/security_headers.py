"""Content-Security-Policy for every response, scoped by path.

The storefront's policy is strict (no inline script or style: see COMMON conventions).
The Wagtail admin, the Django admin and Oscar's dashboard ship inline scripts and styles of
their own, so their paths get a relaxed policy; it still refuses plugins, foreign frames
and foreign form targets. A response that already names its own policy (uploaded media,
Wagtail documents) keeps it.
"""

from django.conf import settings


def policy_text(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.storefront = policy_text(settings.CSP_STOREFRONT)
        self.admin = policy_text(settings.CSP_ADMIN)
        self.admin_prefixes = tuple(settings.CSP_ADMIN_PATH_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            relaxed = request.path_info.startswith(self.admin_prefixes)
            response["Content-Security-Policy"] = self.admin if relaxed else self.storefront
        return response
