"""One blueprint per resource family of the ORKG REST API, plus the sandbox's control routes."""

from __future__ import annotations

from flask import Blueprint

from orkg_sync.sandbox.blueprints import (
    comparisons,
    control,
    keycloak,
    kinds,
    papers,
    resources,
    statements,
    tables,
    templates,
    things,
)

BLUEPRINTS: list[Blueprint] = [
    keycloak.bp,
    control.bp,
    resources.bp,
    kinds.bp,
    things.bp,
    statements.bp,
    papers.bp,
    comparisons.bp,
    tables.bp,
    templates.bp,
]
