"""Spelling corrections and search-box suggestions, from the ``SearchTerm`` table.

Corrections: every indexed Latin word (English words, pinyin words and syllable pairs)
with all its single-character deletions, so a query word at Damerau–Levenshtein
distance 1 is found in a few dictionary look-ups (the symmetric-delete method).
Suggestions: every key (a name, its pinyin, its initials) in sorted order, so a prefix
is a binary search. Both live in each process and follow ``SearchTerm`` changes.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from search.versioned import Versioned

MAX_CORRECTIONS = 6


@dataclass
class Lexicon:
    deletes: dict[str, set[str]]
    words: frozenset[str]
    keys: list[tuple[str, int, str, str]]  # (key, -weight, label, kind), sorted by key


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _load() -> Lexicon:
    from search.models import SearchTerm

    deletes: dict[str, set[str]] = {}
    words = set()
    keys = []
    for key, label, kind, weight in SearchTerm.objects.values_list("key", "label", "kind", "weight"):
        if kind == SearchTerm.WORD:
            words.add(key)
            deletes.setdefault(key, set()).add(key)
            for deletion in _deletions(key):
                deletes.setdefault(deletion, set()).add(key)
        else:
            keys.append((key, -weight, label, kind))
    keys.sort()
    return Lexicon(deletes=deletes, words=frozenset(words), keys=keys)


LEXICON = Versioned("lexicon", _load)


def _distance_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def corrections(word: str) -> list[str]:
    """Indexed words at edit distance 1 (a swap of neighbours counts as one), not the word itself."""
    lexicon = LEXICON.get()
    candidates = set()
    for probe in {word} | _deletions(word):
        candidates |= lexicon.deletes.get(probe, set())
    found = sorted(c for c in candidates if c != word and _distance_at_most_one(word, c))
    return found[:MAX_CORRECTIONS]


def known(word: str) -> bool:
    return word in LEXICON.get().words


def suggest(prefix: str, *, limit: int = 8) -> list[dict]:
    """Labels whose name, pinyin or initials start with ``prefix``, heaviest first."""
    if not prefix:
        return []
    keys = LEXICON.get().keys
    start = bisect_left(keys, (prefix,))
    found: dict[str, tuple[int, str]] = {}
    for key, weight, label, kind in keys[start:start + 2000]:
        if not key.startswith(prefix):
            break
        if label not in found or weight < found[label][0]:
            found[label] = (weight, kind)
    ranked = sorted(found.items(), key=lambda item: (item[1][0], len(item[0]), item[0]))
    return [{"label": label, "kind": kind} for label, (_, kind) in ranked[:limit]]


def changed() -> None:
    LEXICON.bump()
