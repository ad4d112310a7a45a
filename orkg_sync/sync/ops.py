"""One class per write operation: describe, precondition (compare-and-set), write, verify, inverse.

ORKG has no ETag or ``If-Match``, so compare-and-set is done here: just before an operation writes, the
applier re-reads its model once (all its statements, one request) and every remaining operation of the
model checks that the cell it replaces still holds what the plan saw (or already holds the new value,
after a crash). Anything else is a conflict: that change stops, nothing is overwritten.

An operation is still stored as the plain dict the plan file holds (``{"op": kind, ...}``); the class
registered for its kind gives it behaviour. ``inverse`` turns a finished operation and the ids it got
into the operations that undo it (``orkg-sync undo``): the journal plus the plan are the before-image.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.errors import NotFound
from orkg_sync.errors import IncompleteError

Op = dict[str, Any]
HAS_CONTRIBUTION, COMPARE, CONTRIBUTION = "P31", "compareContribution", "Contribution"


@dataclass
class Now:
    """What ORKG holds for one model just before its writes: its statements (inlined), one request."""

    subject: str
    statements: list[dict[str, Any]] = field(default_factory=list)
    label: str | None = None  # the contribution's own label, if a statement carried it

    @classmethod
    def read(cls, api: OrkgApi, subject: str) -> Now:
        sts = list(api.statements(subject=subject))
        label = sts[0]["subject"].get("label") if sts else None
        return cls(subject, sts, label)

    def cell(self, predicate: str) -> list[dict[str, Any]]:
        return [st for st in self.statements if st["predicate"]["id"] == predicate]

    def statement(self, sid: str) -> dict[str, Any] | None:
        return next((st for st in self.statements if st["id"] == sid), None)


class Conflict(Exception):
    """The cell an operation replaces moved on ORKG since the plan: stop it, name the cell."""


class Context:
    """What operations need while they run: the API, refs of created models, the journal, counters."""

    def __init__(self, api: OrkgApi, journal: Any, resolve: Callable[[dict[str, Any]], str]) -> None:
        self.api = api
        self.journal = journal
        self.id_of = resolve
        self.verifications = 0

    def known(self, obj: dict[str, Any]) -> bool:
        try:
            self.id_of(obj)
        except IncompleteError:
            return False
        return True

    def find_unused(self, kind: str, label: str, klass: str | None = None, since: str = "") -> str | None:
        """The newest {kind} with this exact label, created since ``since``, that nothing uses: ours,
        created just before a crash or a lost answer (its id was never journaled)."""
        self.verifications += 1
        found = self.api.t.get_json(
            f"/api/{kind}s",
            what=f"{kind}s labelled {label!r}",
            params={"q": label, "exact": "true", "size": 50, "sort": "created_at,desc"},
        )
        for r in sorted(found.get("content", []), key=lambda r: r.get("created_at", ""), reverse=True):
            if r.get("label") != label or (klass and klass not in r.get("classes", [])):
                continue
            if not after(r.get("created_at"), since):
                continue
            if not any(True for _ in self.api.statements(obj=r["id"])):
                return str(r["id"])
        return None


class Operation:
    kind: ClassVar[str]
    tail: ClassVar[bool] = False  # runs after every model's operations (sources, prune)
    reads_model: ClassVar[bool] = True  # needs the model's statements for its precondition

    def describe(self, op: Op) -> str:
        return self.kind

    def precondition(self, op: Op, i: int, now: Now | None, ctx: Context) -> dict[str, Any] | None:
        """Raise Conflict if ORKG moved; return the ids if the effect is already there; else None."""
        return None

    def write(self, op: Op, i: int, ctx: Context) -> dict[str, Any]:
        raise NotImplementedError

    def verify(self, op: Op, i: int, ctx: Context) -> dict[str, Any] | None:
        """The ids of the operation's effect if ORKG already shows it, else None (reads only)."""
        return None

    def inverse(self, op: Op, ids: dict[str, Any]) -> list[Op]:
        return []


REGISTRY: dict[str, Operation] = {}


def register(cls: type[Operation]) -> type[Operation]:
    REGISTRY[cls.kind] = cls()
    return cls


def of(op: Op) -> Operation:
    try:
        return REGISTRY[op["op"]]
    except KeyError:
        from orkg_sync.errors import InputError

        raise InputError(f"unknown operation {op.get('op')!r} in the plan") from None


def cell_name(op: Op) -> str:
    return f"{op.get('model_label', op.get('model'))} / {op.get('column_label', 'model name')}"


