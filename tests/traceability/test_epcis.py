import csv
import io
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests import factories
from traceability import chain, csv_export, epcis
from traceability.models import Lot, TraceEvent

GLN = "6901234000017"


@pytest.fixture
def validator(epcis_validator):
    return epcis_validator


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors[:10])


def test_the_validator_rejects_a_broken_document(validator):
    """Guards the tests below: a validator that accepts anything would prove nothing."""
    document = {"@context": epcis.CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
                "creationDate": "2025-09-01T08:00:00+08:00", "epcisBody": {"eventList": [
                    {"type": "ObjectEvent", "eventTime": "2025-09-01T08:00:00+08:00",
                     "eventTimeZoneOffset": "+08:00", "action": "ADD", "bizStep": "harvesting",
                     "quantityList": [{"epcClass": "not a uri"}]}]}}
    assert len(list(validator.iter_errors(document))) >= 2


@pytest.fixture
def lots(db):
    """A lot with an event of every kind, GLN and none, an inspection report and a correction."""
    actor = factories.user()
    product = factories.product()
    lot = factories.lot(product_=product, events=0)
    start = timezone.now() - timedelta(days=60)
    events = {}
    for index, kind in enumerate(chain.KIND_EPCIS):
        events[kind] = chain.record_event(
            lot=lot, kind=kind, event_time=start + timedelta(days=index), responsible_party="抚松县参农合作社",
            county="抚松县" if index % 2 else "", location_name="万良镇" if index % 3 else "",
            location_gln=GLN if index % 2 == 0 else "",
            disposition="conformant" if kind in {"inspection", "quarantine"} else "",
            data=_data_for(kind),
            attachment=ContentFile(b"%PDF-1.4 report", name="检验报告.pdf") if kind == "inspection" else None,
            actor=actor,
        )
    chain.record_event(
        lot=lot, kind="harvest", event_time=start, responsible_party="抚松县参农合作社",
        data={"harvest_date": "2025-09-21", "quantity": 120.5, "uom": "KGM"},
        corrects=events["harvest"], correction_reason="incorrect_data", actor=actor,
    )
    other = factories.lot(product_=product, events=2)
    return lot, other


def _data_for(kind):
    if kind == "inspection":
        return {"laboratory": "吉林省产品质量监督检验院", "report_number": "JL-2025-0001",
                "tests": [{"item": "总皂苷", "value": 3.4, "limit": "≥3.0", "unit": "%", "passed": True}]}
    if kind == "quarantine":
        return {"certificate_number": "JY2025-001"}
    if kind == "processing":
        return {"input_lot": "06900000000014-FRESH-1", "input_quantity": 50, "input_uom": "KGM",
                "output_quantity": 15, "output_uom": "KGM"}
    if kind == "harvest":
        return {"harvest_date": "2025-09-20", "cultivation": "林下参", "quantity": 120, "uom": "KGM"}
    return {"note": f"{kind} 记录"}


def test_a_document_with_every_kind_of_event_validates(validator, lots):
    lot, _other = lots
    document = epcis.document_for_lots([lot])
    assert_valid(validator, document)
    events = document["epcisBody"]["eventList"]
    # every stored event once, plus the corrected one again with its error declaration
    assert len(events) == lot.events.count() + 1
    types = {event["type"] for event in events}
    assert types == {"ObjectEvent", "TransformationEvent"}
    first = events[0]
    assert first["eventID"] == f"urn:uuid:{lot.events.get(sequence=1).pk}"
    assert first["quantityList"][0]["epcClass"] == f"https://id.gs1.org/01/{lot.gtin}/10/{lot.lot_number}"
    assert {event["eventTimeZoneOffset"] for event in events} == {"+08:00"}


