"""Creating a contribution from ORKG's temp-id request shape (``#id`` for things made in the request)."""

from __future__ import annotations

from orkg_sync.sandbox import graph as g
from orkg_sync.sandbox.auth import Account
from orkg_sync.sandbox.content import new_list
from orkg_sync.sandbox.db import Json
from orkg_sync.sandbox.literals import normalise_datatype, validate_label
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

TEMP_KINDS = ("resources", "literals", "predicates", "lists")


class TempIds:
    """The request's ``#temp`` ids, mapped to the ids of the things created for them."""

    def __init__(self, body: Json) -> None:
        self.ids: dict[str, str] = {}
        for key in TEMP_KINDS:
            for tid in body.get(key) or {}:
                if not str(tid).startswith("#"):
                    fail(
                        400,
                        "invalid_temp_id",
                        f'Invalid temp id "{tid}". Requires "#" as prefix.',
                        temp_id=tid,
                    )
                if tid in self.ids:
                    fail(400, "duplicate_temp_ids", f'Duplicate temp id "{tid}".', temp_id=tid)
                self.ids[tid] = ""

    def resolve(self, ref: str) -> str:
        if ref.startswith("#"):
            if ref not in self.ids:
                fail(400, "thing_not_defined", f'Thing "{ref}" not defined.', thing_id=ref)
            return self.ids[ref]
        if get_store().thing(ref) is None:
            fail(400, "thing_not_found", f'Thing "{ref}" not found.', thing_id=ref)
        return ref


def _create_temp_things(acc: Account, body: Json, temp: TempIds, extraction: str) -> None:
    store = get_store()
    for tid, spec in (body.get("resources") or {}).items():
        rid = store.new_id("R")
        g.make_resource(acc, rid, spec["label"], g.check_classes(spec.get("classes")), None, extraction)
        temp.ids[tid] = rid
    for tid, spec in (body.get("literals") or {}).items():
        datatype = normalise_datatype(spec.get("data_type"))
        validate_label(spec["label"], datatype)  # ThingsCommandValidator.kt
        temp.ids[tid] = g.make_literal(acc, spec["label"], datatype, extraction)["id"]
    for tid, spec in (body.get("predicates") or {}).items():
        pid = store.new_id("P")
        g.make_predicate(acc, pid, spec["label"], None, extraction)
        if spec.get("description"):
            lit = g.make_literal(acc, spec["description"], "xsd:string")
            g.make_statement(acc, pid, "description", lit["id"])
        temp.ids[tid] = pid
    for tid, spec in (body.get("lists") or {}).items():
        temp.ids[tid] = new_list(
            acc, spec.get("label", ""), [temp.resolve(e) for e in spec.get("elements", [])]
        )


def _walk(acc: Account, temp: TempIds, subject: str, statements: Json, extraction: str) -> None:
    for pred, objects in statements.items():
        p = temp.resolve(pred)
        for o in objects:
            oid = temp.resolve(o["id"])
            triple = {
                "subject_id": subject,
                "predicate_id": p,
                "object_id": oid,
                "extraction_method": extraction,
            }
            g.create_statement(acc, triple)
            if o.get("statements"):
                _walk(acc, temp, oid, o["statements"], extraction)


def create_contribution(acc: Account, paper: str, body: Json, extraction: str) -> str:
    """One contribution of ``paper`` with its statements; returns its id."""
    temp = TempIds(body)
    _create_temp_things(acc, body, temp, extraction)
    contrib = body.get("contribution")
    if not isinstance(contrib, dict):
        fail(
            400,
            "mismatched_json_input",
            'Field "#/contribution" is either missing or null.',
            pointer="#/contribution",
        )
    if not contrib.get("statements"):
        fail(400, "empty_contribution", "The contribution does not contain any statements.")
    cid = get_store().new_id("R")
    classes = sorted({"Contribution", *g.check_classes(contrib.get("classes"))})
    g.make_resource(acc, cid, contrib.get("label", ""), classes, None, extraction)
    _walk(acc, temp, cid, contrib["statements"], extraction)
    g.make_statement(acc, paper, "P31", cid, extraction)
    return cid
