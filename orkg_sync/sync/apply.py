"""Execute a plan against ORKG: journal every step, verify before any second attempt, never duplicate.

ORKG has no transactions, ETags or bulk writes, so safety comes from here: each write is journaled
before and after; a write whose answer was lost (dropped connection, 5xx) is checked by reading
ORKG, and only repeated if it did not happen. Operations of different models run concurrently (they
touch disjoint statements); those of one model run in plan order.
"""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.errors import NotFound
from orkg_sync.errors import AuthError, IncompleteError, InputError, RemoteError
from orkg_sync.sync.journal import Journal
from orkg_sync.sync.plan import Plan

ATTEMPTS = 4


class Applier:
    def __init__(self, api: OrkgApi, plan: Plan, journal: Journal) -> None:
        self.api = api
        self.plan = plan
        self.journal = journal
        self.refs: dict[str, str] = {}
        self.verifications = 0
        self.retries = 0
        for i, ids in journal.done.items():
            if "ref" in plan.ops[i]:
                self.refs[plan.ops[i]["ref"]] = ids["id"]

    # ------------------------------------------------------------------ helpers
    def _id(self, obj: dict[str, Any]) -> str:
        if "ref" in obj:
            if obj["ref"] not in self.refs:
                raise IncompleteError(f"operation depends on {obj['ref']}, which was not created")
            return self.refs[obj["ref"]]
        return str(obj["id"])

    def run(self, workers: int = 8) -> None:
        groups: dict[str, list[int]] = defaultdict(list)
        tail: list[int] = []
        for i, op in enumerate(self.plan.ops):
            if op["op"] in ("set_sources", "prune_model"):
                tail.append(i)  # after every model exists / once it left the sources
            else:
                groups[op.get("model", "")].append(i)

        def run_group(indices: list[int]) -> None:
            for i in indices:
                self._one(i)

        todo = list(groups.values())
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo) or 1))) as pool:
            errors = [f.exception() for f in [pool.submit(run_group, g) for g in todo]]
        for err in errors:
            if err is not None:
                raise err
        for i in tail:
            self._one(i)

    def _one(self, i: int) -> None:
        if i in self.journal.done:
            return
        op = self.plan.ops[i]
        if i in self.journal.started:  # crashed mid-write last time: look before writing again
            ids = self._verify(op)
            if ids is not None:
                self._record(i, op, ids)
                return
        self.journal.start(i)
        for attempt in range(ATTEMPTS):
            try:
                ids = self._write(op, i)
            except (AuthError, InputError):
                raise
            except RemoteError:
                ids = self._verify(op)  # the answer was lost: did the write happen?
                if ids is None:
                    self.retries += 1
                    time.sleep(min(2.0, 0.05 * 2**attempt))
                    continue
            self._record(i, op, ids)
            return
        raise IncompleteError(
            f"push stopped at operation {i + 1} of {len(self.plan.ops)} ({op['op']}) "
            f"after {ATTEMPTS} attempts; "
            "run `orkg-sync push --resume` to finish it"
        )

    def _record(self, i: int, op: dict[str, Any], ids: dict[str, Any]) -> None:
        if "ref" in op:
            self.refs[op["ref"]] = ids["id"]
        self.journal.finish(i, ids)

    # ------------------------------------------------------------------ writes
    def _write(self, op: dict[str, Any], i: int) -> dict[str, Any]:
        kind = op["op"]
        api = self.api
        if kind == "update_literal":
            api.update_literal(op["literal"], op["label"], op["datatype"])
            return {}
        if kind == "update_label":
            api.update_resource(op["resource"], label=op["label"])
            return {}
        if kind == "delete_statement":
            api.delete_statement(op["statement"])
            return {}
        if kind == "create_model":
            rid = self._object(
                {"object": {"resource": True, "label": op["label"], "classes": ["Contribution"]}}, i
            )
            self.refs[op["ref"]] = rid
            self._link(op["paper"], rid)
            return {"id": rid}
        if kind == "create_statement":
            subject = self._id(op["subject"])
            oid = self._object(op, i)
            sid = api.create_statement(subject, op["predicate"], oid)
            return {"statement": sid, "object": oid}
        if kind == "set_sources":
            api.update_comparison_sources(
                op["comparison"], [{"id": s, "type": "THING"} for s in self._sources(op)]
            )
            return {}
        if kind == "prune_model":
            return self._prune(op)
        raise InputError(f"unknown operation {kind!r} in the plan")

    def _prune(self, op: dict[str, Any]) -> dict[str, Any]:
        """Delete a dropped contribution, its statements and its paper link; keep it if a published
        comparison version still cites it (ORKG refuses to delete a resource in use, and frozen versions
        must not change)."""
        rid = op["resource"]
        incoming = list(self.api.statements(obj=rid))
        frozen = [st for st in incoming if "ComparisonPublished" in st["subject"].get("classes", [])]
        if frozen:
            return {"kept": f"cited by published version {frozen[0]['subject']['id']}"}
        for st in incoming:
            if st["predicate"]["id"] == "P31" or st["predicate"]["id"] == "compareContribution":
                self.api.delete_statement(st["id"])
        for st in list(self.api.statements(subject=rid)):
            self.api.delete_statement(st["id"])
        self.api.delete_resource(rid)
        return {"deleted": rid}

    def _object(self, op: dict[str, Any], i: int) -> str:
        """The statement's object: existing, or created once (journaled, so a retry never makes a second)."""
        obj = op["object"]
        if "id" in obj:
            return str(obj["id"])
        if i in self.journal.objects:
            return self.journal.objects[i]
        kind = "literal" if obj.get("literal") else "resource"
        for attempt in range(ATTEMPTS):
            try:
                if kind == "literal":
                    oid = self.api.create_literal(obj["label"], obj["datatype"])
                else:
                    oid = self.api.create_resource(obj["label"], obj["classes"])
            except RemoteError:
                found = self._find_unused(kind, obj["label"])  # created, answer lost?
                if found is None:
                    self.retries += 1
                    time.sleep(min(2.0, 0.05 * 2**attempt))
                    continue
                oid = found
            self.journal.created_object(i, oid)
            return oid
        raise IncompleteError(f"could not create the {kind} {obj['label']!r}; run `orkg-sync push --resume`")

    def _find_unused(self, kind: str, label: str, klass: str | None = None) -> str | None:
        """The newest {kind} with this exact label that no statement uses: ours, whose answer was lost."""
        self.verifications += 1
        found = self.api.t.get_json(
            f"/api/{kind}s",
            what=f"{kind}s labelled {label!r}",
            params={"q": label, "exact": "true", "size": 50},
        )
        for r in sorted(found.get("content", []), key=lambda r: r.get("created_at", ""), reverse=True):
            if r.get("label") != label or (klass and klass not in r.get("classes", [])):
                continue
            if not any(True for _ in self.api.statements(obj=r["id"])):
                return str(r["id"])
        return None

    def _link(self, paper: str, contribution: str) -> None:
        for attempt in range(ATTEMPTS):
            try:
                self.api.create_statement(paper, "P31", contribution)
                return
            except RemoteError:
                if any(
                    st["subject"]["id"] == paper
                    for st in self.api.statements(obj=contribution, predicate="P31")
                ):
                    return
                self.retries += 1
                time.sleep(min(2.0, 0.05 * 2**attempt))
        raise IncompleteError(
            f"could not link new contribution {contribution} to paper {paper}; run --resume"
        )

    def _sources(self, op: dict[str, Any]) -> list[str]:
        current = [s["id"] for s in self.api.comparison(op["comparison"]).get("sources", [])]
        removed = set(op["remove"])
        added = [self._id(a) for a in op["add"]]
        return [s for s in current if s not in removed] + [a for a in added if a not in current]

    # ------------------------------------------------------------------ verification (reads only)
    def _verify(self, op: dict[str, Any]) -> dict[str, Any] | None:
        """The ids of the operation's effect if ORKG already shows it, else None."""
        self.verifications += 1
        kind = op["op"]
        api = self.api
        if kind == "update_literal":
            return {} if api.literal(op["literal"])["label"] == op["label"] else None
        if kind == "update_label":
            return {} if api.resource(op["resource"])["label"] == op["label"] else None
        if kind == "delete_statement":
            try:
                api.t.get_json(f"/api/statements/{op['statement']}", what=f"statement {op['statement']}")
            except NotFound:
                return {}
            return None
        if kind == "create_model":
            rid = self.refs.get(op["ref"]) or self.journal.objects.get(self.plan.ops.index(op))
            if rid is None:
                rid = self._find_unused("resource", op["label"], "Contribution")
            if rid is None:
                return None
            self.refs[op["ref"]] = rid
            self._link(op["paper"], rid)
            return {"id": rid}
        if kind == "create_statement":
            subject = self._id(op["subject"])
            obj = op["object"]
            for st in api.statements(subject=subject, predicate=op["predicate"]):
                o = st["object"]
                same = o["id"] == obj.get("id") if "id" in obj else o.get("label") == obj["label"]
                if same and ("id" in obj or o["_class"] == ("literal" if obj.get("literal") else "resource")):
                    return {"statement": st["id"], "object": o["id"]}
            return None
        if kind == "prune_model":
            try:
                api.resource(op["resource"])
            except NotFound:
                return {"deleted": op["resource"]}
            return None  # still there: prune again (each of its steps is safe to repeat)
        if kind == "set_sources":
            current = [s["id"] for s in api.comparison(op["comparison"]).get("sources", [])]
            want_in = {self._id(a) for a in op["add"] if "ref" not in a or a["ref"] in self.refs}
            ok = want_in <= set(current) and not set(op["remove"]) & set(current)
            return {} if ok else None
        return None
