"""The database backend (the default): the ``SearchDocument`` table.

PostgreSQL matches with a GIN index over the tokens as a ``tsvector``
(``array_to_tsvector``: the tokens are already analysed in Python, so PostgreSQL's own
parser never touches them); SQLite with an FTS5 table using the trigram tokenizer, in
which each token is looked up with its surrounding spaces, so only whole tokens match.
Both rank the same way: per concept, the weight of the best alternative found in the
title tokens (title, its pinyin and initials), summed. SQLite scores each row against
``rank_text``; PostgreSQL reads the order tier by tier from the index
(``search/backends/tiers.py``) and scores row by row only when few products match.

Facet counts come from one grouped statement over the matching rows, summed in Python.
On PostgreSQL the document rows stay narrow (the long token columns live out of line,
migration 0004), so that pass reads a few thousand pages, not the tokens.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction

from search.backends import tiers as score_tiers
from search.backends.base import CATALOGUE_CODES, PRICE_BANDS, Facets, SearchRequest, SearchResult
from search.query import Concept, Term

TABLE = "search_searchdocument"
FTS_TABLE = "search_document_fts"
TSVECTOR = "d.vector"  # PostgreSQL only: a stored generated column (migration 0002)

# PostgreSQL scores row by row when at most this many products match (each row's test
# reads its token vector from out of line, some microseconds), else walks the tiers.
ROW_SCORING_MAX_MATCHES = 300
# Walking the tiers fetches every row before the page; deeper than this, score row by row.
TIER_MAX_DEPTH = 1200


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class Renderer:
    """The query tree as a PostgreSQL tsquery or an FTS5 match expression."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def term(self, term: Term) -> str:
        if self.pg:
            return "(" + " | ".join(score_tiers.lexeme(f"{ns}:{term.token}") for ns in term.namespaces) + ")"
        return "(" + " OR ".join(_fts_phrase(f" {ns}:{term.token} ") for ns in term.namespaces) + ")"

    def concept(self, concept: Concept) -> str:
        and_, or_ = (" & ", " | ") if self.pg else (" AND ", " OR ")
        return "(" + or_.join("(" + and_.join(self.term(t) for t in alt.terms) + ")"
                              for alt in concept.alternatives) + ")"

    def query(self, concepts: list[Concept], *, relaxed: bool) -> str:
        if self.pg:
            joiner = " | " if relaxed else " & "
        else:
            joiner = " OR " if relaxed else " AND "
        return joiner.join(self.concept(c) for c in concepts)


def _score(concepts: list[Concept], pg: bool) -> tuple[str, list]:
    """Per concept, the weight of the best alternative found in the title tokens, summed.
    PostgreSQL tests the row's ``vector`` (title tokens are among its tokens); SQLite
    searches ``rank_text``. Alternatives are tried highest weight first."""
    parts, params = [], []
    for concept in concepts:
        cases = []
        for weight, tokens in score_tiers.ranked_alternatives(concept):
            if pg:
                cases.append(f"WHEN {TSVECTOR} @@ %s::tsquery THEN {weight}")
                params.append(score_tiers.title_query(tokens))
            else:
                cases.append(f"WHEN {' AND '.join(['instr(d.rank_text, %s) > 0'] * len(tokens))} THEN {weight}")
                params += [f" {token} " for token in tokens]
        if cases:
            parts.append(f"(CASE {' '.join(cases)} ELSE 0 END)")
    return " + ".join(parts) or "0", params


def text_match(request: SearchRequest, vendor: str) -> tuple[str, str]:
    """The clause matching the shopper's words, and its one parameter."""
    expression = Renderer(vendor).query(request.query.concepts, relaxed=request.relaxed)
    if vendor == "postgresql":
        return f"{TSVECTOR} @@ %s::tsquery", expression
    return f"d.product_id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)", expression


