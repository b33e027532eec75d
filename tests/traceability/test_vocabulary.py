"""Issue #7 class 12: one vocabulary of event kinds, one parser of lot codes.

What the merchant form writes is what the EPCIS export reads, for every kind; every
place that lists kinds lists the same ones; and every entry point that takes a lot code
gives the answer ``codes.parse_lot_code`` gives.
"""

from urllib.parse import quote

import pytest
from django.test import Client

from marketplace import roles
from tests import factories
from traceability import chain, epcis, forms, vocabulary
from traceability.codes import parse_lot_code
from traceability.models import TraceEvent
from traceability.verification import UnknownLotError, lots_for_codes

pytestmark = pytest.mark.django_db

GTIN = "06901234567892"
INPUT_GTIN = "06900000000014"
# The business steps are covered by stored events' hashes: they must never change.
STORED_EPCIS = {
    "planting": ("ObjectEvent", "OBSERVE", "https://silver-market.example/bizstep/planting"),
    "growth": ("ObjectEvent", "OBSERVE", "https://silver-market.example/bizstep/growth_record"),
    "farming": ("ObjectEvent", "OBSERVE", "https://silver-market.example/bizstep/farming"),
    "harvest": ("ObjectEvent", "ADD", "commissioning"),
    "cutting": ("ObjectEvent", "ADD", "commissioning"),
    "manufacture": ("ObjectEvent", "ADD", "commissioning"),
    "processing": ("TransformationEvent", "", "commissioning"),
    "inspection": ("ObjectEvent", "OBSERVE", "inspecting"),
    "quarantine": ("ObjectEvent", "OBSERVE", "inspecting"),
    "packing": ("ObjectEvent", "OBSERVE", "packing"),
    "shipping": ("ObjectEvent", "OBSERVE", "shipping"),
    "receiving": ("ObjectEvent", "OBSERVE", "receiving"),
    "storing": ("ObjectEvent", "OBSERVE", "storing"),
    "other": ("ObjectEvent", "OBSERVE", "other"),
}
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors[:10])


# --- One vocabulary ------------------------------------------------------------------


def test_models_chain_forms_and_export_name_the_same_kinds():
    declared = [kind.code for kind in vocabulary.KINDS]
    assert len(declared) == len(set(declared))
    model_choices = dict(TraceEvent._meta.get_field("kind").choices)
    form_choices = dict(forms.EventForm(kind="other").fields["kind"].choices)
    assert list(model_choices) == list(form_choices) == list(chain.KIND_EPCIS) == list(forms.EVENT_DATA_FIELDS) \
        == declared
    assert model_choices == {kind.code: kind.label for kind in vocabulary.KINDS}
    assert epcis.COMMISSIONING_KINDS == {"harvest", "cutting", "manufacture"}
    assert epcis.HARVEST_KINDS == {"harvest", "cutting"} <= epcis.COMMISSIONING_KINDS
    assert epcis.INSPECTION_KINDS == {"inspection", "quarantine"}
    assert chain.KIND_EPCIS == STORED_EPCIS


def test_the_keys_the_export_reads_are_keys_a_form_writes():
    written = {field.name for kind in vocabulary.KINDS for field in kind.fields}
    read = {vocabulary.QUANTITY, vocabulary.UOM_KEY, vocabulary.HARVEST_DATE, vocabulary.INPUT_LOT,
            vocabulary.INPUT_QUANTITY, vocabulary.INPUT_UOM, vocabulary.OUTPUT_QUANTITY, vocabulary.OUTPUT_UOM,
            vocabulary.REPORT_NUMBER, vocabulary.CERTIFICATE_NUMBER}
    assert read <= written
    for kind in vocabulary.KINDS:
        if kind.harvest:
            assert vocabulary.HARVEST_DATE in kind.data_keys, kind.code
        if kind.commissions:
            assert {vocabulary.QUANTITY, vocabulary.UOM_KEY} <= kind.data_keys, kind.code
    assert {"input_lot", "input_quantity", "input_uom"} <= vocabulary.kind("processing").data_keys
    assert {code for code, _label in vocabulary.UNITS} >= {"KGM", "GRM", "H87"}


