"""Execute a plan against ORKG: compare-and-set, journal every step, verify before any second attempt.

ORKG has no transactions, ETags or bulk writes, so safety comes from here. Per model, just before its
first write, one read of its statements is the compare-and-set for every remaining operation of it
(``ops.Operation.precondition``): a moved cell stops that model's changes as a conflict. Each write is
journaled before and after; a write whose answer was lost (dropped connection, 5xx) is checked by
reading ORKG and only repeated if it did not happen (one retry policy: ``RetryPolicy``). Operations of
different models run concurrently; those of one model in plan order; sources and prunes last.

SIGINT/SIGTERM set ``stop``: the writes in flight finish and are journaled, nothing new starts, and
the push ends with exit 6 and the ``--resume`` line.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.transport import RetryPolicy
from orkg_sync.errors import AuthError, ConflictError, IncompleteError, InputError, RemoteError
from orkg_sync.sync import ops
from orkg_sync.sync.journal import Journal
from orkg_sync.sync.plan import Plan

POLICY = RetryPolicy(attempts=4, base_delay=0.05, max_delay=2.0, total_time=30.0)


def write_policy(reads: RetryPolicy) -> RetryPolicy:
    """The write-retry policy: a quarter of the read back-off (``--retry-delay``; 0.2 s gives 0.05 s).

    A lost write is re-read before it is repeated, so it can retry sooner than a read; tests set
    ``ORKG_RETRY_DELAY=0`` to keep the retries without the seconds of real sleeping."""
    return replace(POLICY, base_delay=reads.base_delay / 4)


BEFORE = ("expect", "object_label", "object_id", "statement", "before", "remove")
RESUME = "run `orkg-sync push --resume` to finish it"

Progress = Callable[[int, int | None], None]


class Applier:
    def __init__(self, api: OrkgApi, plan: Plan, journal: Journal, progress: Progress | None = None) -> None:
        self.api = api
        self.plan = plan
        self.journal = journal
        self.policy = write_policy(api.t.policy)
        self.refs: dict[str, str] = {}
        self.retries = 0
        self.stop = threading.Event()
        self.conflicts: list[str] = []
        self.progress = progress  # (operations done, of the plan's total), after each is journaled
        self._shown = threading.Lock()
        self.ctx = ops.Context(api, journal, self._id)
        for i, ids in journal.done.items():
            if "ref" in plan.ops[i] and "id" in ids:
                self.refs[plan.ops[i]["ref"]] = ids["id"]

    @property
    def verifications(self) -> int:
        return self.ctx.verifications

    def _id(self, obj: dict[str, Any]) -> str:
        if "ref" in obj:
            if obj["ref"] not in self.refs:
                raise IncompleteError(f"operation depends on {obj['ref']}, which was not created")
            return self.refs[obj["ref"]]
        return str(obj["id"])

    # ------------------------------------------------------------------ scheduling
    def run(self, workers: int = 8) -> None:
        self._report()  # on --resume this counts what was already done
        groups: dict[str, list[int]] = defaultdict(list)
        tail: list[int] = []
        for i, op in enumerate(self.plan.ops):
            (tail if ops.of(op).tail else groups[op.get("model", "")]).append(i)
        todo = list(groups.values())
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo) or 1))) as pool:
            errors = [f.exception() for f in [pool.submit(self._group, g) for g in todo]]
        for err in errors:
            if err is not None and not isinstance(err, ops.Conflict):
                raise err
        self._stopped()
        for i in tail:  # sources of the models that were created, even if another model conflicted
            self._one(i, None)
            self._stopped()
        if self.conflicts:
            raise ConflictError(
                f"{len(self.conflicts)} cell(s) changed on ORKG during the push and were not overwritten: "
                + "; ".join(self.conflicts[:5])
                + " (every other change was applied; `orkg-sync diff` shows these as conflicts)"
            )

    def _stopped(self) -> None:
        if self.stop.is_set():
            n = len(self.journal.done)
            raise IncompleteError(f"interrupted after {n} of {len(self.plan.ops)} operation(s); {RESUME}")

    def _group(self, indices: list[int]) -> None:
        """One model: one read just before its first write (compare-and-set), then its operations."""
        remaining = [i for i in indices if i not in self.journal.done]
        if not remaining:
            return
        now = self._now(remaining)
        try:
            for i in remaining:
                if self.stop.is_set():
                    return
                if self.plan.ops[i]["op"] == "create_model" and now is None:
                    self._one(i, None)
                    now = self._now_after_create(i, indices)
                    continue
                self._one(i, now)
            self._check_after(remaining)
        except ops.Conflict as err:
            self.conflicts.append(str(err))
            raise

    def _check_after(self, indices: list[int]) -> None:
        """Two pushes adding a value to the same cell at once: after our writes, one read of the model;
        of two new statements in a cell the older stays and the newer push withdraws its own (the same
        value: silently; another value: as a conflict). Only groups that added statements pay the read."""
        created = [
            i
            for i in indices
            if self.plan.ops[i]["op"] == "create_statement" and "statement" in self.journal.done.get(i, {})
        ]
        if not created:
            return
        now = ops.Now.read(self.api, self._id(self.plan.ops[created[0]]["subject"]))
        for i in created:
            op, ours = self.plan.ops[i], self.journal.done[i]["statement"]
            before = {b["statement_id"] for b in op.get("before", [])}
            rivals = [st for st in now.cell(op["predicate"]) if st["id"] not in before]
            if len(rivals) < 2:
                continue
            first = min(rivals, key=lambda st: (str(st.get("created_at", "")), ops.id_key(st["id"])))
            if first["id"] == ours:
                continue
            self.api.delete_statement(ours)
            self.journal.finish(i, {"withdrawn": ours, "theirs": first["id"]})
            if first["object"].get("label") != op["object"].get("label"):
                theirs = first["object"].get("label")
                self.conflicts.append(f"{ops.cell_name(op)}: another push wrote {theirs!r} at the same time")

    def _now(self, remaining: list[int]) -> ops.Now | None:
        subject = self.plan.ops[remaining[0]].get("subject", {})
        if "id" in subject:
            return ops.Now.read(self.api, subject["id"])
        if "ref" in subject and subject["ref"] in self.refs:  # created (or adopted) before: read it
            return ops.Now.read(self.api, self.refs[subject["ref"]])
        return None

    def _now_after_create(self, i: int, indices: list[int]) -> ops.Now | None:
        """A model we just created is empty (no read); one we adopted or made before a crash is read."""
        ids = self.journal.done.get(i, {})
        resumed = any(j in self.journal.started for j in indices if j != i)
        if ids.get("adopted") or resumed:
            return ops.Now.read(self.api, ids["id"])
        return None

    # ------------------------------------------------------------------ one operation
    def _one(self, i: int, now: ops.Now | None) -> None:
        if i in self.journal.done:
            return
        op = self.plan.ops[i]
        kind = ops.of(op)
        ids = kind.precondition(op, i, now, self.ctx) if (now is not None or not kind.reads_model) else None
        if ids is None and i in self.journal.started:  # crashed mid-write last time: look first
            ids = kind.verify(op, i, self.ctx)
        if ids is not None:
            self._record(i, op, ids)
            return
        self.journal.start(i, {k: op[k] for k in BEFORE if k in op})
        started = time.monotonic()
        policy = self.policy
        for attempt in range(policy.attempts):
            try:
                ids = kind.write(op, i, self.ctx)
            except (AuthError, InputError, IncompleteError):
                raise
            except RemoteError:
                ids = kind.verify(op, i, self.ctx)  # the answer was lost: did the write happen?
                if ids is None:
                    self.retries += 1
                    delay = policy.delay(attempt, None)
                    if time.monotonic() - started + delay > policy.total_time:
                        break
                    time.sleep(delay)
                    continue
            assert ids is not None
            self._record(i, op, ids)
            return
        raise IncompleteError(
            f"push stopped at operation {i + 1} of {len(self.plan.ops)} ({op['op']}) "
            f"after {policy.attempts} attempts; {RESUME}"
        )

    def _record(self, i: int, op: dict[str, Any], ids: dict[str, Any]) -> None:
        if "ref" in op and "id" in ids:
            self.refs[op["ref"]] = ids["id"]
        self.journal.finish(i, ids)
        self._report()

    def _report(self) -> None:
        if self.progress is not None:
            with self._shown:  # one line on the terminal, written by one worker at a time
                self.progress(len(self.journal.done), len(self.plan.ops))
