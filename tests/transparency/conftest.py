import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def _seed() -> str:
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    return base64.b64encode(raw).decode()


@pytest.fixture(autouse=True)
def tlog_keys(settings):
    """Fresh log and witness keys for each test, given as the environment would give them."""
    settings.TLOG_ORIGIN = "shop.example.cn/tlog"
    settings.TLOG_SIGNING_KEY = _seed()
    settings.TLOG_WITNESS_KEY = _seed()
    settings.TLOG_WITNESS_NAME = "samr.jl.example/witness"
    settings.TLOG_WITNESS_VKEY = ""
    return settings


@pytest.fixture
def lot(db, django_capture_on_commit_callbacks):
    """A lot with four events, integrated into the log as after a real commit.

    Tests run inside a transaction that never commits, so the after-commit integration
    (``log.append_many``) is captured and run here, the same code production runs.
    """
    from tests import factories

    with django_capture_on_commit_callbacks(execute=True):
        item = factories.product(title="长白山林下参", title_en="Changbai forest ginseng")
        factories.listing(product_=item)
        return factories.lot(product_=item, events=4)
