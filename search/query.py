"""A shopper's words, turned into concepts that every backend matches the same way.

A query is a list of concepts, all of which must match (or, when nothing matches them
all, any of them: ``relaxed``). A concept is one word the shopper typed with its
alternatives: the word itself, its character bigrams, its synonyms, its pinyin (so a
homophone from voice input still finds the product), for Latin letters its pinyin
syllables, initials and spelling corrections at edit distance 1. Each alternative is a
set of terms that must all be present, and has a weight; a product's score is, for
each concept, the weight of the best alternative found in its title (or the title's
pinyin), summed. The backends only render this structure (SQL, FTS5, Elasticsearch DSL).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search import analysis, lexicon, synonyms
from search.analysis import BODY, INITIALS, META, PINYIN, TEXT_NAMESPACES, TITLE

W_EXACT, W_BIGRAMS, W_SYNONYM, W_PINYIN, W_SYLLABLE, W_INITIALS, W_HOMOPHONE, W_TYPO = 10, 9, 8, 8, 7, 6, 5, 4

ELDER_MODE_WORDS = ("长辈版", "长辈模式", "关怀版", "关怀模式", "大字", "老年模式", "适老模式", "大字版", "老人模式")


@dataclass(frozen=True)
class Term:
    token: str
    namespaces: tuple[str, ...]

    def rank_namespaces(self) -> tuple[str, ...]:
        return tuple(ns for ns in self.namespaces if ns in analysis.RANK_NAMESPACES)[:1]


@dataclass(frozen=True)
class Alternative:
    terms: tuple[Term, ...]
    weight: int


@dataclass(frozen=True)
class Concept:
    text: str
    alternatives: tuple[Alternative, ...]


@dataclass
class ParsedQuery:
    text: str
    concepts: list[Concept] = field(default_factory=list)
    elder_mode: bool = False

    @property
    def empty(self) -> bool:
        return not self.concepts


def _anywhere(token: str, *, unigram: bool = False) -> Term:
    return Term(token, (TITLE, META) if unigram else TEXT_NAMESPACES)


def _cjk_alternatives(word: str, weight: int, bigram_weight: int) -> list[Alternative]:
    if len(word) == 1:
        return [Alternative((_anywhere(word, unigram=True),), weight)]
    alternatives = [Alternative((_anywhere(word),), weight)]
    if len(word) > 2:
        alternatives.append(Alternative(tuple(_anywhere(bg) for bg in analysis.bigrams(word)), bigram_weight))
    return alternatives


def _pinyin_alternative(sequence: tuple[str, ...], weight: int) -> Alternative:
    if len(sequence) == 1:
        return Alternative((Term(sequence[0], (PINYIN,)),), weight)
    pairs = [sequence[i] + sequence[i + 1] for i in range(len(sequence) - 1)]
    return Alternative(tuple(Term(pair, (PINYIN,)) for pair in dict.fromkeys(pairs)), weight)


def cjk_concept(word: str) -> Concept:
    alternatives = _cjk_alternatives(word, W_EXACT, W_BIGRAMS)
    for other in synonyms.expand(word):
        alternatives += _cjk_alternatives(other, W_SYNONYM, W_SYNONYM) if analysis.is_cjk(other) \
            else [Alternative((_anywhere(other),), W_SYNONYM)]
    if len(word) > 1:
        alternatives.append(_pinyin_alternative(analysis.syllables(word), W_HOMOPHONE))
    return Concept(word, tuple(dict.fromkeys(alternatives)))


def latin_concept(word: str) -> Concept:
    alternatives = [Alternative((_anywhere(word),), W_EXACT)]
    if analysis.singular(word) != word:
        alternatives.append(Alternative((_anywhere(analysis.singular(word)),), W_EXACT))
    for sequence in analysis.split_pinyin(word):
        weight = W_SYLLABLE if len(sequence) == 1 else W_PINYIN
        alternatives.append(_pinyin_alternative(sequence, weight))
    if word.isalpha() and 2 <= len(word) <= 6:
        alternatives.append(Alternative((Term(word, (INITIALS,)),), W_INITIALS))
    for other in synonyms.expand(word):
        alternatives += _cjk_alternatives(other, W_SYNONYM, W_SYNONYM) if analysis.is_cjk(other) \
            else [Alternative((_anywhere(other),), W_SYNONYM)]
    if word.isalpha() and len(word) >= 4 and not lexicon.known(word):
        # Only a word the catalogue does not have is a typo: correcting a real one (yian → bian,
        # dian, jian …) widened an exact match to nearly everything.
        for correction in lexicon.corrections(word):
            alternatives.append(Alternative((Term(correction, (TITLE, META, PINYIN)),), W_TYPO))
    return Concept(word, tuple(dict.fromkeys(alternatives)))


def _join_spaced_pinyin(parts: list[str]) -> list[str]:
    """``xue ya ji`` is one word typed with spaces: join runs of pinyin syllables."""
    valid = analysis.syllable_set()
    out, buffer = [], []
    for part in [*parts, ""]:
        if part and part.isascii() and part in valid:
            buffer.append(part)
            continue
        out.append("".join(buffer)) if len(buffer) > 1 else out.extend(buffer)
        buffer = []
        if part:
            out.append(part)
    return out


def parse(text: str) -> ParsedQuery:
    text = (text or "").replace("\x00", "")[: analysis.MAX_QUERY_CHARS]
    parsed = ParsedQuery(text=text.strip())
    normal = analysis.normalise(text)
    parsed.elder_mode = any(word in normal for word in ELDER_MODE_WORDS)
    seen: dict[str, None] = {}
    for run in _join_spaced_pinyin(analysis.runs(text)):
        pieces = analysis.words(run) if analysis.is_cjk(run) else [run]
        if analysis.is_cjk(run) and 2 < len(run) <= 6 and len(pieces) > 1 and any(len(p) == 1 for p in pieces) \
                and not any(p in analysis.STOPWORDS for p in pieces):
            # A word jieba does not know (often a typo or a homophone from voice input):
            # match it whole, by its bigrams or by its sound.
            pieces = [run]
        for piece in pieces:
            if piece in analysis.STOPWORDS or piece in seen:
                continue
            seen[piece] = None
            concept = cjk_concept(piece) if analysis.is_cjk(piece) else latin_concept(piece)
            parsed.concepts.append(concept)
    if not parsed.concepts and seen:
        # Nothing but stopwords (“有没有”): search for them rather than for nothing.
        parsed.concepts = [cjk_concept(w) if analysis.is_cjk(w) else latin_concept(w) for w in seen]
    parsed.concepts = parsed.concepts[: analysis.MAX_CONCEPTS]
    return parsed


__all__ = ["BODY", "Alternative", "Concept", "ParsedQuery", "Term", "parse"]
