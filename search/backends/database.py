"""The database backend (the default): the ``SearchDocument`` table.

PostgreSQL matches with a GIN index over the tokens as a ``tsvector``
(``array_to_tsvector``: the tokens are already analysed in Python, so PostgreSQL's own
parser never touches them); SQLite with an FTS5 table using the trigram tokenizer, in
which each token is looked up with its surrounding spaces, so only whole tokens match.
Both rank with the same expression: per concept, the weight of the best alternative
found in ``rank_text`` (title, its pinyin and initials).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction

from search.backends.base import PRICE_BANDS, Facets, SearchRequest, SearchResult
from search.query import Concept, Term

TABLE = "search_searchdocument"
FTS_TABLE = "search_document_fts"
TSVECTOR = "d.vector"  # PostgreSQL only: a stored generated column (migration 0002)


def _ts_lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class Renderer:
    """The query tree as a PostgreSQL tsquery or an FTS5 match expression."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def term(self, term: Term) -> str:
        if self.pg:
            return "(" + " | ".join(_ts_lexeme(f"{ns}:{term.token}") for ns in term.namespaces) + ")"
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
    PostgreSQL tests the stored ``rank_vector``; SQLite searches ``rank_text``."""
    parts, params = [], []
    for concept in concepts:
        cases = []
        for alt in concept.alternatives:
            tokens = []
            for term in alt.terms:
                spaces = term.rank_namespaces()
                if not spaces:
                    tokens = []
                    break
                tokens.append(f"{spaces[0]}:{term.token}")
            if not tokens:
                continue
            if pg:
                cases.append(f"WHEN d.rank_vector @@ %s::tsquery THEN {alt.weight}")
                params.append(" & ".join(_ts_lexeme(token) for token in tokens))
            else:
                cases.append(f"WHEN {' AND '.join(['instr(d.rank_text, %s) > 0'] * len(tokens))} THEN {alt.weight}")
                params += [f" {token} " for token in tokens]
        if cases:
            parts.append(f"(CASE {' '.join(cases)} ELSE 0 END)")
    return " + ".join(parts) or "0", params


def where(request: SearchRequest, vendor: str) -> tuple[list[str], list]:
    clauses, params = [], []
    if request.has_query:
        expression = Renderer(vendor).query(request.query.concepts, relaxed=request.relaxed)
        if vendor == "postgresql":
            clauses.append(f"{TSVECTOR} @@ %s::tsquery")
        else:
            clauses.append(f"d.product_id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)")
        params.append(expression)
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
    statement where the index took about 20 ms. Scoped to these statements: the setting goes
    back to the session's default afterwards, inside whatever transaction the caller has.
    """
    if vendor != "postgresql" or not request.has_query:
        yield
        return
    with transaction.atomic():
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")


class DatabaseBackend:
    name = "database"

    def search(self, request: SearchRequest) -> SearchResult:
        from search import indexing

        if indexing.has_pending():
            indexing.flush()
        vendor = connection.vendor
        clauses, params = where(request, vendor)
        sql_where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        if request.has_query:
            score, score_params = _score(request.query.concepts, vendor == "postgresql")
            order = f"d.can_buy DESC, ({score}) DESC, d.title_length ASC, d.product_id ASC"
        else:
            score_params = []
            order = "d.can_buy DESC, d.created DESC, d.product_id DESC"
        with connection.cursor() as cursor, _index_for_text_match(cursor, request, vendor):
            cursor.execute(
                f"SELECT d.product_id FROM {TABLE} d {sql_where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, *score_params, request.limit, request.offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
            facets, total = self._facets(cursor, request, sql_where, params)
        return SearchResult(ids=ids, total=total, facets=facets, relaxed=request.relaxed, backend=self.name)

    def _facets(self, cursor, request: SearchRequest, sql_where: str, params: list) -> tuple[Facets | None, int]:
        if not request.with_facets:
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE} d {sql_where}", params)
            return None, cursor.fetchone()[0]
        columns, column_params = ["COUNT(*)", "SUM(CASE WHEN d.can_buy THEN 1 ELSE 0 END)"], []
        for path in request.facet_categories:
            columns.append("SUM(CASE WHEN d.category_paths LIKE %s THEN 1 ELSE 0 END)")
            column_params.append(f"% {path}%")
        for _, low, high in PRICE_BANDS:
            if high is None:
                columns.append("SUM(CASE WHEN d.price >= %s THEN 1 ELSE 0 END)")
                column_params.append(low)
            else:
                columns.append("SUM(CASE WHEN d.price >= %s AND d.price < %s THEN 1 ELSE 0 END)")
                column_params += [low, high]
        from search.backends.base import CATALOGUE_CODES

        for code in CATALOGUE_CODES:
            columns.append("SUM(CASE WHEN d.catalogues LIKE %s THEN 1 ELSE 0 END)")
            column_params.append(f"% {code} %")
        cursor.execute(f"SELECT {', '.join(columns)} FROM {TABLE} d {sql_where}", [*column_params, *params])
        row = [value or 0 for value in cursor.fetchone()]
        total, available = row[0], row[1]
        n = len(request.facet_categories)
        facets = Facets(available=available)
        facets.categories = dict(zip(request.facet_categories, row[2:2 + n], strict=True))
        facets.price = {code: count for (code, _, _), count in zip(PRICE_BANDS, row[2 + n:7 + n], strict=True)}
        facets.catalogues = dict(zip(CATALOGUE_CODES, row[7 + n:], strict=True))
        and_ = "AND" if sql_where else "WHERE"
        # Origins and merchants in one statement: (origin, NULL, n) rows, then (NULL, merchant, n).
        cursor.execute(f"SELECT d.origin, NULL, COUNT(*) FROM {TABLE} d {sql_where} {and_} d.origin <> '' "
                       f"GROUP BY d.origin UNION ALL "
                       f"SELECT NULL, d.merchant_id, COUNT(*) FROM {TABLE} d {sql_where} {and_} "
                       f"d.merchant_id IS NOT NULL GROUP BY d.merchant_id", [*params, *params])
        for origin, merchant_id, count in cursor.fetchall():
            if merchant_id is None:
                facets.origins[origin] = count
            else:
                facets.merchants[merchant_id] = count
        return facets, total

    def suggest(self, prefix: str, *, limit: int = 8) -> list[dict]:
        from search import indexing, lexicon

        if indexing.has_pending():
            indexing.flush()

        return lexicon.suggest(prefix, limit=limit)
