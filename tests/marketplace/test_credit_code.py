import pytest
from django.core.exceptions import ValidationError

from marketplace.credit_code import check_character, validate_credit_code

# Published codes of real companies (check characters computed by GB 32100-2015).
VALID = ["91110000600037341L", "91310000MA1FL1MMXL", "9122010170255776XN"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_credit_code(code)


def test_check_character_matches_the_standard_example():
    assert check_character("91110000600037341") == "L"


@pytest.mark.parametrize("code", VALID)
def test_a_wrong_check_character_is_refused(code):
    wrong = next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[-1])
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code[:-1] + wrong)
    assert error.value.code == "check_character"
    assert "校验位" in error.value.messages[0]


@pytest.mark.parametrize("code", ["", "9111000060003734", "91110000600037341LL", "123"])
def test_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == "length"
    assert "18位" in error.value.messages[0]


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_forbidden_letters_are_refused(letter):
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91110000600037341" + letter)
    assert error.value.code == "characters"
    assert letter in error.value.messages[0]


def test_lowercase_is_accepted_as_uppercase():
    validate_credit_code(VALID[0].lower())
