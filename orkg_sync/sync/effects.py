"""Apply a finished plan's effects to a snapshot in memory, so the new sync base costs no extra reads."""

from __future__ import annotations

from typing import Any

from orkg_sync.snapshot import Snapshot
from orkg_sync.sync.plan import Plan

COMPARE = "compareContribution"


def apply_effects(snap: Snapshot, plan: Plan, done: dict[int, dict[str, Any]], refs: dict[str, str]) -> None:
    def rid(obj: dict[str, Any]) -> str:
        return refs[obj["ref"]] if "ref" in obj else str(obj["id"])

    for i, op in enumerate(plan.ops):
        ids = done.get(i)
        if ids is None or "withdrawn" in ids:
            continue
        kind = op["op"]
        if kind == "update_literal" and op["literal"] in snap.literals:
            snap.literals[op["literal"]]["label"] = op["label"]
        elif kind == "update_label" and op["resource"] in snap.resources:
            snap.resources[op["resource"]]["label"] = op["label"]
        elif kind == "delete_statement":
            snap.statements.pop(op["statement"], None)
        elif kind == "create_model":
            if ids.get("adopted") and ids["id"] in snap.resources:
                continue
            snap.add_thing(
                {"_class": "resource", "id": ids["id"], "label": op["label"], "classes": ["Contribution"]}
            )
            sid = f"P31:{op['paper']}:{ids['id']}"  # link id not returned by ORKG; the next pull replaces it
            snap.statements[sid] = {
                "id": sid,
                "subject_id": op["paper"],
                "predicate_id": "P31",
                "object_id": ids["id"],
            }
        elif kind == "create_statement":
            obj = op["object"]
            oid = ids["object"]
            if oid not in snap.literals and oid not in snap.resources:
                if obj.get("literal"):
                    snap.add_thing(
                        {"_class": "literal", "id": oid, "label": obj["label"], "datatype": obj["datatype"]}
                    )
                else:
                    snap.add_thing(
                        {
                            "_class": "resource",
                            "id": oid,
                            "label": obj["label"],
                            "classes": obj.get("classes", []),
                        }
                    )
            sid = ids["statement"]
            snap.statements[sid] = {
                "id": sid,
                "subject_id": rid(op["subject"]),
                "predicate_id": op["predicate"],
                "object_id": oid,
            }
        elif kind == "prune_model" and ids.get("deleted"):
            gone = ids["deleted"]
            for sid in [
                k for k, st in snap.statements.items() if gone in (st["subject_id"], st["object_id"])
            ]:
                del snap.statements[sid]
            snap.resources.pop(gone, None)
        elif kind == "set_sources":
            head = op["comparison"]
            for s in op["remove"]:
                for sid in [
                    k
                    for k, st in snap.statements.items()
                    if (st["subject_id"], st["predicate_id"], st["object_id"]) == (head, COMPARE, s)
                ]:
                    del snap.statements[sid]
            for a in op["add"]:
                if "ref" in a and a["ref"] not in refs:
                    continue  # its model was stopped by a conflict
                target = rid(a)
                sid = f"{COMPARE}:{head}:{target}"
                snap.statements[sid] = {
                    "id": sid,
                    "subject_id": head,
                    "predicate_id": COMPARE,
                    "object_id": target,
                }
