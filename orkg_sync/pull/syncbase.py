"""The sync base: what ORKG held for every (model, property) at the last pull.

A push diffs the local dataset against this and the remote against this (three-way), and writes
back through the exact statement, object and datatype recorded here, so an unchanged value is never
rewritten.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from orkg_sync.atomic import atomic_write_text
from orkg_sync.errors import InputError
from orkg_sync.mapping import Mapping
from orkg_sync.mapping.convert import _contributions
from orkg_sync.mapping.generic import reached_resources
from orkg_sync.namespaces import HAS_CONTRIBUTION
from orkg_sync.snapshot import Snapshot, id_sort_key

FORMAT = "orkg-sync-base/1"


@dataclass(frozen=True)
class BaseValue:
    statement_id: str
    predicate_id: str
    object_id: str
    object_class: str  # "literal" | "resource"
    label: str
    datatype: str | None


@dataclass
class SyncBase:
    host: str
    comparison_id: str
    head_id: str
    paper_id: str | None
    retrieved_at: str | None
    predicates: dict[str, str] = field(default_factory=dict)  # property IRI -> ORKG predicate id
    models: dict[str, dict[str, Any]] = field(default_factory=dict)  # contribution id -> {label, values}
    # nested table rows: ORKG resource id -> {label, values}, its values exactly as a model's
    nested: dict[str, dict[str, Any]] = field(default_factory=dict)

    def cell(self, key: str, column: str) -> list[dict[str, Any]]:
        """The base values of one cell of a model or of a nested row (statement, object, datatype)."""
        for rows in (self.models, self.nested):  # a resource can be both a source and a nested row
            found = rows.get(key, {}).get("values", {}).get(column)
            if found:
                return list(found)
        return []

    @classmethod
    def from_snapshot(cls, snap: Snapshot, mapping: Mapping) -> SyncBase:
        host = str(snap.source.get("host") or "")
        mapping.adopt(snap)  # the generic columns too (a no-op when the snapshot was mapped already)
        by_pid = mapping.predicate_ids(snap.predicates, host)
        cid = str(snap.comparison.get("id") or mapping.comparison)
        paper = next(
            (st["subject_id"] for st in snap.statements.values() if st["predicate_id"] == HAS_CONTRIBUTION),
            None,
        )
        base = cls(
            host=host,
            comparison_id=cid,
            head_id=str(snap.comparison.get("head_id") or cid),
            paper_id=paper,
            retrieved_at=snap.source.get("retrieved_at"),
            predicates=dict(sorted((pm.property, pid) for pid, pm in by_pid.items())),
        )
        contributions = _contributions(snap, cid)
        for c in contributions:
            base.models[c] = {"label": snap.resources[c]["label"], "values": {}}
        for st in sorted(snap.statements.values(), key=lambda s: id_sort_key(s["id"])):
            pm = by_pid.get(st["predicate_id"])
            model = base.models.get(st["subject_id"])
            if pm is None or model is None:
                continue
            model["values"].setdefault(pm.property, []).append(_value(snap, st))
        base._add_nested(snap, mapping, contributions)
        return base

    def _add_nested(self, snap: Snapshot, mapping: Mapping, sources: list[str]) -> None:
        """Every nested row the sources reach, at every depth, with its values' statements."""
        if not mapping.nested:
            return
        reached = reached_resources(snap, sources)
        by_cell: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for st in sorted(snap.statements.values(), key=lambda s: id_sort_key(s["id"])):
            by_cell.setdefault((st["subject_id"], st["predicate_id"]), []).append(st)
        for col in mapping.nested:
            self.predicates[col.mapping.property] = col.predicate
            for rid in reached.get(col.parent_path, []):
                row = self.nested.setdefault(rid, {"label": snap.resources[rid]["label"], "values": {}})
                cell = [_value(snap, st) for st in by_cell.get((rid, col.predicate), [])]
                if cell:
                    row["values"][col.mapping.property] = cell
        self.predicates = dict(sorted(self.predicates.items()))

    def to_json(self) -> str:
        doc = {"format": FORMAT, **asdict(self)}
        if not self.nested:
            del doc["nested"]  # a comparison without nested rows keeps the file it always had
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def save(self, path: str | Path) -> None:
        atomic_write_text(Path(path), self.to_json())

    @classmethod
    def load(cls, path: str | Path) -> SyncBase:
        p = Path(path)
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{p}: no sync base (run `orkg-sync pull` first)") from None
        except json.JSONDecodeError as err:
            raise InputError(f"{p}:{err.lineno}:{err.colno}: {err.msg}") from None
        if not isinstance(doc, dict) or doc.pop("format", None) != FORMAT:
            raise InputError(f'{p}: not an orkg-sync sync base (expected "format": "{FORMAT}")')
        try:
            return cls(**doc)
        except TypeError as err:
            raise InputError(f"{p}: malformed sync base ({err})") from None


def _value(snap: Snapshot, st: dict[str, Any]) -> dict[str, Any]:
    """One statement as the base keeps it: enough to write back through exactly that statement."""
    obj = snap.thing(st["object_id"]) or {}
    value = BaseValue(
        statement_id=st["id"],
        predicate_id=st["predicate_id"],
        object_id=st["object_id"],
        object_class=str(obj.get("_class", "")),
        label=str(obj.get("label", "")),
        datatype=obj.get("datatype"),
    )
    return asdict(value)
