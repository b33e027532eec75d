"""The English site speaks English: every message in the English catalogue is translated with
the same placeholders, and the pages a shopper sees under /en/ show no Chinese of ours.

Chinese that comes from data (a product's Chinese title, a merchant's name, what a merchant typed
into a trace record) is removed before the check; only the interface must be English."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from tests import factories

CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%%|%[sd]")
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# The brand of Jilin's regional products is shown with its Chinese name, on purpose.
ALLOWED = ("吉致吉品",)


def _catalogue():
    """(msgid, msgid_plural, [translations], fuzzy) for every live entry; Babel comes with django-oscar."""
    with CATALOGUE.open("rb") as po:
        catalog = read_po(po, locale="en")
    entries = []
    for message in catalog:
        if not message.id:  # the header
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id, None)
        forms = list(message.string) if isinstance(message.string, tuple) else [message.string]
        entries.append((ids[0], ids[1], forms, message.fuzzy))
    return entries


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def test_catalogue_has_messages():
    assert len(_catalogue()) > 100


def test_every_message_is_translated_without_fuzzy_flags():
    missing = [msgid for msgid, _plural, forms, fuzzy in _catalogue()
               if fuzzy or not forms or not all(form and form.strip() for form in forms)]
    assert missing == []


def test_translations_keep_the_placeholders():
    wrong = []
    for msgid, plural, forms, _fuzzy in _catalogue():
        expected = {tuple(_placeholders(msgid))}
        if plural:
            expected.add(tuple(_placeholders(plural)))
        wrong += [(msgid, form) for form in forms if tuple(_placeholders(form or "")) not in expected]
    assert wrong == []


def test_compiled_catalogue_is_the_one_django_uses():
    """The committed .mo matches the .po: each message translates through Django as written."""
    with translation.override("en"):
        for msgid, plural, forms, _fuzzy in _catalogue():
            if plural:
                assert translation.ngettext(msgid, plural, 1) == forms[0], msgid
                assert translation.ngettext(msgid, plural, 2) == forms[1], msgid
            else:
                assert translation.gettext(msgid) == forms[0], msgid


# --- Pages -------------------------------------------------------------------------------------

class _VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes and alt/placeholder/title/aria-label attributes,
    without scripts, styles and the language switch (it names 简体中文 on purpose)."""

    SKIP = {"script", "style", "template"}
    ATTRIBUTES = ("alt", "placeholder", "title", "aria-label")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.stack = [], []

    def _skipping(self):
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = tag in self.SKIP or attrs.get("hreflang") == "zh-hans" or tag == "svg"
        if not skip and not self._skipping():
            self.parts += [attrs[name] for name in self.ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def chinese_lines(html, data=()):
    """Lines of visible text that still hold Chinese once the data strings are removed."""
    text = visible_text(html)
    for value in sorted({str(v) for v in (*data, *ALLOWED) if v}, key=len, reverse=True):
        text = text.replace(value, "")
    return [line for line in text.splitlines() if CJK.search(line)]


@pytest.fixture
def shop(db):
    top = factories.category(name="康复辅具", name_en="Mobility aids")
    leaf = factories.category(name="助行器", name_en="Walkers", parent=top)
    partner = factories.merchant(name="长春助行", legal_name="长春助行康复器材有限公司")
    product = factories.sellable_product(merchant_=partner, title="折叠助行器", title_en="Folding walker",
                                         category=leaf)
    home = factories.home_pages(category_slug=top.slug)
    lot = product.lots.get()
    return {"top": top, "product": product, "partner": partner, "lot": lot, "home": home}


def _data(shop):
    """Chinese that merchants, the factories and editors typed in: not the interface's."""
    partner, lot, product = shop["partner"], shop["lot"], shop["product"]
    promise = lot.commitment
    values = [product.title, partner.name, partner.legal_name,
              # The home page's own fields, copied into its English translation for an editor to translate.
              "康复辅具", "精选好物", "放心买，买放心", shop["home"].hotline_hours,
              promise.quality_promise, promise.returns_promise, promise.after_sales_promise, promise.contact_name,
              *promise.standards]
    for event in lot.events.all():
        values += [event.responsible_party, event.location_name, event.county]
        for key, value in (event.data or {}).items():
            if key == "tests":
                values += [str(v) for test in value for v in test.values()]
            else:
                values.append(str(value))
    return values


def _english_get(client, path):
    response = client.get(path, follow=True)
    assert response.status_code in (200, 404), path
    html = response.content.decode()
    assert 'lang="en"' in html, path
    return html


def _paths(shop):
    with translation.override("en"):
        return {
            "home": "/en/",
            "category": shop["top"].get_absolute_url(),
            "product": shop["product"].get_absolute_url(),
            "trace": f"/en/trace/{shop['lot'].code}/",
            "search": "/en/search/?q=walker",
            "search-nothing": "/en/search/?q=zzzzqqq",
            "login": "/en/accounts/login/",
            "404": "/en/no/such/page/",
            "trace-404": "/en/trace/06901234567892-NOSUCHLOT/",
        }


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["home", "category", "product", "trace", "search", "search-nothing",
                                  "login", "404", "trace-404"])
def test_english_shopper_pages_show_no_chinese_interface_text(client, shop, page):
    path = _paths(shop)[page]
    assert path.startswith("/en/")
    html = _english_get(client, path)
    if page in ("category", "product", "search"):
        assert "Folding walker" in html
    assert chinese_lines(html, _data(shop)) == []


@pytest.mark.django_db
def test_english_basket_shows_no_chinese_interface_text(client, shop):
    with translation.override("en"):
        add = client.post(f"/en/basket/add/{shop['product'].pk}/", {"quantity": 1})
    assert add.status_code in (200, 302)
    html = _english_get(client, "/en/basket/")
    assert "Folding walker" in html
    assert chinese_lines(html, _data(shop)) == []


def test_the_check_sees_chinese_in_text_and_labels_but_not_in_scripts_or_the_language_switch():
    html = ('<p>Hello</p><script>var a = "中文";</script><style>p:after{content:"中"}</style>'
            '<a href="/" hreflang="zh-hans">简体中文</a><img alt="OK"><br>')
    assert chinese_lines(html) == []
    assert chinese_lines('<p>Buy <b>人参</b></p>') == ["人参"]
    assert chinese_lines('<input type="search" placeholder="如：人参">') == ["如：人参"]
    assert chinese_lines('<p>Seller: 长春助行</p>', data=["长春助行"]) == []
