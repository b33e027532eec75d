"""The delivery address: Jilin cascade, other provinces as typed, mainland mobiles."""

import pytest
from django.urls import reverse

from marketplace.checkout import addresses
from marketplace.checkout.forms import AddressForm

BASE = {"name": "王秀兰", "mobile": "13812345678", "province": "吉林省", "city": "延边朝鲜族自治州",
        "district": "珲春市", "city_text": "", "district_text": "", "street": "河南街道 8 号", "postcode": ""}


def test_jilin_lists_every_prefecture_with_its_counties():
    cities = addresses.jilin_cities()
    assert list(cities) == ["长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延边朝鲜族自治州"]
    assert sum(len(counties) for counties in cities.values()) == 60
    assert "抚松县" in cities["白山市"] and "公主岭市" in cities["长春市"]


def test_jilin_address_from_the_lists():
    form = AddressForm(data=BASE)
    assert form.is_valid(), form.errors
    fields = form.address_fields()
    assert (fields["state"], fields["line4"], fields["line2"]) == ("吉林省", "延边朝鲜族自治州", "珲春市")
    assert fields["phone_number"] == "+8613812345678" and fields["country_id"] == "CN"


def test_a_district_of_another_city_is_refused_in_plain_words():
    form = AddressForm(data=dict(BASE, city="长春市", district="珲春市"))
    assert not form.is_valid()
    assert form.errors["district"] == ["“珲春市”不在长春市，请重新选择县（市、区）。"]


def test_jilin_needs_a_city_and_district():
    form = AddressForm(data=dict(BASE, city="", district=""))
    assert not form.is_valid()
    assert form.errors["city"] == ["请选择所在的市（州）。"]


def test_other_provinces_take_city_and_district_as_typed():
    form = AddressForm(data=dict(BASE, province="辽宁省", city="", district="", city_text="沈阳市",
                                 district_text="和平区"))
    assert form.is_valid(), form.errors
    assert form.address_fields()["line4"] == "沈阳市"
    missing = AddressForm(data=dict(BASE, province="辽宁省", city="", district=""))
    assert not missing.is_valid()
    assert missing.errors["city_text"] == ["请填写所在的市。"]
    assert missing.errors["district_text"] == ["请填写所在的县（区）。"]


def test_a_place_outside_the_mainland_is_refused():
    form = AddressForm(data=dict(BASE, province="Bavaria"))
    assert not form.is_valid()
    assert form.errors["province"] == ["请从列表中选择。"]


@pytest.mark.parametrize("typed", ["1381234567", "138123456789", "1381234567a", "abcdefghijk", "12812345678", ""])
def test_bad_mobile_numbers_are_refused(typed):
    form = AddressForm(data=dict(BASE, mobile=typed))
    assert not form.is_valid()
    assert "mobile" in form.errors


@pytest.mark.parametrize("typed", ["１３８１２３４５６７８", "138-1234-5678", "+86 138 1234 5678", "8613812345678"])
def test_mobiles_are_normalised(typed):
    form = AddressForm(data=dict(BASE, mobile=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["mobile"] == "13812345678"


def test_postcode_is_optional_but_checked_when_given():
    assert AddressForm(data=dict(BASE, postcode="１３３３００")).is_valid()
    form = AddressForm(data=dict(BASE, postcode="1333"))
    assert not form.is_valid()
    assert form.errors["postcode"] == ["邮政编码是 6 位数字，例如 130000。不知道可以不填。"]


@pytest.mark.django_db
def test_the_page_keeps_what_was_typed_after_an_error(client):
    from tests import factories

    item = factories.sellable_product(title="手杖")
    client.post(reverse("basket:add", args=[item.pk]), {"quantity": 1})
    client.post(reverse("checkout:index"))
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    assert "国家" not in page and "Country" not in page
    response = client.post(reverse("checkout:shipping-address"),
                           dict(BASE, mobile="1381234567", street="河南街道 8 号 2 单元"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "手机号码应是 1 开头的 11 位数字" in text
    assert 'value="河南街道 8 号 2 单元"' in text
    assert 'value="王秀兰"' in text
    assert '<option value="珲春市" selected>' in text
    # Coming back to the step after going on shows the address again.
    client.post(reverse("checkout:shipping-address"), BASE)
    again = client.get(reverse("checkout:shipping-address")).content.decode()
    assert 'value="河南街道 8 号"' in again and 'value="13812345678"' in again


@pytest.mark.parametrize("data", [
    None,  # the empty form
    BASE,  # every list with a choice made, one inside a city's group
    dict(BASE, province="", city="<b>长春市</b>", district='"珲春市"'),  # errors, and what was typed escaped
])
def test_the_one_pass_select_writes_what_djangos_select_writes(data):
    """``forms.Select`` (one pass) against Django's template-rendered select, for every list
    of the address step: same attributes (error state included), options, groups and choice."""
    from django import forms
    from django.test.html import parse_html

    form = AddressForm(data=data)
    form.is_valid()
    for name in ("province", "city", "district"):
        bound = form[name]
        ours = str(bound)
        field = form.fields[name]
        field.widget = forms.Select(choices=field.choices)
        theirs = str(form[name].as_widget())
        assert parse_html(ours) == parse_html(theirs), (ours, theirs)
        assert "<option" in ours and f'name="{name}"' in ours
