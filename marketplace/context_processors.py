from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation

from catalog.selectors import top_categories
from marketplace.preferences.display import display_for
from marketplace.roles import MERCHANT, has_role
from marketplace.session_timeout import session_notice


def storefront(request):
    """The language switch (the same page in the other language) and the shopper's display:
    text size, high contrast and 长辈模式 as classes on <html>."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    other = "zh-hans" if current.startswith("en") else "en"
    return {
        "other_language_code": other,
        "other_language_name": dict(settings.LANGUAGES)[other],
        "other_language_url": _same_page_in(other, request, path),
        "demo_mode": settings.DEMO_MODE,
        "nav_categories": top_categories(),
        "display": display_for(request=request),
        "is_merchant_staff": has_role(request.user, MERCHANT) if hasattr(request, "user") else False,
        **session_notice(request),
    }


def _same_page_in(language: str, request, path: str) -> str:
    """``translate_url`` from the match this request already resolved, rather than resolving
    its path again (every storefront page shows the link)."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return translate_url(path, language)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(language):
        try:
            translated = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return translate_url(path, language)
    return urlunsplit(urlsplit(path)._replace(path=translated))
