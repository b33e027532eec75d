"""Oscar's customer app with its two GET-driven wish-list changes turned into POST-only views.

Oscar adds a product to a wish list, and moves a line between wish lists, on a GET: an image
tag on any page could do it for a signed-in shopper. The app config (label ``customer``,
models and migrations unchanged) swaps in views that refuse GET.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from oscar.apps.customer import apps


def post_only_views():
    from oscar.apps.customer.wishlists import views

    @method_decorator(require_POST, name="dispatch")
    class WishListAddProduct(views.WishListAddProduct):
        pass

    @method_decorator(require_POST, name="dispatch")
    class WishListMoveProductToAnotherWishList(views.WishListMoveProductToAnotherWishList):
        def post(self, request, *args, **kwargs):
            return super().get(request, *args, **kwargs)

    return WishListAddProduct, WishListMoveProductToAnotherWishList


class CustomerConfig(apps.CustomerConfig):
    def ready(self):
        super().ready()
        self.wishlists_add_product_view, self.wishlists_move_product_to_another_view = post_only_views()
        # The address book uses the checkout's Chinese address form (marketplace/checkout/address_book.py).
        from marketplace.checkout.address_book import AddressCreateView, AddressUpdateView

        self.address_create_view, self.address_update_view = AddressCreateView, AddressUpdateView
