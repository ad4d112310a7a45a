"""Three-way diff at (model, column) level: base (last pull) vs local (edited) vs remote (ORKG now)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orkg_sync.sync.values import LABEL, ModelState


@dataclass(frozen=True)
class Change:
    """One (model, column) that differs from the base on one side; ``model`` is the contribution id."""

    kind: str  # value | model-added | model-removed
    model: str
    label: str
    column: str | None
    before: frozenset[str]
    after: frozenset[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "model": self.model,
            "label": self.label,
            "column": self.column,
            "before": sorted(self.before),
            "after": sorted(self.after),
        }


@dataclass
class ThreeWay:
    local: list[Change] = field(default_factory=list)
    remote: list[Change] = field(default_factory=list)
    conflicts: list[tuple[Change, Change]] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return not (self.local or self.remote or self.conflicts)


def two_way(base: dict[str, ModelState], other: dict[str, ModelState], columns: list[str]) -> list[Change]:
    out: list[Change] = []
    for key in sorted(set(base) | set(other)):
        b, o = base.get(key), other.get(key)
        if (b is not None and b.nested) or (o is not None and o.nested):
            out.extend(_row_changes(key, b, o, columns))
            continue
        if b is None and o is not None:
            out.append(Change("model-added", key, o.label, None, frozenset(), frozenset()))
            continue
        if o is None and b is not None:
            out.append(Change("model-removed", key, b.label, None, frozenset(), frozenset()))
            continue
        assert b is not None and o is not None
        for col in columns:
            if b.column(col) != o.column(col):
                out.append(Change("value", key, o.label or b.label, col, b.column(col), o.column(col)))
    return out


def _row_changes(key: str, b: ModelState | None, o: ModelState | None, columns: list[str]) -> list[Change]:
    """A nested row's cells. A row one side does not reach is no change (unlinking it is its parent
    cell's change); a row only the other side reaches is compared with an empty one, its name aside."""
    if o is None:
        return []
    if b is None:
        b, columns = ModelState(key, o.iri, o.label, nested=True), [c for c in columns if c != LABEL]
    label = f"{o.label or b.label} ({key})"  # nested rows' labels repeat (three "Systolic ..." outcomes)
    return [
        Change("value", key, label, col, b.column(col), o.column(col))
        for col in columns
        if b.column(col) != o.column(col)
    ]


def three_way(
    base: dict[str, ModelState],
    local: dict[str, ModelState],
    remote: dict[str, ModelState] | None,
    columns: list[str],
) -> ThreeWay:
    """Changes on each side since the base; a conflict is the same cell changed differently on both."""
    result = ThreeWay(local=two_way(base, local, columns))
    if remote is None:
        return result
    remote_changes = two_way(base, remote, columns)
    by_cell = {(c.model, c.column, c.kind): c for c in remote_changes}
    keep_local: list[Change] = []
    same: set[tuple[str, str | None, str]] = set()
    for lc in result.local:
        rc = by_cell.get((lc.model, lc.column, lc.kind))
        if rc is None:
            # a local value edit on a model removed remotely is a conflict too
            gone = by_cell.get((lc.model, None, "model-removed"))
            if gone is not None and lc.kind == "value":
                result.conflicts.append((lc, gone))
                continue
            keep_local.append(lc)
        elif rc.after == lc.after:
            same.add((lc.model, lc.column, lc.kind))  # identical change on both sides: not a conflict
        else:
            result.conflicts.append((lc, rc))
    conflicted = {(lc.model, lc.column, lc.kind) for lc, _ in result.conflicts} | {
        (rc.model, rc.column, rc.kind) for _, rc in result.conflicts
    }
    result.local = keep_local
    result.remote = [c for c in remote_changes if (c.model, c.column, c.kind) not in conflicted | same]
    return result
