"""Templates (template.v1): GET /api/templates[/{id}], read from the graph (see templates.py)."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request

from orkg_sync.sandbox import templates

MT_TEMPLATE = "application/vnd.orkg.template.v1+json"


def register(app: Flask, c: Any) -> None:
    store = c.store

    @app.get("/api/templates/<tid>")
    def get_template(tid: str) -> Response:
        mt = c.negotiate(MT_TEMPLATE)
        t = store.thing(tid)
        if not templates.is_template(t):
            c.fail(404, "template_not_found", f'Template "{tid}" not found.', template_id=tid)
        return c.json_resp(templates.template_repr(store, t), mt)

    @app.get("/api/templates")
    def list_templates() -> Response:
        mt = c.negotiate(MT_TEMPLATE)
        items = [t for t in store.things("resource") if templates.is_template(t)]
        items = [t for t in c.common_filters(items) if templates.matches(store, t, request.args)]
        items, fuzzy = c.label_filter(items)
        resp = c.page(
            [templates.template_repr(store, t) for t in items],
            "resource",
            sortable=not fuzzy,
            default="created_at" if not fuzzy else "__keep",
        )
        resp.mimetype = mt
        return resp
