"""The Flask application: blueprints per resource family, one problem+json handler, request hooks."""

from __future__ import annotations

from flask import Flask

from orkg_sync.sandbox import hooks, problems
from orkg_sync.sandbox.blueprints import BLUEPRINTS
from orkg_sync.sandbox.state import Sandbox, install


def create_app(sandbox: Sandbox) -> Flask:
    app = Flask("orkg_sandbox")
    app.url_map.strict_slashes = False
    app.json.sort_keys = False  # type: ignore[attr-defined]
    install(app, sandbox)
    problems.register(app)
    hooks.install(app)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    return app
