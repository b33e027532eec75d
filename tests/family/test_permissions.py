"""Every role against every family action; denied cases change nothing."""

import pytest
from oscar.core.loading import get_model

from marketplace import roles
from marketplace.family import services
from marketplace.family.models import FamilyInvitation, FamilyLink, PayRequest
from tests import factories

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "elder", "shopper", "family_linked", "family_unlinked", "merchant", "regulator", "editor",
         "admin"]


@pytest.fixture
def people(family):
    return {
        "anonymous": None, "elder": family["elder"], "shopper": factories.user(role=roles.SHOPPER),
        "family_linked": family["member"], "family_unlinked": family["stranger"],
        "merchant": factories.merchant_staff(factories.merchant()),
        "regulator": factories.user(role=roles.REGULATOR),
        "editor": factories.user(role=roles.EDITOR, is_staff=True),
        "admin": factories.user(role=roles.PLATFORM_ADMIN, is_staff=True, is_superuser=True),
    }


def _as(client, person):
    if person is not None:
        client.force_login(person)
    return client


def _to_login(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ROLES)
def test_family_page(client, people, role):
    response = _as(client, people[role]).get("/family/")
    if role == "anonymous":
        _to_login(response)
    else:
        assert response.status_code == 200
        assert "关联长辈" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_pay_link(client, family, people, role):
    pay_request = services.create_pay_request(elder=family["elder"])
    client = _as(client, people[role])
    url = f"/family/pay/{pay_request.token}/"
    page = client.get(url)
    response = client.post(url, {"payment_method": "cod"})
    if role == "anonymous":
        _to_login(page)
        _to_login(response)
    elif role == "family_linked":
        assert page.status_code == 200
        assert response.status_code == 302
        assert Order.objects.get().placed_by == people[role]
        return
    else:
        assert page.status_code == 403
        assert response.status_code == 403
    assert not Order.objects.exists()
    assert PayRequest.objects.get().paid_at is None


@pytest.mark.parametrize("role", ROLES)
def test_pay_request_pages_are_the_elders_own(client, family, people, role):
    pay_request = services.create_pay_request(elder=family["elder"])
    client = _as(client, people[role])
    answers = [client.get(f"/family/pay-requests/{pay_request.pk}/"),
               client.get(f"/family/pay-requests/{pay_request.pk}/qr.svg"),
               client.post(f"/family/pay-requests/{pay_request.pk}/cancel/")]
    pay_request.refresh_from_db()
    if role == "anonymous":
        for answer in answers:
            _to_login(answer)
    elif role == "elder":
        assert [answer.status_code for answer in answers] == [200, 200, 302]
        assert pay_request.cancelled_at is not None
        return
    else:
        assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert pay_request.cancelled_at is None


@pytest.mark.parametrize("role", ROLES)
def test_deciding_an_invitation(client, family, people, role):
    newcomer = factories.user()
    invitation = services.create_invitation(elder=family["elder"])
    services.claim_invitation(member=newcomer, code=invitation.code)
    response = _as(client, people[role]).post(f"/family/invitations/{invitation.pk}/decide/",
                                              {"decision": "accept"})
    invitation.refresh_from_db()
    if role == "anonymous":
        _to_login(response)
    elif role == "elder":
        assert response.status_code == 302
        assert services.is_linked(elder=family["elder"], member=newcomer)
        return
    else:
        assert response.status_code == 404
    assert invitation.status == FamilyInvitation.CLAIMED
    assert not services.is_linked(elder=family["elder"], member=newcomer)


@pytest.mark.parametrize("role", ROLES)
def test_unlinking(client, family, people, role):
    link = family["link"]
    response = _as(client, people[role]).post(f"/family/links/{link.pk}/unlink/")
    link.refresh_from_db()
    if role in {"elder", "family_linked"}:
        assert response.status_code == 302
        assert link.ended_at is not None
        return
    if role == "anonymous":
        _to_login(response)
    else:
        assert response.status_code == 404
    assert link.ended_at is None
    assert FamilyLink.objects.filter(ended_at__isnull=True).count() == 1