def filter_clauses(request: SearchRequest) -> tuple[list[str], list]:
    """The facet filters (category, price band, catalogue, origin, merchant, buyable)."""
    clauses, params = [], []
    f = request.filters
    if f.category:
        clauses.append("d.category_paths LIKE %s")
        params.append(f"% {f.category}%")
    band = f.band()
    if band:
        clauses.append("d.price >= %s")
        params.append(band[0])
        if band[1] is not None:
            clauses.append("d.price < %s")
            params.append(band[1])
    if f.catalogue:
        clauses.append("d.catalogues LIKE %s")
        params.append(f"% {f.catalogue} %")
    if f.origin:
        clauses.append("d.origin = %s")
        params.append(f.origin)
    if f.merchant is not None:
        clauses.append("d.merchant_id = %s")
        params.append(f.merchant)
    if f.available:
        clauses.append("d.can_buy = %s")
        params.append(True)
    return clauses, params


@contextmanager
def _index_for_text_match(cursor, request: SearchRequest, vendor: str):
    """On PostgreSQL, answer a text match from the GIN index, never a sequential scan.

    A query expanded with synonyms and pinyin is a tsquery of many alternatives; the planner
    then estimates many matches and costs a sequential scan as cheap, without the work of
    detoasting every row's tsvector. At 100,000 documents that scan took about a second per
    statement where the index took about 20 ms. Scoped to these statements: the setting ends
    with the transaction this opens, or, inside the caller's transaction, is put back to the
    session's default (an error rolls the savepoint back, and the setting with it).
    """
    if vendor != "postgresql" or not request.has_query:
        yield
        return
    inside_callers = connection.in_atomic_block
    with transaction.atomic():
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        if inside_callers:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")


def _price_band_case() -> tuple[str, list]:
    """The index of the row's price band in ``PRICE_BANDS`` (NULL without a price)."""
    whens, params = [], []
    for i, (_, low, high) in enumerate(PRICE_BANDS):
        if high is None:
            whens.append(f"WHEN d.price >= %s THEN {i}")
            params.append(low)
        else:
            whens.append(f"WHEN d.price >= %s AND d.price < %s THEN {i}")
            params += [low, high]
    return f"CASE {' '.join(whens)} END", params


def count_facets(rows, facet_categories: list[str]) -> tuple[Facets, int]:
    """Facets from (can_buy, category_paths, catalogues, origin, merchant_id, band, count)
    groups, counted as the filters match: a category and its descendants, a catalogue
    among the product's listings."""
    facets = Facets()
    facets.categories = dict.fromkeys(facet_categories, 0)
    facets.price = {code: 0 for code, _, _ in PRICE_BANDS}
    facets.catalogues = dict.fromkeys(CATALOGUE_CODES, 0)
    total = 0
    for can_buy, category_paths, catalogues, origin, merchant_id, band, count in rows:
        total += count
        if can_buy:
            facets.available += count
        for path in facet_categories:
            if f" {path}" in category_paths:
                facets.categories[path] += count
        if band is not None:
            facets.price[PRICE_BANDS[band][0]] += count
        for code in CATALOGUE_CODES:
            if f" {code} " in catalogues:
                facets.catalogues[code] += count
        if origin:
            facets.origins[origin] = facets.origins.get(origin, 0) + count
        if merchant_id is not None:
            facets.merchants[merchant_id] = facets.merchants.get(merchant_id, 0) + count
    return facets, total


