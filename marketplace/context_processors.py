from django.conf import settings
from django.urls import translate_url
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
        "other_language_url": translate_url(path, other),
        "demo_mode": settings.DEMO_MODE,
        "nav_categories": top_categories(),
        "display": display_for(request=request),
        "is_merchant_staff": has_role(request.user, MERCHANT) if hasattr(request, "user") else False,
        **session_notice(request),
    }
