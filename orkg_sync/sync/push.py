"""diff / push / apply: the orchestration over workspace, diff, plan, applier and journal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orkg_sync.client.api import OrkgApi
from orkg_sync.errors import ConflictError, InputError
from orkg_sync.mapping import snapshot_to_rdf
from orkg_sync.mapping.vocab import ConceptIndex
from orkg_sync.pull.reader import read_comparison
from orkg_sync.pull.run import emptied_head
from orkg_sync.snapshot import Snapshot
from orkg_sync.sync.apply import Applier
from orkg_sync.sync.diff import Change, ThreeWay, three_way, two_way
from orkg_sync.sync.effects import apply_effects
from orkg_sync.sync.nested import refuse_strays
from orkg_sync.sync.plan import Plan, build_plan
from orkg_sync.sync.resolve import take_remote, taken_local
from orkg_sync.sync.values import ModelState, columns, dataset_state
from orkg_sync.workspace import DATASET, Workspace, check_local, fingerprint, quads


def _pref() -> dict[str, str]:
    from orkg_sync.mapping.vocab import vocabulary_quads

    return dict(ConceptIndex(vocabulary_quads()).pref)


Received = Callable[[int], None]  # statements received so far, for a progress line


def diff_all(
    ws: Workspace, api: OrkgApi | None, local: Path | None, progress: Received | None = None
) -> ThreeWay:
    """Local vs base, and (with ``api``) the whole remote re-read now (N + 4 requests)."""
    cols = columns(ws.mapping)
    local_state = dataset_state(quads(ws.local_store(local)), ws.mapping)
    base_state = ws.base_state()
    refuse_strays(local_state, base_state, ws.mapping)
    remote_state: dict[str, ModelState] | None = None
    if api is not None:
        remote = read_comparison(api, ws.base.comparison_id, ws.mapping, host=ws.base.host, progress=progress)
        remote_state = {}  # a head with no sources left: every model was removed remotely
        if not emptied_head(remote):
            mapped = snapshot_to_rdf(remote, ws.mapping, base=ws.base_iri)
            remote_state = dataset_state(mapped.quads, ws.mapping)
    return three_way(base_state, local_state, remote_state, cols)


@dataclass
class Prepared:
    plan: Plan
    diff: ThreeWay
    remote_snapshot: Any
    conflicts: list[tuple[Change, Change]] = field(default_factory=list)
    resolved: list[dict[str, Any]] = field(default_factory=list)  # cell -> side taken

    def resolved_lines(self) -> list[str]:
        return [
            f"conflict {r['model']} / {r['column']}: took {r['take']}"
            + (" (written into the local dataset)" if r["take"] == "remote" else "")
            for r in self.resolved
        ]


def prepare(
    ws: Workspace,
    api: OrkgApi,
    local: Path | None,
    prefer: str | None,
    prune: bool = False,
    progress: Received | None = None,
) -> Prepared:
    """Validate, diff against the base, re-read what the changes touch, detect conflicts, plan."""
    store = ws.local_store(local)
    check_local(store, ws.mapping)
    cols = columns(ws.mapping)
    base_state = ws.base_state()
    local_state = dataset_state(quads(store), ws.mapping)
    refuse_strays(local_state, base_state, ws.mapping)
    local_changes = two_way(base_state, local_state, cols)
    touched = sorted({c.model for c in local_changes if not c.model.startswith("new:")})
    remote_snap = ws.remote_snapshot(api, touched, progress)
    remote_state = dataset_state(snapshot_to_rdf(remote_snap, ws.mapping, base=ws.base_iri).quads, ws.mapping)
    tw = three_way(base_state, local_state, remote_state, cols)
    tw.remote = [c for c in tw.remote if c.model in touched]  # only touched models were re-read
    to_write = list(tw.local)
    resolved: list[dict[str, Any]] = []
    chosen = taken_local(tw.conflicts, ws.state)  # `orkg-sync resolve ... --take local`, per cell
    if chosen:
        to_write += [lc for lc, _ in chosen]
        resolved += [{"model": lc.label, "column": _col(lc.column), "take": "local"} for lc, _ in chosen]
        tw.conflicts = [c for c in tw.conflicts if c not in chosen]
    if tw.conflicts:
        if prefer is None:
            raise ConflictError(
                f"{len(tw.conflicts)} conflict(s), nothing was pushed: "
                + "; ".join(f"{lc.label} / {_col(lc.column)}" for lc, _ in tw.conflicts[:5])
                + " (see `orkg-sync diff`; resolve with --prefer local|remote or `orkg-sync resolve`)"
            )
        if prefer == "local":
            to_write += [lc for lc, _ in tw.conflicts]
        else:
            take_remote(
                local or ws.folder / DATASET, store, tw.conflicts, local_state, ws.base_iri, ws.mapping
            )
        resolved += [{"model": lc.label, "column": _col(lc.column), "take": prefer} for lc, _ in tw.conflicts]
    current = ws.base.__class__.from_snapshot(remote_snap, ws.mapping)
    plan = build_plan(
        to_write, current, ws.snapshot, remote_snap, local_state, ws.mapping, _pref(), prune=prune
    )
    plan.fingerprint = fingerprint(remote_snap, plan.touched)
    return Prepared(plan, tw, remote_snap, tw.conflicts, resolved)


def _col(column: str | None) -> str:
    return (column or "model").rsplit("#", 1)[-1]


def update_base(
    ws: Workspace, plan: Plan, remote_snap: Any, applier: Applier, keep_dataset: bool = False
) -> None:
    """The plan's effects on the re-read remote state are the new base (no extra requests)."""
    apply_effects(remote_snap, plan, applier.journal.done, applier.refs)
    created = {
        ids["id"]: op["model"].removeprefix("new:")
        for i, op in enumerate(plan.ops)
        if op["op"] == "create_model" and "id" in (ids := applier.journal.done.get(i, {}))
    }
    ws.keep_new_iris(created)
    ws.write(remote_snap, keep_dataset=keep_dataset)


