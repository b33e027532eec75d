import pytest
from django.core.exceptions import ValidationError

from catalog.product_classes import PRODUCT_CLASSES
from catalog.rules import NOT_A_MEDICINE, validate_blue_hat_number
from tests import factories


@pytest.mark.parametrize("number", ["国食健注G20150123", "食健备G202022000123", "食健备J202299000001"])
def test_valid_blue_hat_numbers(number):
    validate_blue_hat_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "", "国食健注G2015012", "国食健注G201501234", "国食健注20150123", "国食健字G20150123",
        "食健备G2020220001", "食健备G20202200012a", "食健备X202022000123", "G20150123", "国食健注G18990123",
    ],
)
def test_malformed_blue_hat_numbers_are_refused_in_plain_chinese(number):
    with pytest.raises(ValidationError) as error:
        validate_blue_hat_number(number)
    assert "国食健注G" in error.value.messages[0]


VALID_VALUES = {
    "option": None,  # first option of the group
    "integer": 3,
    "float": 2.5,
    "boolean": False,
    "text": "示例",
}
SPECIAL = {
    "blue_hat_number": "国食健注G20150123",
    "statement": f"{NOT_A_MEDICINE}。保健食品不是药物，不能代替药物治疗疾病。",
}


def _fill(product, spec, skip=None):
    from oscar.core.loading import get_model

    AttributeOption = get_model("catalogue", "AttributeOption")
    for code, _name, kind, _required, options in spec["attributes"]:
        if code == skip:
            continue
        if kind == "option":
            value = AttributeOption.objects.get(group__name=f"{spec['slug']}:{code}", option=options[0])
        else:
            value = SPECIAL.get(code, VALID_VALUES[kind])
        setattr(product.attr, code, value)


@pytest.mark.django_db
@pytest.mark.parametrize("spec", PRODUCT_CLASSES, ids=[spec["slug"] for spec in PRODUCT_CLASSES])
def test_a_product_with_every_attribute_of_its_class_is_valid(spec):
    product = factories.product(product_class=spec["slug"])
    _fill(product, spec)
    product.full_clean()


REQUIRED = [
    (spec, code) for spec in PRODUCT_CLASSES for code, _n, _k, required, _o in spec["attributes"] if required
]


@pytest.mark.django_db
@pytest.mark.parametrize("spec,code", REQUIRED, ids=[f"{spec['slug']}-{code}" for spec, code in REQUIRED])
def test_each_required_attribute_is_required(spec, code):
    product = factories.product(product_class=spec["slug"])
    _fill(product, spec, skip=code)
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    # Exactly this attribute is reported missing, nothing else.
    assert error.value.messages == [f"{code} 属性不能为空"]


@pytest.mark.django_db
def test_health_food_needs_the_not_a_medicine_statement():
    spec = next(spec for spec in PRODUCT_CLASSES if spec["slug"] == "health-food")
    product = factories.product(product_class="health-food")
    _fill(product, spec)
    product.attr.statement = "保健食品"
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert NOT_A_MEDICINE in str(error.value)


@pytest.mark.django_db
def test_health_food_with_a_malformed_blue_hat_number_is_invalid():
    spec = next(spec for spec in PRODUCT_CLASSES if spec["slug"] == "health-food")
    product = factories.product(product_class="health-food")
    _fill(product, spec)
    product.attr.blue_hat_number = "国食健注G2015"
    with pytest.raises(ValidationError):
        product.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "years,daily,unsuitable,ok",
    [
        (5, 3.0, "孕妇、哺乳期妇女及14周岁以下儿童不宜食用", True),
        (6, 3.0, "孕妇、哺乳期妇女及14周岁以下儿童不宜食用", False),
        (5, 3.5, "孕妇、哺乳期妇女及14周岁以下儿童不宜食用", False),
        (5, 3.0, "孕妇不宜食用", False),
    ],
)
def test_ginseng_sold_as_food_follows_the_2012_announcement(years, daily, unsuitable, ok):
    spec = next(spec for spec in PRODUCT_CLASSES if spec["slug"] == "ginseng")
    product = factories.product(product_class="ginseng")
    _fill(product, spec)
    product.attr.sold_as_food = True
    product.attr.growth_years = years
    product.attr.daily_amount_g = daily
    product.attr.unsuitable_groups = unsuitable
    if ok:
        product.full_clean()
    else:
        with pytest.raises(ValidationError):
            product.full_clean()