@register
class UpdateLiteral(Operation):
    kind = "update_literal"

    def describe(self, op: Op) -> str:
        return f"~ {op['model_label']}: {op['column_label']} {op['expect']!r} -> {op['label']!r}"

    def precondition(self, op: Op, i: int, now: Now | None, ctx: Context) -> dict[str, Any] | None:
        assert now is not None
        st = now.statement(op["statement"])
        if st is None or st["object"]["id"] != op["literal"]:
            raise Conflict(f"{cell_name(op)}: the value {op['expect']!r} was removed on ORKG since the plan")
        label = st["object"].get("label")
        if label == op["label"]:
            return {}
        if label != op["expect"]:
            raise Conflict(f"{cell_name(op)}: ORKG now has {label!r} (the plan replaced {op['expect']!r})")
        return None

    def write(self, op: Op, i: int, ctx: Context) -> dict[str, Any]:
        ctx.api.update_literal(op["literal"], op["label"], op["datatype"])
        return {}

    def verify(self, op: Op, i: int, ctx: Context) -> dict[str, Any] | None:
        ctx.verifications += 1
        return {} if ctx.api.literal(op["literal"])["label"] == op["label"] else None

    def inverse(self, op: Op, ids: dict[str, Any]) -> list[Op]:
        return [{**op, "label": op["expect"], "expect": op["label"]}]


@register
class UpdateLabel(Operation):
    kind = "update_label"

    def describe(self, op: Op) -> str:
        what = "nested row" if op.get("row") == "nested" else "model"
        return f"~ {what} {op['expect']!r} renamed to {op['label']!r} ({op['resource']})"

    def precondition(self, op: Op, i: int, now: Now | None, ctx: Context) -> dict[str, Any] | None:
        label = now.label if now is not None else None
        if label is None:
            ctx.verifications += 1
            label = ctx.api.resource(op["resource"])["label"]
        if label == op["label"]:
            return {}
        if label != op["expect"]:
            raise Conflict(f"model {op['expect']!r}: renamed to {label!r} on ORKG since the plan")
        return None

    def write(self, op: Op, i: int, ctx: Context) -> dict[str, Any]:
        ctx.api.update_resource(op["resource"], label=op["label"])
        return {}

    def verify(self, op: Op, i: int, ctx: Context) -> dict[str, Any] | None:
        ctx.verifications += 1
        return {} if ctx.api.resource(op["resource"])["label"] == op["label"] else None

    def inverse(self, op: Op, ids: dict[str, Any]) -> list[Op]:
        return [{**op, "label": op["expect"], "expect": op["label"]}]


@register
class DeleteStatement(Operation):
    kind = "delete_statement"

    def describe(self, op: Op) -> str:
        return f"- {op['model_label']}: {op['column_label']} {op['object_label']!r}"

    def precondition(self, op: Op, i: int, now: Now | None, ctx: Context) -> dict[str, Any] | None:
        assert now is not None
        st = now.statement(op["statement"])
        if st is None:
            return {}  # gone already (by us before a crash, or by someone with the same intent)
        if st["object"].get("label") != op["object_label"]:
            raise Conflict(
                f"{cell_name(op)}: ORKG now has {st['object'].get('label')!r} "
                f"(the plan removes {op['object_label']!r})"
            )
        return None

    def write(self, op: Op, i: int, ctx: Context) -> dict[str, Any]:
        ctx.api.delete_statement(op["statement"])
        return {}

    def verify(self, op: Op, i: int, ctx: Context) -> dict[str, Any] | None:
        ctx.verifications += 1
        try:
            ctx.api.t.get_json(f"/api/statements/{op['statement']}", what=f"statement {op['statement']}")
        except NotFound:
            return {}
        return None

    def inverse(self, op: Op, ids: dict[str, Any]) -> list[Op]:
        if "object_id" not in op:
            return []  # a plan from before before-images were recorded
        obj: dict[str, Any] = {"id": op["object_id"], "label": op["object_label"]}
        if op.get("object_class") == "literal":
            obj |= {"literal": True, "datatype": op.get("datatype") or "xsd:string"}
        drop = ("before", "statement", "object_id", "object_label", "object_class", "datatype")
        rest = {k: v for k, v in op.items() if k not in drop}
        return [{**rest, "op": "create_statement", "object": obj}]  # no "before": restore beside others


