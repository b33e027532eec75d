"""Demo: 王磊 (family@example.com) linked to his mother 王秀兰 (elder@example.com), who has a saved address."""

from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from marketplace.family import services

UserAddress = get_model("address", "UserAddress")

ELDER, MEMBER = "elder@example.com", "family@example.com"


def ensure_demo_family() -> None:
    users = {user.email: user for user in get_user_model().objects.filter(email__in=[ELDER, MEMBER])}
    if len(users) < 2:
        return
    elder, member = users[ELDER], users[MEMBER]
    if not UserAddress.objects.filter(user=elder).exists():
        UserAddress.objects.create(
            user=elder, last_name="王", first_name="秀兰", line1="人民大街 2688 号 3 单元 201 室",
            line2="南关区", line4="长春市", state="吉林省", postcode="130022", country_id="CN",
            phone_number="+8613904310000", is_default_for_shipping=True, is_default_for_billing=True,
        )
    services.link_directly(elder=elder, member=member)
