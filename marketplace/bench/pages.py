"""The pages the benchmark measures: a registry of name -> URL builder.

A builder takes a :class:`PageContext` (which picks and caches sample data: a sellable
product, a busy category, a search term, ...) and returns the path to request, or raises
:class:`SkipPage` (or returns ``None``) when the page cannot be measured on this database.

Add pages from anywhere that is imported before the benchmark runs::

    from marketplace.bench.pages import register

    @register("order history", basket=False)
    def order_history(ctx):
        return "/accounts/orders/"

``basket=True`` requests the page with a basket that already holds a few lines (the
benchmark adds them with ``POST /basket/add/<pk>/`` first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import Resolver404, resolve


class SkipPage(Exception):
    """Raised by a URL builder when the database has nothing to show on that page."""


@dataclass(frozen=True)
class Page:
    name: str
    build: Callable[[PageContext], str | None]
    basket: bool = False
    expect: frozenset[int] = frozenset({200})


@dataclass(frozen=True)
class ResolvedPage:
    page: Page
    path: str | None
    skipped: str = ""

    @property
    def name(self) -> str:
        return self.page.name


PAGES: dict[str, Page] = {}


def register(name: str, build: Callable | None = None, *, basket: bool = False,
             expect: Iterable[int] = (200,), replace: bool = False):
    """Add a page to the benchmark; usable as ``register(name, fn)`` or ``@register(name)``."""

    def add(fn: Callable[[PageContext], str | None]):
        if name in PAGES and not replace:
            raise ValueError(f"bench page {name!r} is already registered")
        PAGES[name] = Page(name=name, build=fn, basket=basket, expect=frozenset(expect))
        return fn

    return add(build) if build is not None else add


def unregister(name: str) -> None:
    PAGES.pop(name, None)


@dataclass
class PageContext:
    """Sample data for URL builders, looked up once per benchmark run."""

    search_term: str | None = None
    basket_lines: int = 3
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def sellable_product_ids(self) -> list[int]:
        """Up to 20 products that can be bought (lowest ids first, so runs are repeatable)."""
        from oscar.core.loading import get_model

        from traceability.availability import sale_status_for

        Product = get_model("catalogue", "Product")
        candidates = list(
            Product.objects.filter(
                structure__in=[Product.STANDALONE, Product.CHILD], stockrecords__isnull=False
            ).order_by("pk").values_list("pk", flat=True).distinct()[:200]
        )
        statuses = sale_status_for(candidates)
        sellable = [pk for pk in candidates if statuses[pk].can_sell]
        return sellable[:20]

    @cached_property
    def product(self):
        """A product for the detail page: a sellable one if any, else any public product."""
        from oscar.core.loading import get_model

        Product = get_model("catalogue", "Product")
        products = Product.objects.filter(is_public=True).exclude(structure=Product.CHILD)
        if self.sellable_product_ids:
            chosen = products.filter(pk__in=self.sellable_product_ids).order_by("pk").first()
            if chosen is not None:
                return chosen
        chosen = products.order_by("pk").first()
        if chosen is None:
            raise SkipPage("no products in the database")
        return chosen

    @cached_property
    def category(self):
        """The category holding the most products (so its listing is full and paginated)."""
        from django.db.models import Count
        from oscar.core.loading import get_model

        Category = get_model("catalogue", "Category")
        chosen = (
            Category.objects.annotate(n=Count("product")).filter(n__gt=0).order_by("-n", "pk").first()
        )
        if chosen is None:
            raise SkipPage("no category has products")
        return chosen

    @cached_property
    def search_query(self) -> str:
        if self.search_term:
            return self.search_term
        title = self.product.title.strip()
        # First word of a spaced title, else the first two characters (Chinese titles).
        word = title.split()[0] if " " in title else title[:2]
        return word or "人参"

    @cached_property
    def lot(self):
        from traceability.models import Lot

        lot = Lot.objects.filter(status=Lot.ACTIVE).order_by("pk").first() or Lot.objects.order_by("pk").first()
        if lot is None:
            raise SkipPage("no traceability lots in the database")
        return lot


def routed_outside_cms(path: str) -> bool:
    """True when ``path`` resolves to a view of ours rather than Wagtail's catch-all."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return not match.func.__module__.startswith("wagtail")


def resolve_pages(ctx: PageContext, names: Iterable[str] | None = None) -> list[ResolvedPage]:
    """Build each page's path; pages whose builder skips are returned with the reason."""
    selected = list(PAGES.values()) if names is None else [PAGES[name] for name in names]
    resolved = []
    for page in selected:
        try:
            path = page.build(ctx)
        except SkipPage as reason:
            resolved.append(ResolvedPage(page, None, str(reason)))
            continue
        if path is None:
            resolved.append(ResolvedPage(page, None, "nothing to show"))
        else:
            resolved.append(ResolvedPage(page, path))
    return resolved


# --- The storefront pages -----------------------------------------------------------------

@register("home")
def home(ctx: PageContext) -> str:
    return "/"


@register("category")
def category(ctx: PageContext) -> str:
    return ctx.category.get_absolute_url()


@register("product")
def product(ctx: PageContext) -> str:
    return ctx.product.get_absolute_url()


@register("search")
def search(ctx: PageContext) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{reverse('search:search')}?{urlencode({'q': ctx.search_query})}"


@register("basket", basket=True)
def basket(ctx: PageContext) -> str:
    from django.urls import reverse

    if not ctx.sellable_product_ids:
        raise SkipPage("no sellable product to put in a basket")
    return reverse("basket:summary")


@register("trace")
def trace(ctx: PageContext) -> str:
    path = f"/trace/{ctx.lot.code}/"
    if not routed_outside_cms(path):
        raise SkipPage("/trace/<code>/ is not routed yet")
    return path
