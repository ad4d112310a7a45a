"""The pulled folder as a workspace: its files, its bindings (host, comparison, mapping, base IRI), its lock.

Pull and push both go through this class. The folder itself holds what a pull writes (swapped in as a
whole); the push's state (lock, plan, journal, the last push's record) lives in a sidecar folder beside
it (``.<name>.sync/``), so no folder swap can ever lose a journal.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from orkg_sync import export
from orkg_sync.atomic import write_folder
from orkg_sync.client.api import OrkgApi
from orkg_sync.errors import InputError, InvalidDataError
from orkg_sync.mapping import DEFAULT_BASE, Mapping, snapshot_to_rdf
from orkg_sync.namespaces import RDF_TYPE
from orkg_sync.publish.release import CHECKSUMS, checksums
from orkg_sync.pull.reader import _add_statements
from orkg_sync.pull.syncbase import SyncBase
from orkg_sync.snapshot import Snapshot
from orkg_sync.store import DatasetStore
from orkg_sync.sync.values import ModelState, dataset_state
from orkg_sync.workspace.bindings import BINDINGS, Bindings, check_host, same_host
from orkg_sync.workspace.files import BASE, DATASET, REPORT, SNAPSHOT
from orkg_sync.workspace.iris import keep_iris
from orkg_sync.workspace.lock import workspace_lock

PLAN_FILE, JOURNAL_FILE, LAST_PUSH = "push.plan.json", "push.journal", "last-push.json"

__all__ = ["BINDINGS", "DATASET", "Bindings", "Workspace", "check_host", "state_dir"]


def state_dir(folder: Path) -> Path:
    """The sidecar folder with the push state: beside the pulled folder, never inside it."""
    folder = Path(folder).resolve()
    return folder.parent / f".{folder.name}.sync"


class Workspace:
    def __init__(
        self, folder: Path, mapping: Mapping, base_iri: str = DEFAULT_BASE, bindings: Bindings | None = None
    ) -> None:
        self.folder = folder
        self.mapping = mapping
        self.base_iri = base_iri
        if not (folder / SNAPSHOT).is_file():
            raise InputError(
                f"{folder}: no pulled comparison here (run `orkg-sync pull --out {folder}` first)"
            )
        self.snapshot = Snapshot.load(folder / SNAPSHOT)
        mapping.adopt(self.snapshot, base_iri)  # generic columns are columns of diff and push too
        self.base = SyncBase.load(folder / BASE)
        self.bindings = bindings or Bindings.load(folder) or self._legacy_bindings()

    @classmethod
    def open(cls, folder: Path, mapping_path: Path | None = None, base_iri: str | None = None) -> Workspace:
        """The workspace with its bound mapping and base IRI unless others are given explicitly."""
        from orkg_sync.mapping import load_mapping

        bound = Bindings.load(folder) if (folder / SNAPSHOT).is_file() else None
        if bound is not None and base_iri is not None and base_iri != bound.base_iri:
            raise InputError(f"{folder} was pulled with --base {bound.base_iri}, not {base_iri}")
        if mapping_path is None and bound is not None and bound.mapping:
            mapping_path = Path(bound.mapping)
        base = base_iri or (bound.base_iri if bound else DEFAULT_BASE)
        return cls(folder, load_mapping(mapping_path), base, bound)

    def _legacy_bindings(self) -> Bindings:
        """A folder pulled before workspace.json existed: its sync base knows host and comparison."""
        b = self.base
        return Bindings(b.host, b.comparison_id, b.head_id, None, self.base_iri)

    @property
    def state(self) -> Path:
        return state_dir(self.folder)

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Exclusive for a push or pull from this folder; a second one is refused with one line."""
        return workspace_lock(self.state / "lock", f"workspace {self.folder}")

    def check_host(self, host: str) -> None:
        check_host(self.bindings.host, host, self.folder)

    def check_plan(self, plan: Any, host: str, origin: str) -> None:
        """A plan runs only against the host and comparison it was made for, from its own workspace."""
        if not same_host(plan.host, host) or not same_host(plan.host, self.bindings.host):
            raise InputError(
                f"{origin}: the plan was made for {plan.host}; this workspace is bound to "
                f"{self.bindings.host} and --host is {host}: nothing was applied"
            )
        if plan.comparison_id != self.base.comparison_id:
            raise InputError(
                f"{origin}: the plan is for comparison {plan.comparison_id}, "
                f"this workspace for {self.base.comparison_id}: nothing was applied"
            )

    def base_state(self) -> dict[str, ModelState]:
        mapped = snapshot_to_rdf(self.snapshot, self.mapping, base=self.base_iri)
        keep_iris(mapped, self.bindings.iris)
        return dataset_state(mapped.quads, self.mapping)

    def keep_new_iris(self, created: dict[str, str]) -> None:
        """Models a push created keep the IRI they had in the local dataset."""
        self.bindings = self.bindings.with_iris({**created, **self.bindings.iris})

    def local_store(self, local: Path | None) -> DatasetStore:
        store = DatasetStore()
        store.load_file(local or self.folder / DATASET)
        return store

    def remote_snapshot(
        self, api: OrkgApi, touched: list[str], progress: Callable[[int], None] | None = None
    ) -> Snapshot:
        """The base with the touched models' statements re-read from ORKG now (one request each);
        ``progress`` is called with the number of statements received so far."""
        snap = copy.deepcopy(self.snapshot)
        received, shown = 0, threading.Lock()

        def one(contribution: str) -> list[dict[str, Any]]:
            nonlocal received
            statements = list(api.statements(subject=contribution))
            if progress is not None:
                with shown:
                    received += len(statements)
                    progress(received)
            return statements

        fresh = api.fetch_many(one, touched)
        for contribution, statements in zip(touched, fresh, strict=True):
            for sid in [s for s, st in snap.statements.items() if st["subject_id"] == contribution]:
                del snap.statements[sid]
            _add_statements(snap, statements)
        return snap

    def write(self, snapshot: Snapshot, *, keep_dataset: bool = False) -> None:
        """Store the new base (after a push): snapshot, sync base, dataset; one atomic folder swap.

        ``keep_dataset``: the push stopped on conflicts, so the local edits it did not write stay in
        ``dataset.ttl`` (``SHA256SUMS`` lists the base's dataset, so a pull still sees them as edits).
        """
        mapped = snapshot_to_rdf(snapshot, self.mapping, base=self.base_iri)
        self.bindings = self.bindings.with_iris(keep_iris(mapped, self.bindings.iris))
        store = DatasetStore()
        store.add_quads(mapped.quads)
        files = {
            SNAPSHOT: snapshot.dumps(),
            BASE: SyncBase.from_snapshot(snapshot, self.mapping).to_json().encode("utf-8"),
            DATASET: export.to_turtle(store, self.base_iri),
        }
        from orkg_sync.validate import validate

        files[REPORT] = validate(store, shapes=self.mapping.validation_shapes()).to_json().encode("utf-8")
        files[BINDINGS] = self.bindings.to_json().encode("utf-8")
        files[CHECKSUMS] = checksums(files)
        if keep_dataset and (self.folder / DATASET).is_file():
            files[DATASET] = (self.folder / DATASET).read_bytes()
        write_folder(self.folder, files)
        self.snapshot = snapshot
        self.base = SyncBase.from_snapshot(snapshot, self.mapping)


