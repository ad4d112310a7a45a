"""Pull orchestration: read, map, validate, compare with the previous pull, write the folder atomically."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from orkg_sync import export
from orkg_sync.client.api import OrkgApi
from orkg_sync.errors import InputError
from orkg_sync.mapping import DEFAULT_BASE, MappingResult, load_mapping, snapshot_to_rdf
from orkg_sync.publish.release import CHECKSUMS, write_release
from orkg_sync.pull.reader import read_comparison
from orkg_sync.pull.syncbase import SyncBase
from orkg_sync.snapshot import Snapshot
from orkg_sync.store import DatasetStore
from orkg_sync.workspace.bindings import BINDINGS, Bindings
from orkg_sync.workspace.files import BASE, DATASET, REPORT, SNAPSHOT
from orkg_sync.workspace.iris import keep_iris


@dataclass
class PullResult:
    snapshot: Snapshot
    mapped: MappingResult
    base: SyncBase
    out: Path
    requests: int
    report: Any = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    iris: dict[str, str] = field(default_factory=dict)  # contribution id -> model IRI (kept)


def model_values(quads: list[ox.Quad], models: list[str], mapping: Any = None) -> dict[str, set[str]]:
    """Model IRI -> its value triples in N-Triples form (what 'changed since the last pull' compares),
    with those of the nested table rows it reaches (an edited outcome value changes its model's row)."""
    wanted = set(models)
    out: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        if isinstance(q.subject, ox.NamedNode) and q.subject.value in wanted:
            out[q.subject.value].add(f"{q.predicate} {q.object}")
    if mapping is not None and mapping.nested:
        from orkg_sync.sync.nested import reach

        cells: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for q in quads:
            if isinstance(q.subject, ox.NamedNode):
                cells[q.subject.value][q.predicate.value].add(str(q.object))
        for m in models:
            for iri in sorted(set().union(*reach(cells, {m}, mapping).values())):
                out[m] |= {f"<{iri}> <{p}> {o}" for p, objs in cells[iri].items() for o in objs}
    return out


def local_edits(out: Path) -> bool:
    """True when the dataset file differs from what the last pull wrote (its checksum)."""
    sums, data = out / CHECKSUMS, out / DATASET
    if not sums.is_file() or not data.is_file():
        return False
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name == DATASET:
            return hashlib.sha256(data.read_bytes()).hexdigest() != digest
    return False


def pull(
    api: OrkgApi,
    comparison_id: str,
    out: Path,
    *,
    host: str,
    mapping_path: Path | None = None,
    base_iri: str = DEFAULT_BASE,
    force: bool = False,
    validate: bool = True,
    progress: Callable[[int], None] | None = None,
) -> PullResult:
    """Read everything first; only then write. Any error leaves ``out`` untouched."""
    from orkg_sync.workspace import Bindings, state_dir
    from orkg_sync.workspace.lock import workspace_lock

    unfinished_push_guard(out)
    result, files = _read_and_map(
        api,
        comparison_id,
        out,
        host=host,
        mapping_path=mapping_path,
        base_iri=base_iri,
        force=force,
        validate=validate,
        progress=progress,
    )
    mapping = str(Path(mapping_path).resolve()) if mapping_path else None
    bindings = Bindings(host, comparison_id, result.base.head_id, mapping, base_iri, result.iris)
    files[BINDINGS] = bindings.to_json().encode("utf-8")
    with workspace_lock(state_dir(out) / "lock", f"workspace {out}"):  # no push in between
        unfinished_push_guard(out)
        if not force and local_edits(out):
            raise InputError(f"{out / DATASET} was edited during the pull; nothing was written")
        write_release(out, files)
    return result


def discarded_edits(out: Path) -> list[str]:
    """The local edits a forced pull would discard, as "model / column" (empty: nothing to lose)."""
    if not local_edits(out):
        return []
    from orkg_sync.sync.diff import two_way
    from orkg_sync.sync.values import columns, dataset_state
    from orkg_sync.workspace import Workspace, quads

    try:
        ws = Workspace.open(out)
        local = dataset_state(quads(ws.local_store(None)), ws.mapping)
    except Exception:  # an unreadable dataset is still an edit: say so without a count per cell
        return ["dataset.ttl (unreadable)"]
    changes = two_way(ws.base_state(), local, columns(ws.mapping))
    return [f"{c.label} / {(c.column or c.kind).rsplit('#', 1)[-1]}" for c in changes] or ["dataset.ttl"]


def emptied_head(snap: Snapshot) -> int:
    """How many sources a published version lists whose head has none left (0: the head is not empty).

    The mapping would show the frozen version's sources instead, hiding a wiped head: callers report it.
    """
    cid = str(snap.comparison.get("id") or "")
    head = str(snap.comparison.get("head_id") or cid)
    if head == cid or snap.sources_of(head):
        return 0
    return len(snap.sources_of(cid))


def unfinished_push_guard(out: Path) -> None:
    """A pull over a workspace with an interrupted push would strand its journal: refuse (exit 6)."""
    from orkg_sync.errors import IncompleteError
    from orkg_sync.workspace import JOURNAL_FILE, state_dir

    if (state_dir(out) / JOURNAL_FILE).is_file():
        raise IncompleteError(
            f"{out} has an unfinished push: finish it with `orkg-sync push --resume` "
            "or drop it with `orkg-sync push --discard`, then pull"
        )


def _read_and_map(
    api: OrkgApi,
    comparison_id: str,
    out: Path,
    *,
    host: str,
    mapping_path: Path | None,
    base_iri: str,
    force: bool,
    validate: bool,
    progress: Callable[[int], None] | None,
) -> tuple[PullResult, dict[str, bytes]]:
    if not force and local_edits(out):
        raise InputError(
            f"{out / DATASET} has local edits since the last pull; push them first or use --force"
        )
    mapping = load_mapping(mapping_path)
    before = api.request_count
    snap = read_comparison(api, comparison_id, mapping, host=host, progress=progress)
    requests = api.request_count - before
    frozen = emptied_head(snap)
    if frozen:
        head = snap.comparison.get("head_id")
        raise InputError(
            f"the head {head} of {comparison_id} has no sources: all {frozen} were removed since "
            "publication (the published version still lists them); nothing was written. Restore them "
            "on ORKG (`orkg-sync undo` if a push removed them) before pulling"
        )
    mapped = snapshot_to_rdf(snap, mapping, base=base_iri)
    previous_bindings = Bindings.load(out) if (out / SNAPSHOT).is_file() else None
    kept = (
        previous_bindings.iris if previous_bindings and previous_bindings.comparison == comparison_id else {}
    )
    iris = keep_iris(mapped, kept)
    base = SyncBase.from_snapshot(snap, mapping)
    result = PullResult(snap, mapped, base, out, requests)
    store = DatasetStore()
    store.add_quads(mapped.quads)
    files = {
        SNAPSHOT: snap.dumps(),
        BASE: base.to_json().encode("utf-8"),
        DATASET: export.to_turtle(store, base_iri),
    }
    if validate:
        from orkg_sync.validate import validate as run_validation

        result.report = run_validation(store, shapes=mapping.validation_shapes())
        files[REPORT] = result.report.to_json().encode("utf-8")
    previous = out / SNAPSHOT
    if previous.is_file():
        old = snapshot_to_rdf(Snapshot.load(previous), mapping, base=base_iri)
        keep_iris(old, kept)
        old_models = {m.iri for m in old.models}
        new_models = {m.iri for m in mapped.models}
        result.added = sorted(new_models - old_models)
        result.removed = sorted(old_models - new_models)
        a = model_values(old.quads, sorted(old_models & new_models), mapping)
        b = model_values(mapped.quads, sorted(old_models & new_models), mapping)
        result.changed = sorted(m for m in old_models & new_models if a.get(m) != b.get(m))
    result.iris = iris
    return result, files
