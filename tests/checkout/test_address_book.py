"""The address book uses the checkout's address form: Chinese order, no country, same checks."""

import pytest
from oscar.core.loading import get_model

from tests import factories

pytestmark = pytest.mark.django_db
UserAddress = get_model("address", "UserAddress")

JILIN = {"name": "王秀兰", "mobile": "13812345678", "province": "吉林省", "city": "长春市", "district": "南关区",
         "street": "人民大街 100 号 3 单元 201 室", "postcode": "130000"}


@pytest.fixture
def shopper(client):
    user = factories.user(email="laowang@example.com")
    client.force_login(user)
    return user


def test_new_address_form_is_the_checkout_form_without_a_country(client, shopper):
    page = client.get("/accounts/addresses/add/").content.decode()
    order = [page.index(f'name="{name}"') for name in ("name", "mobile", "province", "city", "district", "street")]
    assert order == sorted(order)
    assert 'name="country"' not in page and 'name="first_name"' not in page
    assert "js/checkout.js" in page and 'data-jilin="吉林省"' in page


def test_saving_a_jilin_address(client, shopper):
    response = client.post("/accounts/addresses/add/", JILIN)
    assert response.status_code == 302, response.content.decode()
    address = UserAddress.objects.get(user=shopper)
    assert (address.last_name, address.state, address.line4, address.line2, address.line1) == (
        "王秀兰", "吉林省", "长春市", "南关区", "人民大街 100 号 3 单元 201 室")
    assert str(address.phone_number) == "+8613812345678" and address.country_id == "CN"


def test_errors_in_plain_words_keep_what_was_typed(client, shopper):
    page = client.post("/accounts/addresses/add/", dict(JILIN, mobile="12345")).content.decode()
    assert "1 开头的 11 位数字" in page
    assert "人民大街 100 号 3 单元 201 室" in page
    assert not UserAddress.objects.filter(user=shopper).exists()


def test_editing_shows_the_saved_address_and_saves_changes(client, shopper):
    client.post("/accounts/addresses/add/", dict(JILIN, province="辽宁省", city="", district="",
                                                 city_text="沈阳市", district_text="和平区"))
    address = UserAddress.objects.get(user=shopper)
    page = client.get(f"/accounts/addresses/{address.pk}/").content.decode()
    assert 'value="沈阳市"' in page and 'value="和平区"' in page and 'value="13812345678"' in page
    response = client.post(f"/accounts/addresses/{address.pk}/", dict(JILIN, street="新华路 1 号"))
    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.state, address.line1) == ("吉林省", "新华路 1 号")
    assert UserAddress.objects.filter(user=shopper).count() == 1


def test_the_same_address_twice_is_refused_plainly(client, shopper):
    client.post("/accounts/addresses/add/", JILIN)
    page = client.post("/accounts/addresses/add/", JILIN).content.decode()
    assert "已经在您的地址簿里了" in page
    assert UserAddress.objects.filter(user=shopper).count() == 1
