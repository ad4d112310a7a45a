"""Nested table rows in sync: the ORKG resources a comparison reaches through a table path with children,
as rows of their own (keyed by ORKG resource id), at every depth.

A nested row's cells are its child predicates' values, stated on the resource's ORKG IRI (``orkgr:R…``);
its name is the resource's ``rdfs:label``. Diff compares them like a model's cells, the plan writes them
through the statements the sync base recorded, and the applier's compare-and-set re-reads the resource
itself. What does not map onto one ORKG statement is refused, one line naming the cell: a nested value on
a subject that no table path reaches from a source (a model, a new IRI, a resource the last pull did not
reach through that path), and values on a row the last pull did not reach.
"""

from __future__ import annotations

from typing import Any

from orkg_sync.errors import InputError
from orkg_sync.mapping import Mapping
from orkg_sync.namespaces import ORKG_RESOURCE
from orkg_sync.sync.values import LABEL, ModelState, lexical

Cells = dict[str, dict[str, set[str]]]  # subject IRI -> property IRI -> N-Triples objects


def reach(cells: Cells, models: set[str], mapping: Mapping) -> dict[str, set[str]]:
    """Parent path -> the subject IRIs its nested rows are stated on, followed from the models."""
    prop_of = {n.parent_path: n.parent for n in mapping.nested}
    memo: dict[str, set[str]] = {}

    def walk(path: str) -> set[str]:
        if path not in memo:
            subjects = walk(path.rsplit("/", 1)[0]) if "/" in path else models
            prop = prop_of.get(path, "")
            memo[path] = {
                o[1:-1] for s in subjects for o in cells.get(s, {}).get(prop, ()) if o.startswith("<")
            }
        return memo[path]

    for path in prop_of:
        walk(path)
    return memo


def nested_states(cells: Cells, models: dict[str, ModelState], mapping: Mapping) -> dict[str, ModelState]:
    """The nested rows of a graph, plus (as ``strays``) the nested values no table path accounts for."""
    out: dict[str, ModelState] = {}
    if not mapping.nested:
        return out
    by_iri = {m.iri: m for m in models.values()}
    reached = reach(cells, set(by_iri), mapping)
    used: set[tuple[str, str]] = set()
    for col in mapping.nested:
        prop = col.mapping.property
        for iri in sorted(reached.get(col.parent_path, ())):
            row = by_iri.get(iri) or out.get(_key(iri)) or _row(iri, cells)
            if row.key not in models:
                out[row.key] = row
            used.add((iri, prop))
            if cells.get(iri, {}).get(prop):
                row.values[prop] = frozenset(cells[iri][prop])
    nested_props = {n.mapping.property for n in mapping.nested}
    for iri, props in sorted(cells.items()):
        for prop in sorted(nested_props & set(props)):
            if (iri, prop) in used:
                continue
            row = by_iri.get(iri) or out.setdefault(_key(iri), _row(iri, cells))
            row.strays = (*row.strays, prop)
            if row.nested:  # e.g. a row unlinked from its parent cell but left in the file: compared
                row.values[prop] = frozenset(cells[iri][prop])
    return out


def _key(iri: str) -> str:
    return iri.removeprefix(ORKG_RESOURCE) if iri.startswith(ORKG_RESOURCE) else f"new:{iri}"


def _row(iri: str, cells: Cells) -> ModelState:
    labels = cells.get(iri, {}).get(LABEL, set())
    row = ModelState(_key(iri), iri, lexical(min(labels)) if labels else "", nested=True)
    if labels:
        row.values[LABEL] = frozenset(labels)
    return row


def column_label(mapping: Mapping, column: str) -> str | None:
    """``has outcome / unit / symbol`` for a nested column (None for any other)."""
    col = mapping.nested_column(column)
    if col is None:
        return None
    parent = column_label(mapping, col.parent) or next(
        (pm.orkg_label for pm in mapping.properties if pm.property == col.parent), col.parent
    )
    return f"{parent} / {col.mapping.orkg_label}"


def refuse_strays(local: dict[str, ModelState], base: dict[str, ModelState], mapping: Mapping) -> None:
    """A nested value that no table path reaches (on a model, a blank node, a new IRI, a resource reached
    through another path) would be written nowhere the comparison shows: refuse it (exit 2). A cell the
    base has stays comparable when its row's parent cell no longer links it (its ORKG statements are
    still there: left in the file unchanged, it is no change)."""
    for state in local.values():
        known = base.get(state.key)
        for prop in state.strays:
            if known is not None and known.nested and state.nested and prop in known.values:
                continue
            col = mapping.nested_column(prop)
            raise InputError(
                f"{state.iri} / {column_label(mapping, prop)}: a nested value on a subject that the table "
                f"path {col.path if col else prop} does not reach from any source (link it from "
                "its parent cell first, or remove it); nothing was written"
            )


def refuse_unknown_rows(
    changes: list[Any], base: Any, local: dict[str, ModelState], mapping: Mapping
) -> None:
    """Values on a nested row that ORKG did not show at the last read (a resource newly linked, or one
    made locally) have no recorded statements to write through: refuse them (exit 2)."""
    for ch in changes:
        state = local.get(ch.model)
        if state is None or not state.nested or ch.model in base.nested or ch.model in base.models:
            continue
        what = "a new resource" if ch.model.startswith("new:") else f"ORKG resource {ch.model}"
        raise InputError(
            f"{state.iri} / {column_label(mapping, ch.column or '') or 'name'}: values on {what}, which no "
            "source reached at the last pull; adding a nested row is not supported (create it on ORKG, "
            "pull, then edit its cells); nothing was pushed"
        )
