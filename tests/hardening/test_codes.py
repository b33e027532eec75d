"""Class 3/4/12: one parser for typed and scanned codes; foreign digits never reach int() or a 500."""

import pytest

from traceability.codes import normalise_code, parse_gtin, parse_lot_code, parse_lot_number

GTIN14 = "06901234567892"


@pytest.mark.parametrize("typed", [
    "6901234567892", "06901234567892", " 690 1234 5678 92 ", "６９０１２３４５６７８９２",  # full-width (IME)
])
def test_ascii_and_full_width_gtins_name_the_same_gtin(typed):
    assert parse_gtin(typed) == GTIN14


def test_superscript_digits_fold_to_ascii_under_nfkc():
    # Documented decision: NFKC maps ² to 2, so a superscript spelling names the same GTIN, never another.
    assert normalise_code("69012345678⁹²") == "6901234567892"
    assert parse_gtin("69012345678⁹²") == GTIN14


@pytest.mark.parametrize("typed", [
    "٦٩٠١٢٣٤٥٦٧٨٩٢",  # Arabic-Indic: isdigit() is True and int() would read them
    "६९०१२३४५६७८९२",  # Devanagari
    "6901234567893",  # wrong check digit
    "69O1234567892", "", None, "1" * 10_000, "\x00" * 14, "6901234567892\x00",
])
def test_non_ascii_digits_and_junk_are_refused(typed):
    assert parse_gtin(typed) is None


def test_lot_codes_are_canonical():
    assert parse_lot_code(f"{GTIN14}-fs-2025-01") == (GTIN14, "FS-2025-01")
    assert parse_lot_code("６９０１２３４５６７８９２－L1") == (GTIN14, "L1")
    assert parse_lot_code(f"{GTIN14}\u2013L1") == (GTIN14, "L1")  # en dash from a word processor
    assert parse_lot_code(f"(01){GTIN14}(10)L1") == (GTIN14, "L1")
    assert parse_lot_code(f"{GTIN14}-批号") is None
    assert parse_lot_code(f"{GTIN14}-" + "A" * 21) is None
    assert parse_lot_code(f"{GTIN14}") is None
    assert parse_lot_code("٠٦٩٠١٢٣٤٥٦٧٨٩٢-L1") is None
    assert parse_lot_number("l-1") == "L-1"


def test_the_old_parsers_are_gone():
    import traceability.verification as verification

    assert not hasattr(verification, "split_lot_code")


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["full_width", "superscript_free_ascii", "lower"])
def test_trace_page_finds_the_lot_by_any_canonical_spelling(client, spelling):
    from tests import factories

    product = factories.sellable_product()
    lot = product.lots.get()
    code = {"full_width": lot.code.translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
            "superscript_free_ascii": lot.code, "lower": lot.code.lower()}[spelling]
    response = client.get(f"/trace/{code}/")
    assert response.status_code == 200
    assert lot.code in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/trace/{arabic}-L1/", "/trace/{arabic}-L1/qr.svg", "/01/{arabic}/10/L1", "/trace/²²²²²²²²²²²²²²-L1/",
])
def test_foreign_digits_on_public_pages_get_the_friendly_answer_not_a_500(client, path):
    arabic = "٠٦٩٠١٢٣٤٥٦٧٨٩٢"
    response = client.get(path.format(arabic=arabic))
    assert response.status_code in (400, 404)
    assert "追溯码" in response.content.decode() or response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("gtin", ["٠٦٩٠١٢٣٤٥٦٧٨٩٢", "²", "１２３"])
def test_regulator_search_with_foreign_digits_says_so_in_words(gtin):
    from django.test import Client

    from marketplace import roles
    from tests import factories

    client = Client()
    client.force_login(factories.user(role=roles.REGULATOR))
    response = client.get("/regulator/lots/", {"gtin": gtin})
    assert response.status_code == 200
    page = response.content.decode()
    assert "商品条码（GTIN）应为 8、12、13 或 14 位阿拉伯数字" in page


@pytest.mark.django_db
def test_export_command_with_foreign_digits_names_the_problem():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("export_epcis", "--lot", "٠٦٩٠١٢٣٤٥٦٧٨٩٢-L1")