@register
class CreateStatement(Operation):
    kind = "create_statement"

    def describe(self, op: Op) -> str:
        obj = op["object"]
        what = obj.get("label") or obj.get("id") or obj.get("ref")
        return f"+ {op['model_label']}: {op['column_label']} {what!r}"

    def precondition(self, op: Op, i: int, now: Now | None, ctx: Context) -> dict[str, Any] | None:
        """The cell holds only what the plan saw, plus possibly ours (a crash after the write)."""
        if now is None:
            return None  # a model this push creates: nobody else knows its id
        before = {b["statement_id"] for b in op.get("before", [])}
        gone = {g["statement"] for g in op.get("removes", [])}
        for st in now.cell(op["predicate"]):
            if st["id"] in before or st["id"] in gone:
                continue
            if _same_object(st["object"], op["object"]):
                return {"statement": st["id"], "object": st["object"]["id"]}
            if "before" in op:
                raise Conflict(
                    f"{cell_name(op)}: ORKG now has {st['object'].get('label')!r} (added since the plan)"
                )
        return None

    def write(self, op: Op, i: int, ctx: Context) -> dict[str, Any]:
        subject = ctx.id_of(op["subject"])
        oid = create_object(op, i, ctx)
        sid = ctx.api.create_statement(subject, op["predicate"], oid)
        return {"statement": sid, "object": oid}

    def verify(self, op: Op, i: int, ctx: Context) -> dict[str, Any] | None:
        ctx.verifications += 1
        subject = ctx.id_of(op["subject"])
        for st in ctx.api.statements(subject=subject, predicate=op["predicate"]):
            if _same_object(st["object"], op["object"]):
                return {"statement": st["id"], "object": st["object"]["id"]}
        return None

    def inverse(self, op: Op, ids: dict[str, Any]) -> list[Op]:
        if "statement" not in ids:
            return []
        label = op["object"].get("label", "")
        return [
            {**op, "op": "delete_statement", "statement": ids["statement"], "object_label": label}
            | {"object_id": ids["object"]}
        ]


def after(stamp: Any, since: Any) -> bool:
    """``stamp`` is at or after ``since`` (ISO 8601 with offsets; unknown counts as after)."""
    if not stamp or not since:
        return True
    try:
        return datetime.fromisoformat(str(stamp)) >= datetime.fromisoformat(str(since))
    except ValueError:
        return True


def id_key(ident: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ident if ch.isdigit())
    return (int(digits) if digits else 0, ident)


def _same_object(found: dict[str, Any], wanted: dict[str, Any]) -> bool:
    if "id" in wanted:
        return bool(found["id"] == wanted["id"])
    kind = "literal" if wanted.get("literal") else "resource"
    return bool(found.get("label") == wanted["label"] and found.get("_class") == kind)


def create_object(op: Op, i: int, ctx: Context) -> str:
    """The statement's object: existing, or created once. The intent is journaled first (label,
    datatype, time), so an object created just before a crash is found again and reused, not doubled."""
    obj = op["object"]
    if "id" in obj:
        return str(obj["id"])
    if i in ctx.journal.objects:
        return str(ctx.journal.objects[i])
    kind = "literal" if obj.get("literal") else "resource"
    intent = ctx.journal.intents.get(i)
    if intent is not None:  # we may have created it before a crash or a lost answer
        found = ctx.find_unused(kind, obj["label"], since=intent["at"])
        if found is not None:
            ctx.journal.created_object(i, found)
            return found
    ctx.journal.intent(i, kind, obj["label"], obj.get("datatype"))
    if kind == "literal":
        oid = ctx.api.create_literal(obj["label"], obj["datatype"])
    else:
        oid = ctx.api.create_resource(obj["label"], obj["classes"])
    ctx.journal.created_object(i, oid)
    return oid


@register
class CreateModel(Operation):
    kind = "create_model"
    reads_model = False

    def describe(self, op: Op) -> str:
        return f"+ model {op['label']!r} (new contribution on paper {op['paper']})"

    def precondition(self, op: Op, i: int, now: Now | None, ctx: Context) -> dict[str, Any] | None:
        """A contribution of the same label on the paper, made since the base by someone else, is
        adopted (its cells then agree or conflict value by value): never a duplicate model."""
        mine = ctx.journal.objects.get(i)
        rivals = self._same_label(op, ctx)
        if mine is not None and any(c["id"] == mine for c in rivals):
            return {"id": mine}  # ours, created before a crash
        if rivals:
            return {"id": rivals[0]["id"], "adopted": True}
        return None

    def _same_label(self, op: Op, ctx: Context) -> list[dict[str, Any]]:
        """Contributions on the paper with this label created since the base, oldest first (one read)."""
        ctx.verifications += 1
        links = [
            st
            for st in ctx.api.statements(subject=op["paper"], predicate=HAS_CONTRIBUTION)
            if st["object"].get("label") == op["label"]
            and after(st["object"].get("created_at"), op.get("since"))
        ]
        # ordered by when the paper link was made: of two pushes, the one that linked later always
        # lists after the other's link, so it sees both and is the one that withdraws
        links.sort(key=lambda st: (str(st.get("created_at", "")), id_key(st["id"])))
        return [st["object"] for st in links]

    def write(self, op: Op, i: int, ctx: Context) -> dict[str, Any]:
        obj = {"object": {"resource": True, "label": op["label"], "classes": [CONTRIBUTION]}}
        rid = create_object(obj, i, ctx)
        ctx.api.create_statement(op["paper"], HAS_CONTRIBUTION, rid)
        rivals = self._same_label(op, ctx)  # check after: two pushes adding the same model at once
        first = rivals[0]["id"] if rivals else rid
        if first != rid:  # the other push's came first: withdraw ours and adopt theirs
            for st in list(ctx.api.statements(obj=rid)) + list(ctx.api.statements(subject=rid)):
                ctx.api.delete_statement(st["id"])
            ctx.api.delete_resource(rid)
            return {"id": first, "adopted": True}
        return {"id": rid}

    def verify(self, op: Op, i: int, ctx: Context) -> dict[str, Any] | None:
        return self.precondition(op, i, None, ctx)

    def inverse(self, op: Op, ids: dict[str, Any]) -> list[Op]:
        if ids.get("adopted"):
            return []  # someone else's contribution: not ours to delete
        return [{"op": "prune_model", "resource": ids["id"], "label": op["label"], "paper": op["paper"]}]


