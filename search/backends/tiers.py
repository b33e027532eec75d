"""Relevance order on PostgreSQL read from the GIN index, tier by tier, not row by row.

A product's score is, per concept, the weight of the best alternative whose title tokens
it has, summed (``search/query.py``). Scoring row by row tests every matching row's
token vector, which lives out of line: at 100,000 products a broad word (集安 matches
38,000 of them through their origin or description) took about 400 ms that way. But
the index already answers "which products have these title tokens", and a concept has
only a few distinct weights. So the products with one score are exactly those matching
one tsquery, and the page's rows come from walking the scores from the highest down,
asking each tier only for the rows the page still needs, in the remaining order
(title length, then id). The order is the same as scoring every row (tested against it).

Every title token is also a token of the same product's ``vector`` (``rank_text`` is
``tokens`` restricted to the title namespaces), so the tiers query the one index the
match uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from search.query import Alternative, Concept

# More score combinations than this (many words, each with many kinds of alternative) and
# the tiers stop paying: the caller scores row by row instead.
MAX_COMBINATIONS = 32


def lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _join(operator: str, queries: list[str]) -> str:
    """Queries joined with ``&`` or ``|``, each compound one in parentheses."""
    return f" {operator} ".join(f"({q})" if " " in q and len(queries) > 1 else q for q in queries)


def title_tokens(alt: Alternative) -> list[str] | None:
    """The namespaced title tokens a product must all have for this alternative to score
    (``t:人参``), or None when one of its terms is never looked for in the title."""
    tokens = []
    for term in alt.terms:
        spaces = term.rank_namespaces()
        if not spaces:
            return None
        tokens.append(f"{spaces[0]}:{term.token}")
    return tokens


def title_query(tokens: list[str]) -> str:
    """The tsquery "has all these title tokens"."""
    return " & ".join(lexeme(token) for token in tokens)


def ranked_alternatives(concept: Concept) -> list[tuple[int, list[str]]]:
    """(weight, title tokens) of each alternative that can score, highest weight first;
    the first one a product has is its best."""
    scored = [(alt.weight, tokens) for alt in concept.alternatives if (tokens := title_tokens(alt))]
    return sorted(scored, key=lambda pair: -pair[0])


@dataclass(frozen=True)
class Level:
    """One concept's contribution: ``weight``, for products matching ``condition``."""

    weight: int
    condition: str  # a tsquery, or "" for no condition
    found: bool  # the product has one of the concept's alternatives in its title


def levels(concept: Concept) -> list[Level]:
    """What one concept can add to a score, highest first: each distinct weight (its best
    alternative found has exactly that weight), then 0 (none found)."""
    by_weight: dict[int, list[str]] = {}
    for weight, tokens in ranked_alternatives(concept):
        by_weight.setdefault(weight, []).append(title_query(tokens))
    out, better = [], []
    for weight, queries in by_weight.items():  # already highest first
        has = _join("|", queries)
        out.append(Level(weight, f"({has}) & !({_join('|', better)})" if better else has, True))
        better += queries
    out.append(Level(0, f"!({_join('|', better)})" if better else "", False))
    return out


@dataclass(frozen=True)
class Tier:
    """All matching products with one score: those matching ``condition`` (and the query
    itself, unless every product the condition admits already matches it)."""

    score: int
    condition: str
    implies_match: bool

    def tsquery(self, match: str) -> str:
        if self.implies_match:
            return self.condition
        return f"({match}) & ({self.condition})" if self.condition else match


def tiers(concepts: list[Concept], *, relaxed: bool) -> list[Tier] | None:
    """The score tiers, highest first, or None when there would be too many.

    A product with a concept's alternative in its title matches that concept, so a tier
    in which every concept is found (or, for a relaxed query, any one) needs no test of the
    query itself: its index lookup reads only the title tokens' short posting lists.
    """
    per_concept = [levels(concept) for concept in concepts]
    count = 1
    for options in per_concept:
        count *= len(options)
    if count > MAX_COMBINATIONS:
        return None
    grouped: dict[int, list[tuple[str, bool]]] = {}
    for combination in product(*per_concept):
        found = [level.found for level in combination]
        implies = any(found) if relaxed else all(found)
        conditions = [level.condition for level in combination if level.condition]
        condition = _join("&", conditions) if conditions else ""
        grouped.setdefault(sum(level.weight for level in combination), []).append((condition, implies))
    out = []
    for score in sorted(grouped, reverse=True):
        members = grouped[score]
        if any(not condition for condition, _ in members):
            condition = ""  # one member admits every matching product with this score
        else:
            condition = _join("|", [condition for condition, _ in members])
        out.append(Tier(score, condition, all(implies for _, implies in members) and bool(condition)))
    return out
