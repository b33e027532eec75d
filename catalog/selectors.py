"""Reads for the storefront: what a listing or product page shows, in a fixed number of queries.

Each queryset prefetches what the product card or page template touches (stock record
and merchant, images, live catalogue listings, GI marks), so the number of queries does
not grow with the catalogue or with the page size.
"""

from django.db.models import Prefetch, Q
from oscar.core.loading import get_model

from catalog.models import CatalogueListing, Category, Product
from marketplace import storefront_cache

ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


def _card_prefetches():
    return (
        Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner")),
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        Prefetch(
            "catalogue_listings",
            queryset=CatalogueListing.objects.filter(status=CatalogueListing.LISTED),
            to_attr="live_listings",
        ),
    )


def browsable_products():
    """Public, buyable-looking products (standalone and parents), newest first."""
    return (
        Product.objects.browsable()
        .filter(is_public=True)
        .select_related("product_class")
        .prefetch_related(*_card_prefetches())
        .order_by("-date_created", "-pk")
    )


def category_tree_ids(category) -> list[int]:
    """The ids of a category and its descendants (a handful; resolved apart from the
    product query, which PostgreSQL then plans as a plain semi-join)."""
    return list(Category.objects.filter(path__startswith=category.path).values_list("pk", flat=True))


def products_in_categories(category_ids):
    """Products in any of these categories, without duplicates."""
    in_tree = ProductCategory.objects.filter(category_id__in=category_ids).values("product_id")
    return browsable_products().filter(pk__in=in_tree)


def products_in_category(category):
    """Products in a category or any of its descendants."""
    return products_in_categories(category_tree_ids(category))


def products_in_category_slug(slug: str, *, limit: int = 8):
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        return []
    return list(products_in_category(category)[:limit])


def search_products(query: str):
    """A database search over titles, English titles, UPC and descriptions (replaced by search/ later)."""
    terms = [term for term in (query or "").split() if term]
    products = browsable_products()
    for term in terms:
        products = products.filter(
            Q(title__icontains=term) | Q(title_en__icontains=term) | Q(upc__iexact=term)
            | Q(description__icontains=term)
        )
    return products if terms else products.none()


def product_for_detail(pk: int):
    """The product page's product with everything the page shows, or None."""
    return (
        Product.objects.filter(pk=pk)
        .select_related("product_class", "parent")
        .prefetch_related(
            *_card_prefetches(),
            Prefetch(
                "attribute_values",
                queryset=ProductAttributeValue.objects.select_related("attribute", "value_option")
                .order_by("attribute__pk"),
            ),
            "gi_marks",
            Prefetch("categories", queryset=Category.objects.order_by("depth")),
        )
        .first()
    )


def top_categories() -> list:
    """Top-level categories for navigation: read once per storefront version (a category
    change bumps it) and remembered by each process, as every storefront page shows them."""
    return storefront_cache.get_or_build(
        "top-categories", [], lambda: list(Category.objects.filter(depth=1, is_public=True).order_by("path")),
        remember=True)


def subcategories(category) -> list:
    return list(category.get_children().filter(is_public=True))


def category_ancestors(category) -> list:
    """Ancestors from the root down, from the materialised path (one query)."""
    steps = category.steplen
    paths = [category.path[: steps * depth] for depth in range(1, category.depth)]
    return list(Category.objects.filter(path__in=paths).order_by("depth")) if paths else []
