"""schemathesis against the OpenAPI document, in process (WSGI), with a regulator's and a merchant's token.

No operation may answer 500, and every answer must match the document: status code,
content type, headers and body schema (problem+json included). Kept small: the example
and fuzzing phases only, a few examples per operation.
"""

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CONFIG = SchemathesisConfig.from_dict({
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "generation": {"max-examples": 12},
})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture
def fuzz_world(world, settings):
    """The world, with the WSGI handler kept from closing the test's connection after each request
    (as Django's test client does), so every request sees the test's transaction."""
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    world.hits = 0
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield world
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis.settings(max_examples=12, deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_the_api_matches_its_openapi_document(case, fuzz_world):
    world = fuzz_world
    merchant_side = case.path.startswith(("/api/v1/merchant/", "/api/v1/epcis/capture"))
    secret = world.secrets["merchant_a" if merchant_side else "regulator"]
    # Every other example names real objects, so the answers are not all 404.
    world.hits += 1
    if world.hits % 2 and case.path_parameters:
        if "code" in case.path_parameters:
            case.path_parameters["code"] = world.lot_a.code
        if "line_id" in case.path_parameters:
            case.path_parameters["line_id"] = world.line_a.pk
        if "listing_id" in case.path_parameters:
            case.path_parameters["listing_id"] = world.listing_a.pk
        if "report_id" in case.path_parameters:
            case.path_parameters["report_id"] = world.report.pk
    # The site gzips responses for clients that accept it; schemathesis's WSGI client would
    # then read compressed bytes as the body, so it asks for them plain.
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"},
                           checks=CHECKS)
