"""Locate the shipped ontology, shapes, queries and snapshot.

Works both from a source checkout (top-level ``ontology/``, ``shapes/``, ``data/``) and from an
installed wheel, where the build copies them under ``orkg_sync/_resources/``.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent
_INSTALLED = _PKG / "_resources"
_SOURCE_ROOT = _PKG.parent


def _pick(relative: str) -> Path:
    installed = _INSTALLED / relative
    if installed.exists():
        return installed
    return _SOURCE_ROOT / relative


def ontology_dir() -> Path:
    """Folder with the ontology, SKOS vocabularies and mapping files (Turtle/TOML)."""
    return _pick("ontology")


def shapes_dir() -> Path:
    """Folder with the SHACL shapes."""
    return _pick("shapes")


def default_snapshot() -> Path:
    """The shipped ORKG-native snapshot of comparison R790020 (sandbox IDs)."""
    return _pick("data/r790020.snapshot.json")


def queries_dir() -> Path:
    """Named SPARQL queries shipped inside the package."""
    return _PKG / "queries"
