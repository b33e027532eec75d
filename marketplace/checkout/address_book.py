"""The shopper's address book with the checkout's own address form: a mainland-China address in
Chinese order, no country, the same checks and the same words as the checkout address step.

Oscar's address views stay (list, delete, default); only their form and template change.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from oscar.apps.customer import views as oscar_views
from oscar.core.loading import get_model

from marketplace.checkout import addresses
from marketplace.checkout.forms import AddressForm

UserAddress = get_model("address", "UserAddress")


def initial_for(address) -> dict:
    """The form's fields from a saved address: what the shopper typed, back in its boxes."""
    jilin = address.state == addresses.JILIN
    return {
        "name": f"{address.last_name}{address.first_name}", "mobile": addresses.mobile_of(address),
        "province": address.state, "street": address.line1, "postcode": address.postcode,
        ("city" if jilin else "city_text"): address.line4, ("district" if jilin else "district_text"): address.line2,
    }


class AddressBookForm(AddressForm):
    """The checkout address form, saving into the address book (Oscar's views call ``save``)."""

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user = user
        self.instance = instance if instance is not None else UserAddress(user=user)
        if instance is not None and instance.pk and not kwargs.get("initial"):
            kwargs["initial"] = initial_for(instance)
        super().__init__(*args, **kwargs)

    def save(self):
        for field, value in self.address_fields().items():
            setattr(self.instance, field, value)
        self.instance.user = self.user
        try:
            with transaction.atomic():
                self.instance.save()
        except IntegrityError:
            self.add_error(None, _("这个地址已经在您的地址簿里了。"))
            raise
        return self.instance


class _AddressBookFormMixin:
    form_class = AddressBookForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jilin"] = addresses.JILIN
        return context

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError:
            return self.form_invalid(form)


class AddressCreateView(_AddressBookFormMixin, oscar_views.AddressCreateView):
    pass


class AddressUpdateView(_AddressBookFormMixin, oscar_views.AddressUpdateView):
    pass
