"""「为家人购买」: the hook the checkout's address step calls (see /work/notes/contracts.md).

The family member buys with their own basket; the order is sent to the elder's saved
address and recorded as being for the elder, so both see it. The elder is remembered in
the session only by id, and the link is checked again on every call: unlinking stops it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from marketplace.family import services

SESSION_KEY = "family_buying_for"


def start_buying_for(*, request, elder_id) -> object | None:
    try:
        elder = get_user_model().objects.filter(pk=int(elder_id)).first()
    except (TypeError, ValueError):
        elder = None
    if elder is None or not services.is_linked(elder=elder, member=request.user):
        request.session.pop(SESSION_KEY, None)
        return None
    request.session[SESSION_KEY] = elder.pk
    return elder


def buying_for(*, request) -> object | None:
    elder_id = request.session.get(SESSION_KEY)
    if not elder_id or not request.user.is_authenticated:
        return None
    elder = get_user_model().objects.filter(pk=elder_id).first()
    if elder is None or not services.is_linked(elder=elder, member=request.user):
        request.session.pop(SESSION_KEY, None)
        return None
    return elder


def stop_buying_for(*, request) -> None:
    request.session.pop(SESSION_KEY, None)


def elder_shipping_address(*, elder):
    return services.default_address(user=elder)


def record_order(*, order, request) -> None:
    elder = buying_for(request=request)
    if elder is not None:
        services.record_bought_for(order=order, elder=elder, member=request.user)
    request.session.pop(SESSION_KEY, None)
