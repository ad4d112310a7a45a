"""diff / push / apply: the orchestration over workspace, diff, plan, applier and journal."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orkg_sync.atomic import atomic_write_text
from orkg_sync.client.api import OrkgApi
from orkg_sync.errors import ConflictError, InputError
from orkg_sync.mapping import Mapping, snapshot_to_rdf
from orkg_sync.mapping.vocab import ConceptIndex
from orkg_sync.pull.reader import read_comparison
from orkg_sync.sync.apply import Applier
from orkg_sync.sync.diff import Change, ThreeWay, three_way, two_way
from orkg_sync.sync.effects import apply_effects
from orkg_sync.sync.journal import Journal
from orkg_sync.sync.plan import Plan, build_plan
from orkg_sync.sync.values import columns, dataset_state
from orkg_sync.sync.workspace import JOURNAL_FILE, PLAN_FILE, Workspace, check_local, fingerprint, quads


def _pref() -> dict[str, str]:
    from orkg_sync.build import vocabulary_quads

    return dict(ConceptIndex(vocabulary_quads()).pref)


def diff_all(ws: Workspace, api: OrkgApi | None, local: Path | None) -> ThreeWay:
    """Local vs base, and (with ``api``) the whole remote re-read now (N + 4 requests)."""
    cols = columns(ws.mapping)
    local_state = dataset_state(quads(ws.local_store(local)), ws.mapping)
    remote_state = None
    if api is not None:
        remote = read_comparison(api, ws.base.comparison_id, ws.mapping, host=ws.base.host)
        remote_state = dataset_state(snapshot_to_rdf(remote, ws.mapping, base=ws.base_iri).quads, ws.mapping)
    return three_way(ws.base_state(), local_state, remote_state, cols)


@dataclass
class Prepared:
    plan: Plan
    diff: ThreeWay
    remote_snapshot: Any
    conflicts: list[tuple[Change, Change]] = field(default_factory=list)


def prepare(
    ws: Workspace, api: OrkgApi, local: Path | None, prefer: str | None, prune: bool = False
) -> Prepared:
    """Validate, diff against the base, re-read what the changes touch, detect conflicts, plan."""
    store = ws.local_store(local)
    check_local(store)
    cols = columns(ws.mapping)
    base_state = ws.base_state()
    local_state = dataset_state(quads(store), ws.mapping)
    local_changes = two_way(base_state, local_state, cols)
    touched = sorted({c.model for c in local_changes if not c.model.startswith("new:")})
    remote_snap = ws.remote_snapshot(api, touched)
    remote_state = dataset_state(snapshot_to_rdf(remote_snap, ws.mapping, base=ws.base_iri).quads, ws.mapping)
    tw = three_way(base_state, local_state, remote_state, cols)
    tw.remote = [c for c in tw.remote if c.model in touched]  # only touched models were re-read
    to_write = list(tw.local)
    if tw.conflicts:
        if prefer is None:
            raise ConflictError(
                f"{len(tw.conflicts)} conflict(s), nothing was pushed: "
                + "; ".join(f"{lc.label} / {_col(lc.column)}" for lc, _ in tw.conflicts[:5])
                + " (see `orkg-sync diff`; resolve with --prefer local|remote)"
            )
        if prefer == "local":
            to_write += [lc for lc, _ in tw.conflicts]
    current = ws.base.__class__.from_snapshot(remote_snap, ws.mapping)
    plan = build_plan(
        to_write, current, ws.snapshot, remote_snap, local_state, ws.mapping, _pref(), prune=prune
    )
    plan.fingerprint = fingerprint(remote_snap, plan.touched)
    return Prepared(plan, tw, remote_snap, tw.conflicts)


def _col(column: str | None) -> str:
    return (column or "model").rsplit("#", 1)[-1]


def execute(ws: Workspace, api: OrkgApi, plan: Plan, remote_snap: Any, *, workers: int = 8) -> Applier:
    """Apply with a journal in the workspace; on success store the new base and drop the journal."""
    atomic_write_text(ws.folder / PLAN_FILE, plan.to_json())
    journal = Journal(ws.folder / JOURNAL_FILE, plan.plan_id)
    applier = Applier(api, plan, journal)
    applier.run(workers=workers)
    apply_effects(remote_snap, plan, journal.done, applier.refs)
    ws.write(remote_snap)
    (ws.folder / JOURNAL_FILE).unlink(missing_ok=True)
    (ws.folder / PLAN_FILE).unlink(missing_ok=True)
    return applier


def load_plan(path: Path) -> Plan:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such plan file") from None
    return Plan.from_json(text, str(path))


def apply_saved(ws: Workspace, api: OrkgApi, plan: Plan, *, resume: bool = False) -> Applier:
    """Execute a saved plan exactly; refuse if ORKG moved since it was made (unless resuming it)."""
    if plan.comparison_id != ws.base.comparison_id:
        raise InputError(
            f"the plan is for comparison {plan.comparison_id}, this workspace for {ws.base.comparison_id}"
        )
    remote_snap = ws.remote_snapshot(api, plan.touched)
    if not resume and fingerprint(remote_snap, plan.touched) != plan.fingerprint:
        raise ConflictError("ORKG changed since the plan was made; nothing was applied (make a new plan)")
    return execute(ws, api, plan, remote_snap)


def resume(ws: Workspace, api: OrkgApi) -> Applier:
    if not (ws.folder / PLAN_FILE).is_file():
        raise InputError(f"{ws.folder}: no interrupted push to resume")
    return apply_saved(ws, api, load_plan(ws.folder / PLAN_FILE), resume=True)


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


def mapping_for(ws: Workspace) -> Mapping:
    return ws.mapping