@register
class SetSources(Operation):
    kind = "set_sources"
    tail = True
    reads_model = False

    def describe(self, op: Op) -> str:
        gone = ", ".join(op.get("remove_labels") or op["remove"])
        removing = (
            f"; REMOVES {len(op['remove'])} model(s) from the comparison: {gone}" if op["remove"] else ""
        )
        return f"~ sources of {op['comparison']}: +{len(op['add'])} -{len(op['remove'])}{removing}"

    def write(self, op: Op, i: int, ctx: Context) -> dict[str, Any]:
        """Read-modify-write with a check after: another push's sources are merged, never dropped."""
        added = [ctx.id_of(a) for a in op["add"] if ctx.known(a)]  # a model stopped by a conflict: not added
        removed = set(op["remove"])
        for _ in range(6):
            started = time.monotonic()
            current = [s["id"] for s in ctx.api.comparison(op["comparison"]).get("sources", [])]
            wanted = [s for s in current if s not in removed] + [a for a in added if a not in current]
            if wanted != current:
                ctx.api.update_comparison_sources(
                    op["comparison"], [{"id": s, "type": "THING"} for s in wanted]
                )
            # A concurrent push that read the sources before our PUT may still PUT its stale list;
            # its read-to-write gap is about ours, so look again after a few times that gap, twice.
            settle = max(0.5, 3 * (time.monotonic() - started))
            if self._ours_stay(op, added, removed, ctx, settle if wanted != current else 0.0):
                return {"added": added}
        raise IncompleteError(
            f"the sources of {op['comparison']} keep changing under this push; run `orkg-sync push --resume`"
        )

    def _ours_stay(self, op: Op, added: list[str], removed: set[str], ctx: Context, settle: float) -> bool:
        for _ in range(2 if settle else 1):
            time.sleep(settle)
            ctx.verifications += 1
            now = {s["id"] for s in ctx.api.comparison(op["comparison"]).get("sources", [])}
            if not set(added) <= now or removed & now:
                return False
        return True

    def verify(self, op: Op, i: int, ctx: Context) -> dict[str, Any] | None:
        return None  # write() re-reads and merges itself: always safe to run again

    def inverse(self, op: Op, ids: dict[str, Any]) -> list[Op]:
        added = ids.get("added", [])
        return [
            {**op, "add": [{"id": s} for s in op["remove"]], "remove": sorted(added), "remove_labels": []}
        ]


@register
class PruneModel(Operation):
    kind = "prune_model"
    tail = True
    reads_model = False

    def describe(self, op: Op) -> str:
        return f"- contribution {op['label']!r} ({op['resource']}) deleted with its statements (--prune)"

    def write(self, op: Op, i: int, ctx: Context) -> dict[str, Any]:
        """Delete a dropped contribution, its statements and its paper link; keep it if a published
        comparison version still cites it (ORKG refuses to delete a resource in use, and frozen versions
        must not change)."""
        api = ctx.api
        rid = op["resource"]
        incoming = list(api.statements(obj=rid))
        frozen = [st for st in incoming if "ComparisonPublished" in st["subject"].get("classes", [])]
        if frozen:
            return {"kept": f"cited by published version {frozen[0]['subject']['id']}"}
        for st in incoming:
            if st["predicate"]["id"] in (HAS_CONTRIBUTION, COMPARE):
                api.delete_statement(st["id"])
        for st in list(api.statements(subject=rid)):
            api.delete_statement(st["id"])
        api.delete_resource(rid)
        return {"deleted": rid}

    def verify(self, op: Op, i: int, ctx: Context) -> dict[str, Any] | None:
        ctx.verifications += 1
        try:
            ctx.api.resource(op["resource"])
        except NotFound:
            return {"deleted": op["resource"]}
        return None  # still there: prune again (each of its steps is safe to repeat)
