"""schemathesis against /openapi.json, in process: no 5xx, every status documented, every response matching
its documented media type, headers and schema — for valid input and for input that breaks the schema.

Bounded for CI; the full run (many more examples, against gunicorn) is ``scripts/suite schemathesis``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import create_app, keys
from service.api.openapi import spec
from service.render.pool import RenderPool

FULL = os.environ.get("SUITE_FULL") == "1"  # scripts/suite sets it: many more examples
SCHEMA = schemathesis.openapi.from_dict(spec())
OPERATIONS = [
    (path, method, mode)
    for path, item in spec()["paths"].items()
    for method, op in item.items()
    for mode in schemathesis.GenerationMode
    # an operation that takes no input cannot be sent input that breaks its schema
    if mode is schemathesis.GenerationMode.POSITIVE or op.get("parameters") or op.get("requestBody")
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Input the schema allows may still break an election rule (more seats than candidates): a documented 422, so
# schemathesis' positive_data_acceptance does not apply. Input the schema forbids must be refused.
MODES = {
    schemathesis.GenerationMode.POSITIVE: CHECKS,
    schemathesis.GenerationMode.NEGATIVE: [*CHECKS, negative_data_rejection],
}


@pytest.fixture
def secured(tmp_path: Path, render_pool: RenderPool) -> tuple[Flask, str]:
    """An app with keys required, as in production, and an admin key for it."""
    app = create_app({"TESTING": True, "AUTH_REQUIRED": True, "INSTANCE_DIR": str(tmp_path / "instance")})
    app.extensions["render_pool"] = render_pool
    return app, keys.create(app.extensions["db"], "fuzz", ("admin",), None, created_by="test")


@pytest.mark.parametrize(
    ("path", "method", "mode"), OPERATIONS, ids=[f"{m.upper()} {p} {g.value}" for p, m, g in OPERATIONS]
)
def test_api_matches_its_description(
    secured: tuple[Flask, str], path: str, method: str, mode: schemathesis.GenerationMode
) -> None:
    app, key = secured
    operation = SCHEMA[path][method.upper()]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=200 if FULL else 8,
        derandomize=not FULL,  # CI sees the same examples every run; the full suite explores
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: schemathesis.Case) -> None:
        # a generated bearer token is swapped for the real key, so the call reaches the endpoint's own checks;
        # a case whose broken part is the missing Authorization header keeps it missing and must get 401
        if case.headers and "Authorization" in case.headers:
            case.headers["Authorization"] = f"Bearer {key}"
        case.call_and_validate(app=app, checks=MODES[mode])

    run()