@pytest.fixture
def shop():
    partner = factories.merchant(legal_name="抚松县参农合作社", gs1_company_prefix="6901234")
    factories.commitment(partner=partner)
    return partner


@pytest.fixture
def staff_client(shop):
    client = Client()
    client.force_login(factories.merchant_staff(shop))
    return client


@pytest.fixture
def own_lot(shop):
    return factories.lot(product_=factories.product(merchant_=shop, title="抚松生晒参", upc=GTIN), events=0,
                         lot_number="FS-2025-01")


@pytest.fixture
def input_lot(shop):
    return factories.lot(product_=factories.product(merchant_=shop, title="鲜参"), gtin=INPUT_GTIN,
                         lot_number="FRESH-1", events=0)


SAMPLE = {
    vocabulary.TEXT: "抚松", vocabulary.TEXTAREA: "长势良好", vocabulary.INTEGER: "6", vocabulary.DECIMAL: "12.5",
    vocabulary.DATE: "2025-09-20", vocabulary.CULTIVATION: "林下参",
}
UNITS_BY_KEY = {vocabulary.UOM_KEY: "KGM", vocabulary.INPUT_UOM: "GRM", vocabulary.OUTPUT_UOM: "H87"}


def _form_data(kind: vocabulary.EventKind) -> dict:
    data = {"kind": kind.code, "event_time": "2025-09-21T09:30", "responsible_party": "抚松县参农合作社",
            "location_name": "万良镇", "county": "抚松县", "data_note": "记录"}
    for field in kind.fields:
        if field.type == vocabulary.UOM:
            value = UNITS_BY_KEY[field.name]
        elif field.type == vocabulary.LOT_CODE:
            value = f"{INPUT_GTIN}-fresh-1".translate(FULL_WIDTH)  # typed with a Chinese input method
        else:
            value = SAMPLE[field.type]
        data[f"data_{field.name}"] = value
    return data


@pytest.mark.parametrize("kind", vocabulary.KINDS, ids=lambda kind: kind.code)
def test_what_the_merchant_form_writes_the_export_carries(epcis_validator, staff_client, own_lot, input_lot, kind):
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/new/", _form_data(kind))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = own_lot.events.get()
    assert set(event.data) == kind.data_keys | {"note"}  # every declared field, nothing else
    assert (event.event_type, event.action, event.biz_step) == STORED_EPCIS[kind.code]

    document = epcis.document_for_events(TraceEvent.objects.filter(pk=event.pk))
    assert_valid(epcis_validator, document)
    [exported] = document["epcisBody"]["eventList"]
    assert exported["type"] == kind.event_type
    own_class = epcis.epc_class(own_lot.gtin, own_lot.lot_number)
    if vocabulary.QUANTITY in kind.data_keys:
        assert exported["quantityList"] == [{"epcClass": own_class, "quantity": 12.5, "uom": "KGM"}]
    if kind.harvest:
        assert exported["ilmd"]["cbvmda:harvestStartDate"] == "2025-09-20"
    if kind.code == "processing":
        assert event.data["input_lot"] == input_lot.code  # the parser's canonical spelling
        assert exported["inputQuantityList"] == [
            {"epcClass": epcis.epc_class(INPUT_GTIN, "FRESH-1"), "quantity": 12.5, "uom": "GRM"}]
        assert exported["outputQuantityList"] == [{"epcClass": own_class, "quantity": 12.5, "uom": "H87"}]
    if kind.inspection:
        assert any(quote("抚松", safe="") in uri for uri in exported["certificationInfo"])


def test_an_input_lot_that_is_not_a_lot_code_is_refused_in_words(staff_client, own_lot, input_lot):
    data = _form_data(vocabulary.kind("processing")) | {"data_input_lot": "٠٦٩٠٠٠٠٠٠٠٠٠١٤-FRESH-1"}
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/new/", data)
    assert response.status_code == 400
    assert forms.LOT_CODE_MESSAGE in response.content.decode()
    assert not own_lot.events.exists()


