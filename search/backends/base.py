"""What every backend answers: the request, the result, the facets."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from search.query import ParsedQuery

RELEVANCE, NEWEST = "relevance", "newest"

# (code, lowest, highest or None); the lower bound is inclusive, the upper exclusive.
PRICE_BANDS = [
    ("0-100", Decimal("0"), Decimal("100")),
    ("100-300", Decimal("100"), Decimal("300")),
    ("300-1000", Decimal("300"), Decimal("1000")),
    ("1000-3000", Decimal("1000"), Decimal("3000")),
    ("3000-", Decimal("3000"), None),
]
PRICE_BAND_CODES = [code for code, _, _ in PRICE_BANDS]
CATALOGUE_CODES = ["elder_products", "smart_health", "jizhi_jipin"]


@dataclass(frozen=True)
class Filters:
    category: str = ""  # a category's materialised path: it and its descendants
    price: str = ""  # one of PRICE_BAND_CODES
    catalogue: str = ""  # one of CATALOGUE_CODES
    origin: str = ""  # a county, e.g. 抚松
    merchant: int | None = None
    available: bool = False  # only products that can be bought now

    def band(self):
        return next(((lo, hi) for code, lo, hi in PRICE_BANDS if code == self.price), None)

    def key(self) -> list:
        return [self.category, self.price, self.catalogue, self.origin, self.merchant, self.available]


@dataclass
class SearchRequest:
    query: ParsedQuery | None = None
    filters: Filters = field(default_factory=Filters)
    offset: int = 0
    limit: int = 24
    sort: str = RELEVANCE
    relaxed: bool = False  # match any concept instead of all
    facet_categories: list[str] = field(default_factory=list)  # paths of the categories to count
    with_facets: bool = True

    @property
    def has_query(self) -> bool:
        return self.query is not None and not self.query.empty


@dataclass
class Facets:
    available: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    price: dict[str, int] = field(default_factory=dict)
    catalogues: dict[str, int] = field(default_factory=dict)
    origins: dict[str, int] = field(default_factory=dict)
    merchants: dict[int, int] = field(default_factory=dict)


@dataclass
class SearchResult:
    ids: list[int]
    total: int
    facets: Facets | None = None
    relaxed: bool = False
    backend: str = ""


class SearchUnavailable(Exception):
    """The backend could not answer (Elasticsearch down); the caller falls back."""
