"""Turn local changes into ORKG write operations, in ORKG's own form (the mapping's render rules).

An unchanged value is never rewritten: a cell is only touched when its RDF values changed, and a
re-rendered label keeps the style the ORKG value had (``2024.9`` stays unpadded, ``1B; 3B`` keeps its
separator and units). Existing ORKG resources for a concept are reused, not duplicated.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from orkg_sync.errors import InputError
from orkg_sync.mapping import Mapping, PropertyMapping
from orkg_sync.mapping.rules import Term
from orkg_sync.mapping.rules.literal import accepts
from orkg_sync.pull.syncbase import SyncBase
from orkg_sync.snapshot import Snapshot
from orkg_sync.sync.diff import Change
from orkg_sync.sync.nested import column_label, refuse_unknown_rows
from orkg_sync.sync.values import LABEL, ModelState, term

PLAN_FORMAT = "orkg-sync-plan/1"


@dataclass
class Plan:
    host: str
    comparison_id: str
    head_id: str
    ops: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    fingerprint: str = ""  # remote state of the touched models when the plan was made
    touched: list[str] = field(default_factory=list)

    @property
    def plan_id(self) -> str:
        body = json.dumps([self.host, self.comparison_id, self.ops, self.fingerprint], sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:16]

    def to_json(self) -> str:
        doc = {
            "format": PLAN_FORMAT,
            "id": self.plan_id,
            "host": self.host,
            "comparison_id": self.comparison_id,
            "head_id": self.head_id,
            "fingerprint": self.fingerprint,
            "touched": self.touched,
            "changes": self.changes,
            "ops": self.ops,
        }
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, origin: str) -> Plan:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"{origin}:{err.lineno}:{err.colno}: {err.msg}") from None
        if not isinstance(doc, dict) or doc.get("format") != PLAN_FORMAT:
            raise InputError(f'{origin}: not an orkg-sync plan (expected "format": "{PLAN_FORMAT}")')
        plan = cls(
            doc["host"],
            doc["comparison_id"],
            doc["head_id"],
            doc["ops"],
            doc["changes"],
            doc["fingerprint"],
            doc["touched"],
        )
        if plan.plan_id != doc.get("id"):
            raise InputError(f"{origin}: the plan was modified after it was made (id mismatch)")
        return plan

    def removed_models(self) -> list[str]:
        """Labels of the models this plan drops from the comparison (they need an informed yes)."""
        return sorted(c["label"] for c in self.changes if c["kind"] == "model-removed")

    def summary_lines(self) -> list[str]:
        out = []
        for op in self.ops:
            out.append("  " + describe(op))
        return out


def describe(op: dict[str, Any]) -> str:
    from orkg_sync.sync.ops import of

    return of(op).describe(op)


def _column_label(mapping: Mapping, column: str) -> str:
    if column == LABEL:
        return "model name"
    nested = column_label(mapping, column)
    return nested or next(pm.orkg_label for pm in mapping.properties if pm.property == column)


def _pm(mapping: Mapping, column: str) -> PropertyMapping:
    col = mapping.nested_column(column)
    return col.mapping if col is not None else next(pm for pm in mapping.properties if pm.property == column)


def _desired_literal(pm: PropertyMapping, values: frozenset[str], base_labels: list[str]) -> list[str]:
    """The ORKG literal label(s) for a literal column's new RDF values, styled like the old label."""
    tags = pm.rule.companions()
    terms: list[Term] = []
    extra: dict[str, list[Term]] = {}
    for v in sorted(values):
        tag, _, nt = v.partition(" ")
        if tag in tags and nt:
            extra.setdefault(tag, []).append(term(nt))
        else:
            terms.append(term(v))
    return pm.rule.from_rdf(terms, extra, base_labels)


def _items(pm: PropertyMapping, values: frozenset[str]) -> dict[str, Term]:
    """Desired items of a resource column keyed by the rule's item key (concept IRI or free text)."""
    out: dict[str, Term] = {}
    for v in sorted(values):
        t = term(v)
        out[pm.rule.item_key(t)] = t
    return out


