"""Lots, commitment versions and regulator actions reach the log wherever they are created.

Lots and commitments are created in several places (the merchant workspace, the admin,
the demo seed, tests); a ``post_save`` receiver catches every one of them, inside the
transaction that creates the row when there is one, and queues its leaf there (see
``log``: the leaf gets its index shortly after commit). Events are queued by
``chain.record_event`` itself; bulk loaders call ``log.append_bulk_lots`` / ``bulk_append``.
"""

from django.db.models.signals import post_save


def _lot_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from traceability.transparency import log

        log.append_lot(instance)


def _commitment_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from traceability.transparency import log

        log.append_commitment(instance)


def _audit_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from traceability.transparency import log

        log.append_regulator_action(instance)


def connect() -> None:
    from traceability.models import AuditEntry, Lot, QualityCommitment

    post_save.connect(_lot_created, sender=Lot, dispatch_uid="tlog_lot")
    post_save.connect(_commitment_created, sender=QualityCommitment, dispatch_uid="tlog_commitment")
    post_save.connect(_audit_created, sender=AuditEntry, dispatch_uid="tlog_audit")
