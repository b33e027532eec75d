"""The elder-mode hook: a search for 长辈版 / 关怀版 / 大字 points at the display setting.

Searching for the elder mode and not finding it is a reported failure of Chinese shops
(DOMAIN.md §1). The setting page is the storefront's (URL name ``display-settings``);
until it exists, the help centre explains the browser's own zoom.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import translation


def display_settings_url() -> str:
    try:
        return reverse("display-settings")
    except NoReverseMatch:
        return "/en/help/" if (translation.get_language() or "").startswith("en") else "/help/"
