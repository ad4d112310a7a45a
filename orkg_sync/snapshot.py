"""The ORKG-native snapshot: one JSON file shared by `build`, the sandbox seed and `pull`.

It holds ORKG things exactly in their REST representations (``/api/resources/{id}`` etc.),
statements flattened to ids, the comparisons' table state, and local annotations that are
*not* ORKG data (reconstruction provenance). The format is documented in
``docs/snapshot-format.md``. Serialisation is canonical (sorted keys, things sorted by id,
statements sorted by id) so that two snapshots diff line by line.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orkg_sync.atomic import atomic_write_bytes
from orkg_sync.errors import InputError
from orkg_sync.namespaces import COMPARE_CONTRIBUTION

FORMAT = "orkg-sync-snapshot/1"
KINDS = ("classes", "predicates", "resources", "literals")
_KIND_OF_CLASS = {
    "class": "classes",
    "predicate": "predicates",
    "resource": "resources",
    "literal": "literals",
}

Json = dict[str, Any]


_ID = re.compile(r"([A-Za-z]+)(\d+)")


def id_sort_key(thing_id: str) -> tuple[str, int, str]:
    """Natural order for ORKG ids: R9 < R10, then anything non-numeric by text."""
    m = _ID.fullmatch(thing_id)
    if m:
        return (m.group(1), int(m.group(2)), "")
    return (thing_id, -1, thing_id)


@dataclass
class Snapshot:
    """In-memory view of a snapshot file with id indexes.

    ``source`` says where the data came from (host, comparison id, retrieval time, and whether
    ids are real ORKG ids or sandbox ids). ``comparison`` names the comparison the snapshot is
    about (``id``; ``head_id`` when ``id`` is a published version).
    """

    source: Json
    comparison: Json
    classes: dict[str, Json] = field(default_factory=dict)
    predicates: dict[str, Json] = field(default_factory=dict)
    resources: dict[str, Json] = field(default_factory=dict)
    literals: dict[str, Json] = field(default_factory=dict)
    statements: dict[str, Json] = field(default_factory=dict)
    comparison_tables: dict[str, Json] = field(default_factory=dict)
    annotations: dict[str, Json] = field(default_factory=dict)

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def from_json(cls, doc: Json, *, origin: str = "<snapshot>") -> Snapshot:
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise InputError(f'{origin}: not an orkg-sync snapshot (expected "format": "{FORMAT}")')
        snap = cls(source=dict(doc.get("source") or {}), comparison=dict(doc.get("comparison") or {}))
        for kind in KINDS:
            table = getattr(snap, kind)
            for i, thing in enumerate(doc.get(kind) or []):
                if not isinstance(thing, dict) or not isinstance(thing.get("id"), str):
                    raise InputError(f'{origin}: {kind}[{i}] has no string "id"')
                table[thing["id"]] = thing
        for i, st in enumerate(doc.get("statements") or []):
            missing = [k for k in ("id", "subject_id", "predicate_id", "object_id") if not st.get(k)]
            if missing:
                raise InputError(f"{origin}: statements[{i}] lacks {', '.join(missing)}")
            snap.statements[st["id"]] = st
        snap.comparison_tables = dict(doc.get("comparison_tables") or {})
        snap.annotations = dict(doc.get("annotations") or {})
        return snap

    @classmethod
    def load(cls, path: str | Path) -> Snapshot:
        p = Path(path)
        try:
            raw = p.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{p}: snapshot file not found") from None
        except OSError as exc:
            raise InputError(f"{p}: cannot read snapshot ({exc.strerror})") from None
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}:{exc.lineno}:{exc.colno}: malformed JSON ({exc.msg})") from None
        return cls.from_json(doc, origin=str(p))

    # ---- serialisation ------------------------------------------------------------------
    def to_json(self) -> Json:
        doc: Json = {"format": FORMAT, "source": self.source, "comparison": self.comparison}
        for kind in KINDS:
            table = getattr(self, kind)
            doc[kind] = [table[k] for k in sorted(table, key=id_sort_key)]
        doc["statements"] = [self.statements[k] for k in sorted(self.statements, key=id_sort_key)]
        doc["comparison_tables"] = self.comparison_tables
        doc["annotations"] = self.annotations
        return doc

    def dumps(self) -> bytes:
        """Canonical bytes: sorted keys, two-space indent, trailing newline."""
        return (json.dumps(self.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()

    def save(self, path: str | Path) -> None:
        atomic_write_bytes(path, self.dumps())

    # ---- access -------------------------------------------------------------------------
    def thing(self, thing_id: str) -> Json | None:
        for kind in KINDS:
            found = getattr(self, kind).get(thing_id)
            if found is not None:
                return found
        return None

    def add_thing(self, thing: Json) -> None:
        kind = _KIND_OF_CLASS.get(thing.get("_class", ""))
        if kind is None:
            raise ValueError(f"unknown _class {thing.get('_class')!r} for {thing.get('id')}")
        getattr(self, kind)[thing["id"]] = thing

    def statements_from(self, subject_id: str) -> list[Json]:
        """Outgoing statements of a subject, in id order (stable)."""
        return self._by_subject().get(subject_id, [])

    def objects(self, subject_id: str, predicate_id: str) -> list[Json]:
        """Object things of ``subject -predicate-> ?``, in statement id order."""
        out = []
        for st in self.statements_from(subject_id):
            if st["predicate_id"] == predicate_id:
                obj = self.thing(st["object_id"])
                if obj is not None:
                    out.append(obj)
        return out

    def _by_subject(self) -> dict[str, list[Json]]:
        index: dict[str, list[Json]] = defaultdict(list)
        for sid in sorted(self.statements, key=id_sort_key):
            st = self.statements[sid]
            index[st["subject_id"]].append(st)
        return index

    def iter_things(self) -> Iterator[Json]:
        for kind in KINDS:
            yield from getattr(self, kind).values()

    @property
    def ids_are_sandbox(self) -> bool:
        return self.source.get("ids") == "sandbox"

    def sources_of(self, comparison_id: str) -> list[str]:
        """Source (contribution) ids of a comparison, via ``compareContribution``, in id order."""
        return [
            st["object_id"]
            for st in self.statements_from(comparison_id)
            if st["predicate_id"] == COMPARE_CONTRIBUTION
        ]


def merge_things(snapshot: Snapshot, things: Iterable[Json]) -> None:
    """Add several API thing representations (resources, predicates, ...) to a snapshot."""
    for thing in things:
        snapshot.add_thing(thing)
