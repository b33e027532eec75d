"""Synonym groups, read once per process and refreshed when staff edit them."""

from __future__ import annotations

from search.versioned import Versioned


def _load() -> dict[str, tuple[str, ...]]:
    """Each word of an active group, with the group's other words; a word's pinyin
    (``niaobushi``) maps to its group too, so everyday names work typed in pinyin."""
    from search.analysis import split_terms
    from search.models import SynonymGroup

    members: dict[str, list[str]] = {}
    for terms in SynonymGroup.objects.filter(is_active=True).values_list("terms", flat=True):
        group = split_terms(terms)
        for term in group:
            bucket = members.setdefault(term, [])
            bucket.extend(other for other in group if other != term and other not in bucket)
    from search.analysis import is_cjk, syllables

    by_sound = {}
    for term in members:
        if is_cjk(term) and len(term) > 1:
            by_sound.setdefault("".join(syllables(term)), [term]).extend(members[term])
    for sound, words in by_sound.items():
        members.setdefault(sound, list(dict.fromkeys(words)))
    return {term: tuple(others) for term, others in members.items()}


GROUPS = Versioned("synonyms", _load)


def expand(word: str) -> tuple[str, ...]:
    """The other words of every active group that contains ``word``."""
    return GROUPS.get().get(word, ())


def synonym_words() -> frozenset[str]:
    return frozenset(GROUPS.get())


def changed(**kwargs) -> None:
    from marketplace import storefront_cache

    GROUPS.bump()
    storefront_cache.bump()  # cached result pages were matched with the old synonyms