def _item_keys(pm: PropertyMapping, label: str, object_id: str = "") -> set[str] | None:
    try:
        return pm.rule.existing_keys(label, object_id)
    except ValueError:
        return None


def build_plan(
    changes: list[Change],
    base: SyncBase,
    base_snapshot: Snapshot,
    remote_snapshot: Snapshot,
    local: dict[str, ModelState],
    mapping: Mapping,
    pref: dict[str, str],
    prune: bool = False,
) -> Plan:
    plan = Plan(base.host, base.comparison_id, base.head_id)
    refuse_unknown_rows(changes, base, local, mapping)
    reusable = _reusable_resources(remote_snapshot, mapping)
    add_sources: list[Any] = []
    remove_sources: list[str] = []
    n_ref = 0
    for ch in changes:
        plan.changes.append(ch.to_json())
        if ch.kind == "model-removed":
            remove_sources.append(ch.model)
            continue
        if ch.kind == "model-added":
            if base.paper_id is None:
                raise InputError("cannot add a model: the sync base does not know the survey paper")
            n_ref += 1
            ref = f"m{n_ref}"
            state = local[ch.model]
            plan.ops.append(
                {
                    "op": "create_model",
                    "ref": ref,
                    "label": state.label,
                    "paper": base.paper_id,
                    "model": ch.model,
                    "model_label": state.label,
                    "since": base.retrieved_at,  # a same-label contribution made after this is adopted
                }
            )
            add_sources.append({"ref": ref})
            for col in [pm.property for pm in mapping.properties]:
                if state.column(col):
                    cell = Change("value", ch.model, state.label, col, frozenset(), state.column(col))
                    _cell_ops(plan, cell, {"ref": ref}, [], mapping, pref, reusable, base)
            continue
        subject = {"id": ch.model}
        existing = base.cell(ch.model, ch.column) if ch.column else []
        _cell_ops(plan, ch, subject, existing, mapping, pref, reusable, base)
    if add_sources or remove_sources:
        plan.ops.append(
            {
                "op": "set_sources",
                "comparison": base.head_id,
                "add": add_sources,
                "remove": sorted(remove_sources),
                "remove_labels": [base.models.get(c, {}).get("label", c) for c in sorted(remove_sources)],
            }
        )
    if prune:
        for cid in sorted(remove_sources):
            label = base.models.get(cid, {}).get("label", cid)
            plan.ops.append({"op": "prune_model", "resource": cid, "label": label, "paper": base.paper_id})
    plan.touched = sorted({c.model for c in changes if not c.model.startswith("new:")})
    return plan


def _reusable_resources(snap: Snapshot, mapping: Mapping) -> dict[tuple[str, str], str]:
    """(column, item key) -> id of an existing ORKG resource whose label is exactly that one item."""
    by_pid = mapping.predicate_ids(snap.predicates, str(snap.source.get("host") or ""))
    found: dict[tuple[str, str], str] = {}
    for st in sorted(snap.statements.values(), key=lambda s: s["id"]):
        pm = by_pid.get(st["predicate_id"])
        obj = snap.resources.get(st["object_id"])
        if pm is None or pm.value_kind != "resource" or obj is None:
            continue
        keys = _item_keys(pm, obj["label"], obj["id"])
        if keys and len(keys) == 1:
            found.setdefault((pm.property, next(iter(keys))), obj["id"])
    return found


