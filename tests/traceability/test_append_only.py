"""Events, quality commitments and audit entries can be added, never changed or deleted."""

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from tests import factories
from traceability.models import AppendOnlyError, AuditEntry, QualityCommitment, TraceEvent


def make_event():
    return factories.lot(product_=factories.product(), events=1).events.get()


def make_commitment():
    return factories.commitment(partner=factories.merchant())


def make_audit_entry():
    return AuditEntry.objects.create(action="verify_lot", target_type="lot", target_id="1", target_label="批次")


MAKERS = {
    "event": (make_event, "responsible_party"),
    "commitment": (make_commitment, "quality_promise"),
    "audit": (make_audit_entry, "reason"),
}
RAW_UPDATE = {
    TraceEvent: "responsible_party",
    QualityCommitment: "quality_promise",
    AuditEntry: "reason",
}


@pytest.fixture(params=list(MAKERS))
def record(request, db):
    make, field = MAKERS[request.param]
    return make(), field


def test_save_of_an_existing_record_raises(record):
    obj, field = record
    setattr(obj, field, "改过")
    with pytest.raises(AppendOnlyError):
        obj.save()


def test_delete_raises(record):
    obj, _field = record
    with pytest.raises(AppendOnlyError):
        obj.delete()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_queryset_update_delete_and_bulk_update_raise(record):
    obj, field = record
    model = type(obj)
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=obj.pk).update(**{field: "改过"})
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=obj.pk).delete()
    setattr(obj, field, "改过")
    with pytest.raises(AppendOnlyError):
        model.objects.bulk_update([obj], [field])
    obj.refresh_from_db()
    assert getattr(obj, field) != "改过"


def assert_database_refuses(obj, field):
    table = type(obj)._meta.db_table
    pk = type(obj)._meta.pk.get_db_prep_value(obj.pk, connection)
    for sql, params in (
        (f"UPDATE {table} SET {field} = %s WHERE id = %s", ["改过", pk]),
        (f"DELETE FROM {table} WHERE id = %s", [pk]),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    obj.refresh_from_db()
    assert getattr(obj, field) != "改过"


def test_raw_sql_update_and_delete_are_refused_by_sqlite(sqlite, record):
    assert_database_refuses(*record)


@pytest.mark.parametrize("maker", list(MAKERS))
def test_raw_sql_update_and_delete_are_refused_by_postgresql(postgres, maker):
    make, field = MAKERS[maker]
    assert_database_refuses(make(), field)


def test_postgresql_refuses_truncate(postgres):
    make_event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TraceEvent._meta.db_table} CASCADE")


@pytest.mark.django_db
@pytest.mark.parametrize("model", [TraceEvent, QualityCommitment, AuditEntry])
def test_admin_gives_no_change_or_delete_permission(model):
    superuser = factories.user(is_superuser=True, is_staff=True)
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_add_permission(request) == (model is QualityCommitment)
