"""CURIE expansion and slugs of the RDF data contract (the namespaces themselves: orkg_sync.namespaces)."""

from __future__ import annotations

import re

from orkg_sync.namespaces import PREFIXES, R790020_BASE

DEFAULT_BASE = R790020_BASE

_SLUG_RE = re.compile(r"[^a-z0-9]+")


def expand(curie: str) -> str:
    """Expand ``prefix:local`` with :data:`PREFIXES`; a full IRI passes through."""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    if curie.startswith(("http://", "https://")):
        return curie
    raise ValueError(f"unknown prefix in {curie!r}")


def slug(text: str) -> str:
    """Contract slug: lower-case, runs outside [a-z0-9] -> '-', trimmed."""
    return _SLUG_RE.sub("-", text.lower()).strip("-")


__all__ = ["DEFAULT_BASE", "PREFIXES", "expand", "slug"]
