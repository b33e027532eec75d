"""Product cards: what a listing shows of a product, and its one piece of markup.

A card is plain values (title, link, photo, badges, price, and why it cannot be bought, if
it cannot), so listings can build a page of cards from a few plain reads: ``cards_for``
reads rows, not model instances, and asks ``traceability.availability.sellable`` whether each
can be sold, with no lot or commitment loaded. ``card_for`` builds the same card from a
product already loaded and the request's pricing strategy (campaign grids, whose products
are picked by their price). Both give the same card for the same product, and
``render_card`` draws every card with one template.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from oscar.apps.partner import availability as oscar_availability
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

from catalog.models import CatalogueListing, Product, english_active
from catalog.selectors import browsable_products
from catalog.thumbnails import MissingProductImage
from marketplace.partner.strategy import NotTraceable, Selector
from traceability.availability import sellable

ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "oscar/catalogue/partials/card.html"
THUMBNAIL_SIZE = "320x320"


@dataclass(frozen=True)
class Card:
    pk: int
    url: str
    title: str
    image_url: str
    badges: tuple[tuple[str, str], ...]  # (catalogue code, name) of each live listing
    price: Decimal | None
    currency: str
    unavailable: str  # the short reason it cannot be bought now; empty when it can


def _thumbnail_url(source) -> str:
    """The card's photo (``None``: the product has none); a damaged upload shows the
    placeholder (logged), never an error page."""
    thumbnailer = get_thumbnailer()
    if source is not None:
        try:
            return thumbnailer.generate_thumbnail(source, size=THUMBNAIL_SIZE).url
        except Exception:  # Pillow raises many kinds for a file it cannot read, as Oscar's own tag allows for
            logger.exception("no thumbnail for %s", getattr(source, "name", source))
    return thumbnailer.generate_thumbnail(MissingProductImage().name, size=THUMBNAIL_SIZE).url


def badges_of(product) -> tuple[tuple[str, str], ...]:
    """(catalogue code, name) of a loaded product's live listings, in catalogue order."""
    listings = getattr(product, "live_listings", None)
    if listings is None:
        listings = product.catalogue_listings.filter(status=CatalogueListing.LISTED)
    return tuple((listing.catalogue, CatalogueListing.name_for(listing.catalogue))
                 for listing in sorted(listings, key=lambda listing: listing.catalogue))


def _unavailable(can_sell: bool, has_stockrecord: bool) -> str:
    """The short message the strategy's availability policy gives (marketplace.partner.strategy)."""
    if not can_sell:
        return str(NotTraceable("").short_message)
    if not has_stockrecord:
        return str(oscar_availability.Unavailable().short_message)
    return ""


def cards_for(ids) -> dict[int, Card]:
    """The cards of the storefront's products among these ids (public, browsable), by id,
    in five plain queries however many there are. Parent products, whose price and stock
    come from their variants, are built from the loaded product by Oscar's strategy."""
    ids = list(ids)
    rows = list(Product.objects.browsable().filter(is_public=True, pk__in=ids)
                .values_list("pk", "slug", "title", "title_en", "structure"))
    parents = [pk for pk, *_, structure in rows if structure == Product.PARENT]
    rows = [row for row in rows if row[0] not in parents]
    pks = [row[0] for row in rows]
    cards: dict[int, Card] = {}
    if pks:
        stock: dict[int, tuple] = {}
        for product_id, price, currency in (StockRecord.objects.filter(product_id__in=pks).order_by("pk")
                                            .values_list("product_id", "price", "price_currency")):
            stock.setdefault(product_id, (price, currency))
        images: dict[int, str] = {}
        for product_id, name in (ProductImage.objects.filter(product_id__in=pks).order_by("display_order", "pk")
                                 .values_list("product_id", "original")):
            images.setdefault(product_id, name)
        badges: dict[int, list] = {}
        for product_id, catalogue in (CatalogueListing.objects.filter(product_id__in=pks,
                                                                      status=CatalogueListing.LISTED)
                                      .order_by("catalogue").values_list("product_id", "catalogue")):
            badges.setdefault(product_id, []).append((catalogue, CatalogueListing.name_for(catalogue)))
        can_sell = sellable(pks)
        english = english_active()
        for pk, slug, title, title_en, _ in rows:
            price, currency = stock.get(pk, (None, settings.OSCAR_DEFAULT_CURRENCY))
            cards[pk] = Card(
                pk=pk,
                url=reverse("catalogue:detail", kwargs={"product_slug": slug, "pk": pk}),
                title=(title_en if english and title_en else title),
                image_url=_thumbnail_url(images.get(pk)),
                badges=tuple(badges.get(pk, ())),
                price=price,
                currency=currency or settings.OSCAR_DEFAULT_CURRENCY,
                unavailable=_unavailable(pk in can_sell, pk in stock),
            )
    if parents:
        strategy = Selector().strategy()
        for product in browsable_products().filter(pk__in=parents):
            cards[product.pk] = card_for(product, strategy)
    return cards


def card_for(product, strategy) -> Card:
    """The card of a product already loaded (with the storefront's prefetches), priced and
    checked by the pricing strategy, as the product page and basket are."""
    info = strategy.fetch_for_parent(product) if product.is_parent else strategy.fetch_for_product(product)
    image = product.primary_image()
    return Card(
        pk=product.pk,
        url=product.get_absolute_url(),
        title=product.get_title(),
        image_url=_thumbnail_url(image["original"] if isinstance(image, dict) else image.original),
        badges=badges_of(product),
        price=info.price.incl_tax if info.price.exists else None,
        currency=getattr(info.price, "currency", None) or settings.OSCAR_DEFAULT_CURRENCY,
        unavailable="" if info.availability.is_available_to_buy else str(info.availability.short_message),
    )


def render_card(card: Card) -> str:
    return get_template(CARD_TEMPLATE).render({"card": card})