def _cell_ops(
    plan: Plan,
    ch: Change,
    subject: dict[str, Any],
    existing: list[dict[str, Any]],
    mapping: Mapping,
    pref: dict[str, str],
    reusable: dict[tuple[str, str], str],
    base: SyncBase,
) -> None:
    assert ch.column is not None
    col_label = _column_label(mapping, ch.column)
    common = {
        "model": ch.model,
        "model_label": ch.label,
        "column": ch.column,
        "column_label": col_label,
        "subject": subject,
    }
    # before-image of the cell: the compare-and-set precondition of a new value, and what undo restores
    before = [{"statement_id": e["statement_id"], "label": e["label"]} for e in existing]
    if ch.column == LABEL:
        new = term(min(ch.after)).value if ch.after else ""
        old = term(min(ch.before)).value if ch.before else ""
        if not new:
            raise InputError(f"{ch.label} ({ch.model}): a model or nested row must keep a name (rdfs:label)")
        op = {"op": "update_label", "resource": ch.model, "label": new, "expect": old, **common}
        if ch.model in base.nested and ch.model not in base.models:
            op["row"] = "nested"  # an ORKG resource a source reaches, not a contribution
        plan.ops.append(op)
        return
    pm = _pm(mapping, ch.column)
    predicate = base.predicates.get(ch.column) or _no_predicate(pm)
    common["predicate"] = predicate
    if pm.value_kind == "literal":
        try:
            labels = _desired_literal(pm, ch.after, [e["label"] for e in existing])
        except InputError as err:
            raise InputError(f"{ch.label}: {err}; nothing was pushed") from None
        _check_labels(ch, col_label, labels, existing, pm)
        for i, label in enumerate(labels):
            if i < len(existing):
                if existing[i]["label"] != label:
                    plan.ops.append(
                        {
                            "op": "update_literal",
                            "literal": existing[i]["object_id"],
                            "label": label,
                            "datatype": existing[i]["datatype"] or pm.datatype,
                            "expect": existing[i]["label"],
                            "statement": existing[i]["statement_id"],
                            **common,
                        }
                    )
            else:
                plan.ops.append(
                    {
                        "op": "create_statement",
                        "object": {"literal": True, "label": label, "datatype": pm.datatype or "xsd:string"},
                        "before": before,
                        **common,
                    }
                )
        for e in existing[len(labels) :]:
            plan.ops.append(
                {
                    "op": "delete_statement",
                    "statement": e["statement_id"],
                    "object_label": e["label"],
                    "object_id": e["object_id"],
                    "object_class": e["object_class"],
                    "datatype": e["datatype"],
                    **common,
                }
            )
        return
    desired = _items(pm, ch.after)
    covered: set[str] = set()
    for e in existing:
        keys = _item_keys(pm, e["label"], e["object_id"])
        if keys is not None and keys and keys <= set(desired):
            covered |= keys
        else:
            plan.ops.append(
                {
                    "op": "delete_statement",
                    "statement": e["statement_id"],
                    "object_label": e["label"],
                    "object_id": e["object_id"],
                    "object_class": e["object_class"],
                    "datatype": e["datatype"],
                    **common,
                }
            )
    for key in sorted(set(desired) - covered):
        t = desired[key]
        rid = reusable.get((pm.property, key)) or pm.rule.object_id(t)
        label = pm.rule.item_label(key, t)
        if rid is not None:
            obj: dict[str, Any] = {"id": rid, "label": label}
        else:
            classes = [pm.orkg_class] if pm.orkg_class else []
            obj = {"resource": True, "label": label, "classes": classes}
        plan.ops.append({"op": "create_statement", "object": obj, "before": before, **common})


def _check_labels(
    ch: Change, column: str, labels: list[str], existing: list[dict[str, Any]], pm: PropertyMapping
) -> None:
    """ORKG refuses a literal label its datatype does not accept (400 invalid_literal_label): say so
    before any write, naming the cell, instead of stopping half-way with a plan to discard."""
    for i, label in enumerate(labels):
        datatype = (existing[i]["datatype"] if i < len(existing) else None) or pm.datatype or "xsd:string"
        if not accepts(datatype, label):
            raise InputError(
                f"{ch.label} / {column}: {label!r} is not a valid {datatype} (ORKG refuses it); "
                "nothing was pushed"
            )


def _no_predicate(pm: PropertyMapping) -> str:
    raise InputError(
        f"no ORKG predicate known for {pm.orkg_label!r} (no pulled model uses it); "
        "pin its id in the mapping file"
    )