class DatabaseBackend:
    name = "database"

    def search(self, request: SearchRequest) -> SearchResult:
        from search import indexing

        if indexing.has_pending():
            indexing.flush()
        vendor = connection.vendor
        filters, filter_params = filter_clauses(request)
        clauses, params, match = filters, filter_params, ""
        if request.has_query:
            match_clause, match = text_match(request, vendor)
            clauses, params = [match_clause, *filters], [match, *filter_params]
        sql_where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with connection.cursor() as cursor, _index_for_text_match(cursor, request, vendor):
            facets, total, available = self._count(cursor, request, sql_where, params)
            walk = self._tiers(request, vendor, total)
            if total <= request.offset:
                ids = []
            elif walk:
                ids = self._ids_by_tiers(cursor, request, walk, match=match, filters=filters,
                                         filter_params=filter_params, total=total, available=available)
            else:
                ids = self._ids(cursor, request, vendor, sql_where, params)
        return SearchResult(ids=ids, total=total, facets=facets, relaxed=request.relaxed, backend=self.name)

    def _ids(self, cursor, request: SearchRequest, vendor: str, sql_where: str, params: list) -> list[int]:
        """One page in one statement: every matching row scored (SQLite, few matches, deep pages)."""
        if request.has_query:
            score, score_params = _score(request.query.concepts, vendor == "postgresql")
            order = f"d.can_buy DESC, ({score}) DESC, d.title_length ASC, d.product_id ASC"
        else:
            score_params = []
            order = "d.can_buy DESC, d.created DESC, d.product_id DESC"
        cursor.execute(
            f"SELECT d.product_id FROM {TABLE} d {sql_where} ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, *score_params, request.limit, request.offset],
        )
        return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _tiers(request: SearchRequest, vendor: str, total: int) -> list[score_tiers.Tier] | None:
        """The score tiers to read the page from, or None to score row by row."""
        if vendor != "postgresql" or not request.has_query or total <= ROW_SCORING_MAX_MATCHES \
                or request.offset + request.limit > TIER_MAX_DEPTH:
            return None
        return score_tiers.tiers(request.query.concepts, relaxed=request.relaxed)

    def _ids_by_tiers(self, cursor, request: SearchRequest, walk: list[score_tiers.Tier], *, match: str,
                      filters: list[str], filter_params: list, total: int, available: int) -> list[int]:
        """One page read tier by tier: buyable products first, each block from the highest
        score down, each tier asked only for the rows the page still needs (one statement per
        tier, stopping as soon as the page is full)."""
        conditions = "".join(f"{clause} AND " for clause in filters)
        wanted = request.offset + request.limit
        before, ids = 0, []  # rows skipped whole (a block entirely before the page), rows read
        for can_buy, in_block in ((True, available), (False, total - available)):
            if not in_block:
                continue
            if before + len(ids) + in_block <= request.offset:
                before += in_block
                continue
            read = 0
            for tier in walk:
                need = min(wanted - before - len(ids), in_block - read)
                if need <= 0:
                    break
                cursor.execute(
                    f"SELECT d.product_id FROM {TABLE} d WHERE {conditions}d.can_buy = %s "
                    f"AND {TSVECTOR} @@ %s::tsquery ORDER BY d.title_length ASC, d.product_id ASC LIMIT %s",
                    [*filter_params, can_buy, tier.tsquery(match), need],
                )
                rows = [row[0] for row in cursor.fetchall()]
                ids += rows
                read += len(rows)
            if before + len(ids) >= wanted:
                break
        start = request.offset - before
        return ids[start:start + request.limit]

    def _count(self, cursor, request: SearchRequest, sql_where: str, params: list) -> tuple[Facets | None, int, int]:
        """(facets or None, total, how many can be bought), in one statement."""
        if not request.with_facets:
            # Only a ranked walk needs to know how many can be bought (browse pages do not).
            buyable = "SUM(CASE WHEN d.can_buy THEN 1 ELSE 0 END)" if request.has_query else "0"
            cursor.execute(f"SELECT COUNT(*), {buyable} FROM {TABLE} d {sql_where}", params)
            total, available = cursor.fetchone()
            return None, total, available or 0
        band, band_params = _price_band_case()
        cursor.execute(
            f"SELECT d.can_buy, d.category_paths, d.catalogues, d.origin, d.merchant_id, {band}, COUNT(*) "
            f"FROM {TABLE} d {sql_where} GROUP BY 1, 2, 3, 4, 5, 6",
            [*band_params, *params],
        )
        facets, total = count_facets(cursor.fetchall(), request.facet_categories)
        return facets, total, facets.available

    def suggest(self, prefix: str, *, limit: int = 8) -> list[dict]:
        from search import indexing, lexicon

        if indexing.has_pending():
            indexing.flush()

        return lexicon.suggest(prefix, limit=limit)
