"""The one sanitiser for merchant-supplied rich text (product descriptions, campaign copy).

An allow-list, not a block-list: anything not named here is dropped, so a new browser
feature cannot open a hole. Descriptions are cleaned when saved and again when rendered,
so rows written before this rule (or by a bulk import) are safe too. Built on nh3
(ammonia, the html5ever parser), which parses the way browsers do.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = frozenset({
    "p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "a",
})
ATTRIBUTES = {"a": {"href"}, "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Dropped with their content, not just their tags: their text is code, not copy.
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math"})
LINK_REL = "noopener noreferrer nofollow"


def clean_html(value: str) -> str:
    """Merchant HTML reduced to the allow-list: safe to render as HTML on our origin.

    Links keep only http, https and mailto targets (relative URLs are dropped too: a merchant
    has no business linking into our own pages) and get ``rel="noopener noreferrer nofollow"``.
    """
    if not value:
        return ""
    return nh3.clean(
        str(value),
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def safe_html(value: str) -> SafeString:
    """``clean_html`` marked safe for templates: the only way merchant HTML reaches a page."""
    return mark_safe(clean_html(value))  # noqa: S308 - cleaned by the allow-list above