def load_plan(path: Path) -> Plan:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such plan file") from None
    return Plan.from_json(text, str(path))


def remote_for_saved(ws: Workspace, api: OrkgApi, plan: Plan, *, resume: bool) -> Snapshot:
    """Re-read the plan's models; a saved plan is refused if ORKG moved since it was made."""
    if plan.comparison_id != ws.base.comparison_id:
        raise InputError(
            f"the plan is for comparison {plan.comparison_id}, this workspace for {ws.base.comparison_id}"
        )
    remote_snap = ws.remote_snapshot(api, plan.touched)
    if not resume and fingerprint(remote_snap, plan.touched) != plan.fingerprint:
        raise ConflictError("ORKG changed since the plan was made; nothing was applied (make a new plan)")
    return remote_snap


def publish_version(api: OrkgApi, head: str, changelog: str, doi: bool) -> str:
    comp = api.comparison(head)
    fields = comp.get("research_fields") or []
    if not fields:
        raise InputError(f"comparison {head} has no research field; ORKG needs one to publish a version")
    authors = [
        {k: a.get(k) for k in ("id", "name", "identifiers", "homepage")} for a in comp.get("authors", [])
    ]
    subject = fields[0].get("label") or fields[0]["id"]  # the frontend sends the field's label
    return api.publish_comparison(head, subject, changelog, authors, assign_doi=doi)


def resolve_cell(
    ws: Workspace, api: OrkgApi, local: Path | None, model: str, column: str, take: str
) -> Change:
    """One conflicting cell: take remote (written into the local dataset) or local (pushed next time)."""
    from orkg_sync.sync.resolve import find_cell, save_resolution

    store = ws.local_store(local)
    cols = columns(ws.mapping)
    base_state = ws.base_state()
    local_state = dataset_state(quads(store), ws.mapping)
    touched = sorted(
        {c.model for c in two_way(base_state, local_state, cols) if not c.model.startswith("new:")}
    )
    remote_snap = ws.remote_snapshot(api, touched)
    remote_state = dataset_state(snapshot_to_rdf(remote_snap, ws.mapping, base=ws.base_iri).quads, ws.mapping)
    tw = three_way(base_state, local_state, remote_state, cols)
    lc, rc = find_cell(tw.conflicts, model, column)
    if take == "remote":
        take_remote(local or ws.folder / DATASET, store, [(lc, rc)], local_state, ws.base_iri, ws.mapping)
    else:
        save_resolution(ws.state, lc.model, lc.column or "", sorted(rc.after))
    return lc