def test_events_recorded_before_the_vocabulary_still_export_their_weight(epcis_validator, staff_client, own_lot):
    old = chain.record_event(lot=own_lot, kind="harvest", event_time=own_lot.created_at,
                             responsible_party="抚松县参农合作社", data={"weight_kg": "8.5", "cultivation": "园参"})
    document = epcis.document_for_events(TraceEvent.objects.filter(pk=old.pk))
    assert_valid(epcis_validator, document)
    [exported] = document["epcisBody"]["eventList"]
    assert exported["quantityList"][0] | {} == {"epcClass": epcis.epc_class(own_lot.gtin, own_lot.lot_number),
                                              "quantity": 8.5, "uom": "KGM"}
    page = staff_client.get(f"/merchant/lots/{own_lot.code}/events/{old.pk}/correct/").content.decode()
    assert 'name="data_quantity" value="8.5"' in page  # a correction writes the declared keys


# --- One parser ----------------------------------------------------------------------


@pytest.fixture
def regulator_client():
    client = Client()
    client.force_login(factories.user(role=roles.REGULATOR))
    return client


def _spellings(gtin: str, lot_number: str) -> dict[str, tuple[str, str]]:
    """Ways a code reaches us, as (GTIN part, lot part)."""
    return {
        "ascii": (gtin, lot_number),
        "full_width": (gtin.translate(FULL_WIDTH), lot_number.lower().translate(FULL_WIDTH)),
        "superscript": (gtin.replace("2", "²"), lot_number),
        "arabic_indic": (gtin.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), lot_number),
        "empty": ("", ""),
        "ten_thousand": ("1" * 10_000, lot_number),
        "nul": (gtin + "\x00", lot_number),
        "nul_in_lot": (gtin, lot_number + "\x00"),
    }


@pytest.mark.parametrize("spelling", list(_spellings(GTIN, "L1")))
def test_every_entry_point_reads_a_lot_code_as_the_one_parser_does(own_lot, regulator_client, spelling):
    gtin_part, lot_part = _spellings(own_lot.gtin, own_lot.lot_number)[spelling]
    code = f"{gtin_part}-{lot_part}"
    found = parse_lot_code(code) == (own_lot.gtin, own_lot.lot_number)
    assert found == (spelling in {"ascii", "full_width", "superscript"})
    public = Client()

    trace = public.get(quote(f"/trace/{code}/"))
    assert trace.status_code == (200 if found else 404), spelling
    assert ("追溯码" in trace.content.decode()) if not found else (own_lot.code in trace.content.decode())

    resolved = public.get(quote(f"/01/{gtin_part}/10/{lot_part}"))
    if found:
        assert resolved.status_code == 307 and resolved["Location"].endswith(f"/trace/{own_lot.code}/")
    else:
        assert resolved.status_code in (400, 404), spelling
        assert "14位数字" in resolved.content.decode()

    detail = regulator_client.get(quote(f"/regulator/lots/{code}/"))
    assert detail.status_code == (200 if found else 404), spelling

    search = regulator_client.get("/regulator/lots/", {"code": code})
    assert search.status_code == 200
    if found:
        assert [lot.pk for lot in search.context["page"]] == [own_lot.pk]
    else:
        assert search.context["page"] is None and search.context["form"].errors["code"]

    if found:
        assert lots_for_codes([code]) == [own_lot]
    else:
        with pytest.raises(UnknownLotError, match="找不到以下批次"):
            lots_for_codes([code])


def test_no_module_splits_lot_codes_by_hand():
    from pathlib import Path

    from django.conf import settings

    for app in ("traceability", "marketplace", "catalog", "search", "cms"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            text = path.read_text()
            for pattern in ('[14] == "-"', "[:14]", "[15:]", '.partition("-")'):
                if pattern in text and path.name != "codes.py" and not path.match("search/facets.py"):
                    pytest.fail(f"{path} splits a code by hand ({pattern}); use traceability.codes.parse_lot_code")
