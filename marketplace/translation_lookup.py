"""Each translated string looked up once per language and process.

Django merges every app's catalogue into one ``TranslationCatalog``, but keeps a separate
dict for each catalogue whose Plural-Forms expression differs, and chains a fallback for
each locale directory. For 简体中文, whose strings are mostly their own source text, a lookup
missed 23 dicts twice (the singular key, then the plural one) and walked 13 fallbacks: about
9 µs, and a page with a few hundred ``{% trans %}`` tags and form labels spent 3–5 ms there.

What a translation object answers for a message never changes (Django builds new objects
when the catalogues change, as settings overrides in tests do), so the answer is remembered
on the object: a dict lookup from the second time on.
"""

from django.utils.translation.trans_real import DjangoTranslation

MEMO_LIMIT = 50_000  # strings remembered per language; a page's `{% trans var %}` cannot grow it past this

_lookup = DjangoTranslation.gettext


def _remembered_gettext(self, message):
    memo = self.__dict__.get("_remembered")
    if memo is None:
        memo = self.__dict__["_remembered"] = {}
    try:
        return memo[message]
    except KeyError:
        result = _lookup(self, message)
        if len(memo) < MEMO_LIMIT:
            memo[message] = result
        return result


def remember_translations() -> None:
    DjangoTranslation.gettext = _remembered_gettext
