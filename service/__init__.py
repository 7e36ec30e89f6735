"""election-docs: Word and PDF election paperwork from JSON, as a Flask service."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask

from . import config as settings
from . import db
from .render.pool import RenderPool


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory: embedded defaults, the environment, then ``config``."""
    cfg = settings.load(config)
    app = Flask(__name__, instance_path=cfg["INSTANCE_DIR"])
    app.config.update(cfg)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.extensions["db"] = db.connect(cfg["DATABASE_URL"])
    app.extensions["render_pool"] = RenderPool(cfg["RENDER_WORKERS"], cfg["FONT_DIR"])
    app.extensions["render_slots"] = threading.BoundedSemaphore(cfg["MAX_RENDERS_IN_FLIGHT"])

    from . import auth
    from .api import bp as api_bp
    from .api.meta import bp as meta_bp
    from .api.problems import register as register_problems
    from .cli import keys_group
    from .web import bp as web_bp

    app.register_blueprint(meta_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(web_bp)
    register_problems(app)
    if cfg["BATCH_RUNNER"] == "on" or (cfg["BATCH_RUNNER"] == "auto" and not cfg.get("TESTING")):
        from .batches.runner import Runner

        # the pool is looked up at each claim, so a test (or a reload) may swap it after the app is made
        app.extensions["batch_runner"] = Runner(
            app.config, app.extensions["db"], lambda: app.extensions["render_pool"]
        ).start()
    auth.register(app)
    app.cli.add_command(keys_group)  # flask --app service keys create …
    return app
