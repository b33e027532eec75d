"""What the family pages read."""

from __future__ import annotations

from marketplace.family.models import FamilyInvitation, FamilyLink, OrderBeneficiary, PayRequest


def is_beneficiary(*, order, user) -> bool:
    return OrderBeneficiary.objects.filter(order=order, elder=user).exists()


def family_page(*, user) -> dict:
    """Everything the family section of the account shows, in a fixed number of queries."""
    return {
        "elders": list(FamilyLink.objects.filter(member=user, ended_at__isnull=True).select_related("elder")),
        "members": list(FamilyLink.objects.filter(elder=user, ended_at__isnull=True).select_related("member")),
        "invitation": FamilyInvitation.objects.filter(elder=user, status=FamilyInvitation.OPEN)
        .order_by("-created_at").first(),
        "claims": list(FamilyInvitation.objects.filter(elder=user, status=FamilyInvitation.CLAIMED)
                       .select_related("claimed_by")),
        "my_pay_requests": list(PayRequest.objects.filter(elder=user).select_related("order", "paid_by")[:10]),
        "orders_for_me": list(OrderBeneficiary.objects.filter(elder=user).select_related("order", "member")[:20]),
        "orders_i_gave": list(OrderBeneficiary.objects.filter(member=user).select_related("order", "elder")[:20]),
    }


def display_name(user) -> str:
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.email
