"""The log's and the witness's keys, from the environment (never from the database).

A key is given as base64 of the 32-byte Ed25519 seed or as PEM, in the variable itself
(``TLOG_SIGNING_KEY``, ``TLOG_WITNESS_KEY``) or in a file (``…_FILE``). Development,
demo and test runs without keys get key files under ``VAR_DIR``; production refuses to
sign without a configured key. The witness normally runs elsewhere: then only its public
verifier key (``TLOG_WITNESS_VKEY``) is configured here.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from traceability.transparency import note


def origin() -> str:
    return settings.TLOG_ORIGIN or f"{urlparse(settings.SITE_URL).netloc or 'silver-market'}/tlog"


def witness_name() -> str:
    return settings.TLOG_WITNESS_NAME or f"{urlparse(settings.SITE_URL).netloc or 'silver-market'}/regulator-witness"


def _load(value: str, path: str, *, what: str, dev_file: str) -> Ed25519PrivateKey:
    if value:
        return note.load_private_key(value)
    if path:
        try:
            return note.load_private_key(Path(path).read_bytes())
        except OSError as error:
            raise ImproperlyConfigured(f"cannot read the {what} key file {path}: {error}") from error
    if not settings.TLOG_DEV_KEYS:
        raise ImproperlyConfigured(f"the {what} key is not configured (see README: transparency log)")
    dev_path = Path(settings.VAR_DIR) / dev_file
    if not dev_path.exists():
        dev_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(dev_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(note.private_key_text(Ed25519PrivateKey.generate()))
    return note.load_private_key(dev_path.read_bytes())


def log_key() -> Ed25519PrivateKey:
    return _load(settings.TLOG_SIGNING_KEY, settings.TLOG_SIGNING_KEY_FILE, what="log signing",
                 dev_file="tlog_signing_key")


def witness_key() -> Ed25519PrivateKey:
    return _load(settings.TLOG_WITNESS_KEY, settings.TLOG_WITNESS_KEY_FILE, what="witness",
                 dev_file="tlog_witness_key")


def log_verifier() -> note.Verifier:
    return note.verifier_for(log_key(), origin())


def witness_verifier() -> note.Verifier:
    if settings.TLOG_WITNESS_VKEY:
        return note.parse_verifier(settings.TLOG_WITNESS_VKEY, algorithm=note.ALG_COSIGNATURE_V1)
    return note.verifier_for(witness_key(), witness_name(), algorithm=note.ALG_COSIGNATURE_V1)
