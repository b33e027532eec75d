"""Linking a family member to an older person's account: the elder stays in control."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketplace import roles
from marketplace.family import purchase, services
from marketplace.family.models import FamilyInvitation, FamilyLink, OrderBeneficiary
from tests import factories

pytestmark = pytest.mark.django_db


def test_code_then_elder_accepts(client, django_capture_on_commit_callbacks):
    elder, member = factories.user(role=roles.SHOPPER), factories.user(role=roles.FAMILY)
    client.force_login(elder)
    page = client.post("/family/invite/", follow=True).content.decode()
    invitation = FamilyInvitation.objects.get(elder=elder)
    assert len(invitation.code) == services.CODE_LENGTH
    assert set(invitation.code) <= set(services.CODE_ALPHABET)
    assert invitation.code in page
    assert invitation.expires_at - invitation.created_at == timedelta(days=services.INVITATION_DAYS)

    client.force_login(member)
    typed = " " + invitation.code[:3].lower() + "-" + invitation.code[3:] + " "
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/family/join/", {"code": typed}, follow=True)
    assert "等长辈同意后就关联好了" in response.content.decode()
    assert not services.is_linked(elder=elder, member=member)  # not yet: the elder decides
    assert mail.outbox[-1].to == [elder.email]
    assert "有家人想和您关联" in mail.outbox[-1].subject

    client.force_login(elder)
    page = client.get("/family/").content.decode()
    assert "想和您关联" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/family/invitations/{invitation.pk}/decide/", {"decision": "accept"})
    assert services.is_linked(elder=elder, member=member)
    assert {tuple(m.to) for m in mail.outbox[-2:]} == {(elder.email,), (member.email,)}


def test_elder_declines(client):
    elder, member = factories.user(), factories.user()
    invitation = services.create_invitation(elder=elder)
    services.claim_invitation(member=member, code=invitation.code)
    client.force_login(elder)
    response = client.post(f"/family/invitations/{invitation.pk}/decide/", {"decision": "decline"}, follow=True)
    assert "已拒绝" in response.content.decode()
    assert not FamilyLink.objects.exists()


@pytest.mark.parametrize("case, message", [
    ("expired", "已过期"), ("used", "不对或已经用过了"), ("own", "这是您自己的邀请码"), ("wrong", "不对或已经用过了"),
])
def test_bad_codes_are_refused_in_plain_words(client, case, message):
    elder, member, other = factories.user(), factories.user(), factories.user()
    invitation = services.create_invitation(elder=elder)
    code = invitation.code
    who = member
    if case == "expired":
        FamilyInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif case == "used":
        services.claim_invitation(member=other, code=code)
    elif case == "own":
        who = elder
    elif case == "wrong":
        code = "AAAAAA" if code != "AAAAAA" else "CCCCCC"
    client.force_login(who)
    response = client.post("/family/join/", {"code": code})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'value="{code}"' in response.content.decode()  # what was typed stays
    assert not FamilyLink.objects.filter(member=who).exists()


def test_a_new_code_withdraws_the_old_one():
    elder = factories.user()
    first = services.create_invitation(elder=elder)
    services.create_invitation(elder=elder)
    first.refresh_from_db()
    assert first.status == FamilyInvitation.WITHDRAWN
    with pytest.raises(services.FamilyError):
        services.claim_invitation(member=factories.user(), code=first.code)


@pytest.mark.parametrize("side", ["elder", "member"])
def test_either_side_unlinks_by_post(client, family, side):
    link = family["link"]
    client.force_login(family[side])
    assert client.get(f"/family/links/{link.pk}/unlink/").status_code == 405
    assert services.is_linked(elder=family["elder"], member=family["member"])
    response = client.post(f"/family/links/{link.pk}/unlink/", follow=True)
    assert "已解除关联" in response.content.decode()
    link.refresh_from_db()
    assert (link.ended_at is not None, link.ended_by) == (True, family[side])
    assert not services.is_linked(elder=family["elder"], member=family["member"])


def test_a_stranger_cannot_unlink(client, family):
    client.force_login(family["stranger"])
    assert client.post(f"/family/links/{family['link'].pk}/unlink/").status_code == 404
    assert services.is_linked(elder=family["elder"], member=family["member"])


def test_buying_for_hook(rf, family):
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/checkout/shipping-address/?for=1")
    request.session, request.user = SessionStore(), family["member"]
    assert purchase.start_buying_for(request=request, elder_id=str(family["elder"].pk)) == family["elder"]
    assert purchase.buying_for(request=request) == family["elder"]
    assert purchase.elder_shipping_address(elder=family["elder"]).state == "吉林省"

    stranger_request = rf.get("/")
    stranger_request.session, stranger_request.user = SessionStore(), family["stranger"]
    assert purchase.start_buying_for(request=stranger_request, elder_id=family["elder"].pk) is None
    assert purchase.start_buying_for(request=stranger_request, elder_id="x") is None

    from marketplace.checkout.placement import place_order
    from marketplace.checkout.shipping import courier

    cart = factories.basket(items=[(family["product"], 1)], owner=family["member"])
    order = place_order(basket=cart, user=family["member"], shipping_address=factories.shipping_address(),
                        shipping_method=courier(), payment_method="cod")
    purchase.record_order(order=order, request=request)
    beneficiary = OrderBeneficiary.objects.get(order=order)
    assert (beneficiary.elder, beneficiary.member, beneficiary.kind) == (
        family["elder"], family["member"], OrderBeneficiary.BUY_FOR)
    assert purchase.buying_for(request=request) is None  # cleared after the order

    services.unlink(link=family["link"], actor=family["elder"])
    request.session[purchase.SESSION_KEY] = family["elder"].pk
    assert purchase.buying_for(request=request) is None  # re-checked on every call
