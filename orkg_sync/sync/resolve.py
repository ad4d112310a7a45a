"""Conflict resolution per cell: take local (write ours to ORKG) or remote (write ORKG's into the dataset).

``--prefer`` is the default for every conflicting cell; ``orkg-sync resolve MODEL COLUMN --take`` picks
one cell. Taking remote rewrites the local dataset file, so afterwards ``diff`` shows the cell as in
sync instead of the conflict coming back on every push.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from orkg_sync import export
from orkg_sync.atomic import atomic_write_bytes, atomic_write_text
from orkg_sync.errors import InputError
from orkg_sync.mapping import Mapping
from orkg_sync.store import DatasetStore
from orkg_sync.sync.diff import Change
from orkg_sync.sync.values import ModelState, companions, term


def take_remote(
    path: Path,
    store: DatasetStore,
    cells: list[tuple[Change, Change]],
    local: dict[str, ModelState],
    base_iri: str,
    mapping: Mapping,
) -> None:
    """Write the remote side of each conflicting cell into the local dataset file (atomically)."""
    g = store.store
    extra_of = companions(mapping)
    for lc, rc in cells:
        state = local.get(lc.model)
        if state is None:
            continue
        s = ox.NamedNode(state.iri)
        if rc.kind == "model-removed":  # removed on ORKG: drop it here too
            for q in list(g.quads_for_pattern(s, None, None, None)):
                g.remove(q)
            continue
        assert lc.column is not None
        extra = dict(extra_of.get(lc.column, []))  # e.g. {"min": slm:minNumberOfParameters, ...}
        preds = [lc.column, *extra.values()]
        for p in preds:
            for q in list(g.quads_for_pattern(s, ox.NamedNode(p), None, None)):
                g.remove(q)
        for v in sorted(rc.after):
            pred = lc.column
            tag, _, rest = v.partition(" ")
            if tag in extra and rest:
                pred, v = extra[tag], rest
            g.add(ox.Quad(s, ox.NamedNode(pred), term(v)))
    atomic_write_bytes(path, serialize(store, path, base_iri))


def serialize(store: DatasetStore, path: Path, base_iri: str) -> bytes:
    if path.suffix in (".ttl", ".turtle"):
        return export.to_turtle(store, base_iri)
    if path.suffix in (".jsonld", ".json"):
        return export.to_jsonld(store, base=base_iri)
    raise InputError(f"{path}: can only write the remote values back into Turtle or JSON-LD")


RESOLUTIONS = "resolutions.json"


def load_resolutions(state: Path) -> dict[tuple[str, str], list[str]]:
    """(model, column) -> the remote values seen when `resolve --take local` was run for that cell."""
    path = state / RESOLUTIONS
    if not path.is_file():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {(r["model"], r["column"]): r["remote"] for r in doc.get("cells", [])}


def save_resolution(state: Path, model: str, column: str, remote: list[str]) -> None:
    found = load_resolutions(state)
    found[(model, column)] = remote
    cells = [{"model": m, "column": c, "remote": r} for (m, c), r in sorted(found.items())]
    atomic_write_text(state / RESOLUTIONS, json.dumps({"cells": cells}, indent=2, sort_keys=True) + "\n")


def taken_local(conflicts: list[tuple[Change, Change]], state: Path) -> list[tuple[Change, Change]]:
    """The conflicts resolved as local per cell, while ORKG still holds what was seen then."""
    chosen = load_resolutions(state)
    return [(lc, rc) for lc, rc in conflicts if chosen.get((lc.model, lc.column or "")) == sorted(rc.after)]


def find_cell(conflicts: list[tuple[Change, Change]], model: str, column: str) -> tuple[Change, Change]:
    """The conflict named by a model (label or contribution id) and a column (IRI or local name)."""

    def model_ok(c: Change) -> bool:
        return (
            model in (c.model, c.label)
            or c.model.lower() == model.lower()
            or c.label.lower() == model.lower()
        )

    def column_ok(c: Change) -> bool:
        col = c.column or "model"
        short = col.rsplit("#", 1)[-1]
        # a generic or nested column's IRI ends in its path: `symbol` or `unit/symbol` names it
        return column in (col, short) or column.lower() == short.lower() or col.endswith("/" + column)

    for lc, rc in conflicts:
        if model_ok(lc) and column_ok(lc):
            return lc, rc
    names = "; ".join(f"{lc.label} {(lc.column or 'model').rsplit('#', 1)[-1]}" for lc, _ in conflicts[:5])
    raise InputError(
        f"no conflict at {model} / {column}"
        + (f" (conflicts: {names})" if names else " (there are no conflicts)")
    )
