"""POST /results: the count in, validity, the elected, ties and further rounds out, each with its rule."""

from __future__ import annotations

from flask import Response, json
from pydantic import ValidationError

from ..domain.results import ResultsInput, compute_results
from ..validation import invalid
from . import bp
from .documents import read_json_body


@bp.post("/results")
def results() -> Response:
    """Apply the rule set and province profile to one count."""
    body = read_json_body()
    try:
        data = ResultsInput.model_validate(body)
    except ValidationError as exc:
        raise invalid(exc) from None
    return Response(json.dumps(compute_results(data), ensure_ascii=False), mimetype="application/json")
