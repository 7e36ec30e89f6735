"""Fixtures: an app built with create_app({...}) inside a temporary instance folder, and its client."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from service.render.pool import RenderPool

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def render_pool() -> Iterator[RenderPool]:
    """One pool of PDF workers for the whole test session (starting workers costs about a second)."""
    pool = RenderPool(2)
    yield pool
    pool.close()


@pytest.fixture
def app(tmp_path: Path, render_pool: RenderPool) -> Flask:
    """An app whose database and outputs live in a temporary folder."""
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "instance")})
    app.extensions["render_pool"] = render_pool
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def no_weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test if WeasyPrint logs a warning in this process that the test did not expect."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    noisy = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]
    assert not noisy, noisy