def fingerprint(snap: Snapshot, touched: list[str]) -> str:
    """What the touched models look like on ORKG: a plan is only valid while this is unchanged."""
    rows = []
    for st in snap.statements.values():
        if st["subject_id"] in touched:
            obj = snap.thing(st["object_id"]) or {}
            rows.append([st["subject_id"], st["id"], st["predicate_id"], st["object_id"], obj.get("label")])
    for c in touched:
        rows.append([c, "label", (snap.resources.get(c) or {}).get("label")])
    return hashlib.sha256(json.dumps(sorted(rows, key=str)).encode()).hexdigest()


def check_local(store: DatasetStore, mapping: Mapping | None = None) -> Any:
    """SHACL first (the mapping's shapes, default the shipped ones): violations block every write.

    A dataset without models is refused whatever the shapes say: pushed, it would remove every source.
    """
    from orkg_sync.validate import validate

    if not len(store.store):
        raise InvalidDataError("the local dataset is empty (no dataset, no models); nothing was pushed")
    if mapping is not None and mapping.model_types:
        kind = ox.NamedNode(mapping.model_types[0])
        if next(store.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), kind), None) is None:
            raise InvalidDataError(
                f"the local dataset has no models (no <{kind.value}>): pushed, it would remove every "
                "source of the comparison; nothing was pushed"
            )
    report = validate(store, shapes=mapping.validation_shapes() if mapping else None)
    if report.violations:
        first = next(r for r in report.results if r.severity == "Violation")
        raise InvalidDataError(
            f"the local dataset has {report.violations} SHACL violation(s), nothing was pushed; first: "
            f"{report.labels.get(first.focus, first.focus)}: {first.message} (see `orkg-sync validate`)"
        )
    return report


def quads(store: DatasetStore) -> list[ox.Quad]:
    return list(store.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
