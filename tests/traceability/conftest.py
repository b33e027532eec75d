"""Shared fixtures for traceability tests."""

import json
import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import need

# GS1's EPCIS 2.0 JSON schema, kept in the repository (from ../shared/reference/epcis/).
SCHEMA_PATH = Path(os.environ.get("EPCIS_SCHEMA", settings.BASE_DIR / "traceability" / "schema" / "EPCIS-JSON-Schema.json"))
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


@pytest.fixture(scope="session")
def epcis_validator():
    import jsonschema

    need(SCHEMA_PATH.exists(), f"EPCIS JSON schema not found at {SCHEMA_PATH} (set EPCIS_SCHEMA)")
    schema = json.loads(SCHEMA_PATH.read_text())
    # The schema names formats; check them strictly, not only when optional packages are installed.
    formats = jsonschema.FormatChecker()
    formats.checks("uri")(lambda value: not isinstance(value, str) or bool(URI.match(value)))
    formats.checks("date-time")(_is_rfc3339)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=formats)


def _is_rfc3339(value) -> bool:
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True