def test_events_map_to_epcis_fields(validator, lots):
    lot, _other = lots
    events = epcis.document_for_lots([lot])["epcisBody"]["eventList"]
    by_kind = {}
    for event in events:
        by_kind.setdefault(event["silver:kind"], event)
    harvest = by_kind["harvest"]
    assert (harvest["action"], harvest["bizStep"]) == ("ADD", "commissioning")
    assert harvest["ilmd"]["cbvmda:harvestStartDate"] == "2025-09-20"
    assert harvest["ilmd"]["cbvmda:itemExpirationDate"] == lot.expires_on.isoformat()
    assert harvest["readPoint"]["id"].startswith(epcis.LOCATION_BASE)  # no GLN: our own location id
    assert by_kind["cutting"]["readPoint"]["id"] == f"https://id.gs1.org/414/{GLN}"
    assert harvest["quantityList"][0] | {} == {"epcClass": epcis.epc_class(lot.gtin, lot.lot_number),
                                              "quantity": 120, "uom": "KGM"}
    assert "ilmd" not in by_kind["storing"]
    assert "bizLocation" not in by_kind["shipping"]
    processing = by_kind["processing"]
    assert "action" not in processing
    assert processing["inputQuantityList"][0]["epcClass"] == "https://id.gs1.org/01/06900000000014/10/FRESH-1"
    assert processing["outputQuantityList"][0]["quantity"] == 15
    inspection = by_kind["inspection"]
    assert inspection["bizStep"] == "inspecting" and inspection["disposition"] == "conformant"
    assert inspection["silver:inspection"]["silver:tests"][0]["silver:value"] == 3.4
    assert inspection["certificationInfo"][0].startswith(settings.SITE_URL + settings.MEDIA_URL)
    assert inspection["silver:reportSha256"] == lot.events.get(kind="inspection").attachment_sha256
    assert by_kind["quarantine"]["certificationInfo"] == ["urn:silver-market:report:JY2025-001"]
    assert by_kind["planting"]["bizStep"].startswith("https://")  # no CBV step for it


def test_a_correction_is_an_error_declaration(validator, lots):
    lot, _other = lots
    document = epcis.document_for_events(TraceEvent.objects.filter(lot=lot, corrects__isnull=False))
    assert_valid(validator, document)
    declared, corrective = document["epcisBody"]["eventList"]
    fix = lot.events.get(corrects__isnull=False)
    wrong = fix.corrects
    assert wrong.kind == "harvest" and wrong.sequence < fix.sequence
    assert declared["eventID"] == f"urn:uuid:{wrong.pk}"
    assert declared["errorDeclaration"]["reason"] == "incorrect_data"
    assert declared["errorDeclaration"]["correctiveEventIDs"] == [f"urn:uuid:{fix.pk}"]
    assert corrective["eventID"] == f"urn:uuid:{fix.pk}" and "errorDeclaration" not in corrective


def test_export_command_writes_a_valid_document(validator, lots):
    lot, other = lots
    out = io.StringIO()
    call_command("export_epcis", "--lot", lot.code, stdout=out)
    document = json.loads(out.getvalue())
    assert_valid(validator, document)
    assert len(document["epcisBody"]["eventList"]) == lot.events.count() + 1

    out = io.StringIO()
    call_command("export_epcis", "--merchant", str(other.merchant.pk), stdout=out)
    assert_valid(validator, json.loads(out.getvalue()))

    out = io.StringIO()
    since = timezone.localdate() - timedelta(days=52)
    call_command("export_epcis", "--since", since.isoformat(), stdout=out)
    document = json.loads(out.getvalue())
    assert_valid(validator, document)
    times = [event["eventTime"] for event in document["epcisBody"]["eventList"] if "errorDeclaration" not in event]
    assert times and min(times) >= since.isoformat()
    assert len(times) < TraceEvent.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("arguments, message", [
    ([], "至少指定一个条件"),
    (["--lot", "06900000000013-NOPE"], "找不到以下批次"),
    (["--lot", "not-a-code"], "找不到以下批次"),
    (["--merchant", "no-such-merchant"], "找不到商家"),
    (["--since", "2025/09/01"], "格式不对"),
])
def test_export_command_rejects_bad_arguments(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_epcis", *arguments, stdout=io.StringIO())


def test_csv_has_a_row_per_event_with_integrity(lots):
    lot, other = lots
    out = io.StringIO()
    rows = csv_export.write_lots_csv([lot, other], out)
    table = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert table[0] == csv_export.HEADER
    assert rows == len(table) - 1 == lot.events.count() + other.events.count()
    first = table[1]
    assert first[0] == lot.code and first[3] == "1" and first[-1] == csv_export.PASSED
    assert first[9] == lot.events.get(sequence=1).hash
    assert {row[-1] for row in table[1:]} == {csv_export.PASSED}


def test_csv_marks_where_a_chain_breaks(lots):
    lot, _other = lots
    Lot.objects.filter(pk=lot.pk).update(lot_number="CHANGED")
    lot.refresh_from_db()
    out = io.StringIO()
    csv_export.write_lots_csv([lot], out, excel_bom=False)
    integrity = [row[-1] for row in list(csv.reader(io.StringIO(out.getvalue())))[1:]]
    assert integrity[0] == csv_export.MISMATCH
    assert set(integrity[1:]) == {csv_export.AFTER_BREAK}
