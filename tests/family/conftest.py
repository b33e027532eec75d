from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from marketplace import roles
from marketplace.family import services
from tests import factories

UserAddress = get_model("address", "UserAddress")


def saved_address(user):
    return UserAddress.objects.create(
        user=user, last_name="王秀兰", line1="南关区人民大街 100 号 3 单元 201 室", line4="长春市", state="吉林省",
        postcode="130000", country_id="CN", phone_number="+8613812345678", is_default_for_shipping=True,
    )


@pytest.fixture
def family(db):
    """An elder with a saved address and a basket, a linked family member and a stranger."""
    elder = factories.user(role=roles.SHOPPER, first_name="秀兰", last_name="王")
    member = factories.user(role=roles.FAMILY, first_name="磊", last_name="王")
    stranger = factories.user(role=roles.FAMILY)
    saved_address(elder)
    product = factories.sellable_product(price=Decimal("128.00"), title="电子血压计")
    cart = factories.basket(items=[(product, 2)], owner=elder)
    link = services.link_directly(elder=elder, member=member)
    return {"elder": elder, "member": member, "stranger": stranger, "product": product, "basket": cart,
            "link": link}
