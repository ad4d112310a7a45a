"""How the live comparison (its head) differs from the frozen table of its published version.

Two requests: the published version's `/contents` (frozen at publication) and the head's `/contents`
(computed from the sources' statements at request time). Cells are compared as sets of labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orkg_sync.client.api import OrkgApi
from orkg_sync.errors import InputError


@dataclass(frozen=True)
class Drift:
    kind: str  # value | source-added | source-removed
    source: str
    label: str
    column: str | None
    published: tuple[str, ...]
    live: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "label": self.label,
            "column": self.column,
            "published": list(self.published),
            "live": list(self.live),
        }


def _cells(
    contents: dict[str, Any],
) -> tuple[dict[str, str], dict[str, str], dict[tuple[str, str], set[str]]]:
    """(source id -> label, path id -> column label, (source, path) -> labels) of a table."""
    columns: list[dict[str, Any]] = []
    for title, sub in zip(contents.get("titles", []), contents.get("subtitles", []), strict=False):
        columns.append(sub or title)
    sources = {c["id"]: c["label"] for c in columns if c}
    paths = {p["id"]: p["label"] for p in contents.get("selected_paths", [])}
    cells: dict[tuple[str, str], set[str]] = {}
    for pid, rows in contents.get("values", {}).items():
        for row in rows:
            for i, value in enumerate(row.get("values", [])):
                if value is not None and i < len(columns) and columns[i]:
                    cells.setdefault((columns[i]["id"], pid), set()).add(str(value.get("label")))
    return sources, paths, cells


def against_published(api: OrkgApi, comparison_id: str) -> tuple[str, str, list[Drift]]:
    comp = api.comparison(comparison_id)
    versions = comp.get("versions") or {}
    head = str((versions.get("head") or {}).get("id") or comparison_id)
    if comp.get("published"):
        published = comparison_id
    else:
        listed = versions.get("published") or []
        if not listed:
            raise InputError(f"comparison {comparison_id} has no published version to compare with")
        published = str(listed[0]["id"])  # newest first
    frozen_src, paths, frozen = _cells(api.comparison_contents(published))
    live_src, live_paths, live = _cells(api.comparison_contents(head))
    paths.update(live_paths)
    out: list[Drift] = []
    for s in sorted(set(live_src) - set(frozen_src)):
        out.append(Drift("source-added", s, live_src[s], None, (), ()))
    for s in sorted(set(frozen_src) - set(live_src)):
        out.append(Drift("source-removed", s, frozen_src[s], None, (), ()))
    for s in sorted(set(live_src) & set(frozen_src)):
        for pid in sorted(paths):
            a, b = frozen.get((s, pid), set()), live.get((s, pid), set())
            if a != b:
                out.append(Drift("value", s, live_src[s], paths[pid], tuple(sorted(a)), tuple(sorted(b))))
    return published, head, out
