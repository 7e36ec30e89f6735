"""The JSON API under /api/v1: kinds, their schemas and samples, and documents."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)

from . import audit, batches, documents, kinds, results, templates  # noqa: E402,F401  (routes register themselves on bp)
