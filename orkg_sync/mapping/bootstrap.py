"""`init` end to end: read the comparison and its templates, guess the columns, write the draft files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orkg_sync.atomic import atomic_write_bytes
from orkg_sync.client.api import OrkgApi
from orkg_sync.errors import InputError
from orkg_sync.mapping import draft
from orkg_sync.mapping.config import Mapping
from orkg_sync.mapping.generic import live_sources
from orkg_sync.mapping.init import Column, NestedGuess, analyse, analyse_nested
from orkg_sync.mapping.templates import templates_for_class
from orkg_sync.snapshot import Snapshot


@dataclass
class InitResult:
    comparison: str
    sources: int
    columns: list[Column]
    templates: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    nested: list[NestedGuess] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "comparison": self.comparison,
            "sources": self.sources,
            "templates": self.templates,
            "files": sorted(self.files),
            "columns": [
                {
                    "predicate": c.pid,
                    "label": c.label,
                    "rule": c.rule,
                    "kind": c.kind,
                    "confidence": c.confidence,
                }
                for c in self.columns
            ],
            "nested": [
                {"path": g.path, "label": g.column.label, "rule": g.column.rule, "kind": g.column.kind}
                for g in self.nested
            ],
        }


def empty_mapping(comparison: str) -> Mapping:
    """A mapping that names nothing: reading with it keeps every column for the generic mapping."""
    return Mapping("init", comparison, "", ["osync:Source"], [], [], Path("<init>"))


def source_templates(api: OrkgApi, snapshot: Snapshot, sources: list[str]) -> list[dict[str, Any]]:
    """The ORKG templates whose target class is a class of a source (one request per class)."""
    classes = sorted({c for s in sources for c in (snapshot.resources.get(s) or {}).get("classes") or []})
    found: dict[str, dict[str, Any]] = {}
    for klass in classes:
        for tpl in templates_for_class(api, klass):
            found.setdefault(str(tpl["id"]), tpl)
    return [found[k] for k in sorted(found)]


def draft_files(
    snapshot: Snapshot,
    columns: list[Column],
    host: str,
    base: str,
    templates: list[str],
    nested: list[NestedGuess],
) -> dict[str, bytes]:
    cid = str(snapshot.comparison.get("id"))
    comp = snapshot.resources.get(cid) or {}
    title = str(comp.get("label") or cid)
    n = len(live_sources(snapshot, cid))
    files = {
        "mapping.toml": draft.mapping_toml(cid.lower(), cid, title, base, host, columns, nested).encode(),
        "ontology.ttl": draft.ontology_ttl(base, title, columns, nested),
        "shapes.ttl": draft.shapes_ttl(base, columns, n, nested),
        "README.md": draft.readme(cid, title, host, columns, n, templates, nested).encode(),
    }
    for col in columns:
        if col.rule == "concepts":
            files[f"vocab/{col.slug}.ttl"] = draft.vocab_ttl(base, col)
    return files


def initialise(
    api: OrkgApi, comparison: str, out: Path, *, host: str, base: str | None = None, force: bool = False
) -> InitResult:
    """Read, guess, and write OUT's files (each atomically); nothing is written when reading fails."""
    from orkg_sync.pull.reader import read_comparison

    if (out / "mapping.toml").exists() and not force:
        raise InputError(f"{out / 'mapping.toml'} exists (an earlier init); use --force to overwrite it")
    snapshot = read_comparison(api, comparison, empty_mapping(comparison), host=host)
    sources = live_sources(snapshot, comparison)
    templates = source_templates(api, snapshot, sources)
    columns = analyse(snapshot, templates)
    base = base or f"https://w3id.org/orkg-sync/{comparison.lower()}/"
    if not base.endswith(("/", "#")):
        raise InputError(f"--base {base!r} must end with '/' or '#'")
    names = [str(t["id"]) for t in templates]
    nested = analyse_nested(snapshot, columns)
    files = draft_files(snapshot, columns, host, base, names, nested)
    result = InitResult(comparison, len(sources), columns, names, files, nested)
    for name, data in result.files.items():
        atomic_write_bytes(out / name, data)
    return result
