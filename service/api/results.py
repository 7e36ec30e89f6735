"""POST /results: the count in, validity, the elected, ties and further rounds out, each with its rule."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, json
from pydantic import ValidationError

from .. import audit
from ..domain.results import ResultsInput, compute_results
from ..validation import invalid
from . import bp
from .documents import read_json_body
from .problems import request_lang


@bp.post("/results")
def results() -> Response:
    """Apply the rule set and province profile to one count."""
    body = read_json_body()
    try:
        data = ResultsInput.model_validate(body)
    except ValidationError as exc:
        raise invalid(exc) from None
    out = json.dumps(compute_results(data), ensure_ascii=False).encode()
    sha256 = hashlib.sha256(out).hexdigest()
    detail = {"rule_set": data.rule_set, "profile": data.profile, "round": data.round, "electorate": data.electorate}
    audit.record(current_app.extensions["db"], f"results.{data.rule_set}", "json", request_lang(), sha256, len(out),
                 detail)
    resp = Response(out, mimetype="application/json")
    resp.headers["X-Content-SHA256"] = sha256  # the hash the audit log keeps, to match a saved answer to its entry
    return resp
