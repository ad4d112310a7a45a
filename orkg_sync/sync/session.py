"""A push as explicit states: plan -> resolve -> confirm -> apply -> verify -> update base.

The CLI only prints and asks; every transition, refusal and file the push writes is here, in order:

* ``plan``: validate (SHACL blocks), diff against the base, re-read the touched models, find conflicts,
  resolve them (``--prefer``), build the plan.
* confirm: done by the caller between ``plan`` and ``apply`` (host and removals; see ``cli/push.py``).
* ``apply``: store the plan and a journal (beside the workspace, never inside it), then every operation
  with its compare-and-set precondition, its write and its verification (``sync/apply.py``).
* update base: the plan's effects on the re-read state become the new base; the journal becomes the
  record of the last push (for ``undo``).

``resume`` re-enters at apply with the stored plan; ``discard`` drops an unfinished one.
"""

from __future__ import annotations

import contextlib
import enum
import json
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orkg_sync.atomic import atomic_write_text
from orkg_sync.client.api import OrkgApi
from orkg_sync.errors import ConflictError, IncompleteError, InputError
from orkg_sync.sync import ops
from orkg_sync.sync import push as engine
from orkg_sync.sync.apply import Applier, Progress
from orkg_sync.sync.journal import Journal
from orkg_sync.sync.plan import Plan
from orkg_sync.sync.resolve import RESOLUTIONS
from orkg_sync.workspace import JOURNAL_FILE, LAST_PUSH, PLAN_FILE, Workspace


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C / SIGTERM: finish the writes in flight, journal them, start nothing new (then exit 6)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda *_: stop.set())
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class State(enum.Enum):
    OPEN = "open"
    PLANNED = "planned"
    APPLIED = "applied"
    DONE = "done"


class PushSession:
    def __init__(self, ws: Workspace, host: str) -> None:
        ws.check_host(host)
        self.ws = ws
        self.host = host
        self.state = State.OPEN

    # ------------------------------------------------------------------ files
    @property
    def plan_path(self) -> Path:
        return self.ws.state / PLAN_FILE

    @property
    def journal_path(self) -> Path:
        return self.ws.state / JOURNAL_FILE

    def unfinished(self) -> Plan | None:
        if not self.plan_path.is_file():
            return None
        return engine.load_plan(self.plan_path)

    def refuse_unfinished(self) -> None:
        """A new plan over an unfinished push would strand its half-done writes: refuse (exit 6)."""
        plan = self.unfinished()
        if plan is not None:
            raise IncompleteError(
                f"{self.ws.folder} has an unfinished push (plan {plan.plan_id}, {len(plan.ops)} op(s)): "
                "finish it with `orkg-sync push --resume`, or drop it with `orkg-sync push --discard`"
            )

    def discard(self) -> str:
        plan = self.unfinished()
        if plan is None:
            raise InputError(f"{self.ws.folder}: no unfinished push to discard")
        self.journal_path.unlink(missing_ok=True)
        self.plan_path.unlink(missing_ok=True)
        return (
            f"discarded plan {plan.plan_id}; writes it already made stay on ORKG "
            "(`orkg-sync diff` shows them as remote changes)"
        )

    # ------------------------------------------------------------------ states
    def plan(
        self,
        api: OrkgApi,
        local: Path | None,
        prefer: str | None,
        prune: bool,
        reading: engine.Received | None = None,
    ) -> engine.Prepared:
        """``reading`` is called with the statements received while the touched models are re-read."""
        prepared = engine.prepare(self.ws, api, local, prefer, prune, reading)
        self.state = State.PLANNED
        return prepared

    # ``progress(done, total)`` is called after each operation is journaled as done (see Applier).
    def apply(self, api: OrkgApi, prepared: engine.Prepared, progress: Progress | None = None) -> Applier:
        if self.state is not State.PLANNED:
            raise RuntimeError("apply before plan")
        return self._execute(api, prepared.plan, prepared.remote_snapshot, progress)

    def apply_saved(self, api: OrkgApi, plan: Plan, progress: Progress | None = None) -> Applier:
        remote = engine.remote_for_saved(self.ws, api, plan, resume=False)
        return self._execute(api, plan, remote, progress)

    def resume(self, api: OrkgApi, progress: Progress | None = None) -> Applier:
        plan = self.unfinished()
        if plan is None:
            raise InputError(f"{self.ws.folder}: no interrupted push to resume")
        self.ws.check_plan(plan, self.host, str(self.plan_path))
        remote = engine.remote_for_saved(self.ws, api, plan, resume=True)
        return self._execute(api, plan, remote, progress)

    def _execute(self, api: OrkgApi, plan: Plan, remote_snap: Any, progress: Progress | None) -> Applier:
        atomic_write_text(self.plan_path, plan.to_json())
        applier = Applier(api, plan, Journal(self.journal_path, plan.plan_id), progress)
        try:
            with _stop_on_signals(applier.stop):
                applier.run()
        except ConflictError:  # the rest was applied: keep it as the new base, the conflicts stay visible
            self._update_base(plan, remote_snap, applier, keep_dataset=True)
            raise
        self.state = State.APPLIED
        self._update_base(plan, remote_snap, applier)
        return applier

    def _update_base(
        self, plan: Plan, remote_snap: Any, applier: Applier, keep_dataset: bool = False
    ) -> None:
        engine.update_base(self.ws, plan, remote_snap, applier, keep_dataset)
        record = {"plan": json.loads(plan.to_json()), "journal": self.journal_path.read_text("utf-8")}
        atomic_write_text(self.ws.state / LAST_PUSH, json.dumps(record, sort_keys=True) + "\n")
        self.journal_path.unlink(missing_ok=True)
        self.plan_path.unlink(missing_ok=True)
        (self.ws.state / RESOLUTIONS).unlink(missing_ok=True)
        self.state = State.DONE

    # ------------------------------------------------------------------ undo
    def undo_plan(self, api: OrkgApi) -> tuple[Plan, Any]:
        """The last completed push, inverted from its plan and journal (the before-images)."""
        from orkg_sync.pull.run import local_edits

        path = self.ws.state / LAST_PUSH
        if not path.is_file():
            raise InputError(f"{self.ws.folder}: no completed push to undo")
        if local_edits(self.ws.folder):
            raise InputError(f"{self.ws.folder / 'dataset.ttl'} has local edits: push or discard them first")
        record = json.loads(path.read_text(encoding="utf-8"))
        done = parse_done(record["journal"])
        pushed = Plan.from_json(json.dumps(record["plan"]), str(path))
        self.ws.check_plan(pushed, self.host, str(path))
        plan = invert(pushed, done)
        remote = self.ws.remote_snapshot(api, plan.touched)
        self.state = State.PLANNED
        return plan, remote

    def undo(self, api: OrkgApi, plan: Plan, remote: Any, progress: Progress | None = None) -> Applier:
        return self._execute(api, plan, remote, progress)

    def publish_version(self, api: OrkgApi, changelog: str, doi: bool) -> str:
        return engine.publish_version(api, self.ws.base.head_id, changelog, doi)


def parse_done(journal_text: str) -> dict[int, dict[str, Any]]:
    done: dict[int, dict[str, Any]] = {}
    for line in journal_text.splitlines()[1:]:
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if rec.get("status") == "done":
            done[rec["op"]] = rec.get("ids", {})
    return done


def invert(pushed: Plan, done: dict[int, dict[str, Any]]) -> Plan:
    """Undo = every finished operation's inverse, newest first; a model the push created is deleted
    whole (its cells go with it). Each inverse has the compare-and-set precondition of its kind, so a
    cell someone changed since the push is refused as a conflict, the others are restored."""
    created = {
        op["ref"]: done[i]["id"]
        for i, op in enumerate(pushed.ops)
        if op["op"] == "create_model" and i in done and not done[i].get("adopted")
    }
    cells: list[dict[str, Any]] = []
    tail: list[dict[str, Any]] = []
    for i in sorted(done, reverse=True):
        op, ids = pushed.ops[i], done[i]
        if op.get("subject", {}).get("ref") in created or "withdrawn" in ids:
            continue
        inverse = ops.of(op).inverse(op, ids)
        if op["op"] == "set_sources":
            inverse = [{**inv, "add": [{"id": a["id"]} for a in inv["add"]]} for inv in inverse]
        (tail if ops.of(op).tail or op["op"] == "create_model" else cells).extend(inverse)
    tail.sort(key=lambda op: op["op"] != "set_sources")  # sources first, then deletions
    plan = Plan(pushed.host, pushed.comparison_id, pushed.head_id, cells + tail)
    plan.changes = [{"kind": "undo", "of": pushed.plan_id, "label": "", "model": "", "column": None}]
    plan.changes += [
        {"kind": "model-removed", "label": op["label"], "model": op["resource"], "column": None}
        for op in tail
        if op["op"] == "prune_model"
    ]
    plan.touched = sorted({op["model"] for op in cells if not str(op.get("model", "")).startswith("new:")})
    return plan
