"""`init`: a pulled comparison (plus its ORKG templates) -> a starter dataset definition.

Per column (selected table path, else every predicate the sources use) the best rule of the registry is
chosen by ``detect`` over the column's labels and ORKG datatypes; resource columns get a SKOS concept
scheme of their own (a concept per distinct ORKG resource, ``skos:exactMatch`` to it). The result is
files in memory (name -> bytes): ``mapping.toml``, ``ontology.ttl``, ``vocab/<column>.ttl``, ``shapes.ttl``
and ``README.md``; the CLI writes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from orkg_sync.mapping.generic import column_objects, live_sources, selected_paths
from orkg_sync.mapping.rules import RULES, is_missing
from orkg_sync.mapping.templates import orkg_datatype, xsd_datatype
from orkg_sync.mapping.terms import slug
from orkg_sync.snapshot import Snapshot, id_sort_key

# literal rules init may choose, in order of preference on a tie
LITERAL_CHOICES = ("integer", "decimal", "date", "boolean", "uri", "year_month", "parameter_counts", "string")
RDF_DATATYPE = {  # rule -> the XSD datatype (local name) its values have in the dataset
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "boolean": "boolean",
    "uri": "anyURI",
    "year_month": "gYearMonth",
    "parameter_counts": "integer",
    "string": "string",
}


@dataclass
class Column:
    """What `init` found out about one column, and what it guessed."""

    pid: str
    label: str
    slug: str
    description: str | None
    sources_with_value: int
    max_per_source: int
    kind: str  # literal | resource
    datatype: str | None  # ORKG datatype for literals
    rule: str
    score: float  # the rule's detect score 0..1
    fits: float  # share of the non-missing labels the rule parses
    values: int
    distinct: list[tuple[str, str]] = field(default_factory=list)  # resources: (ORKG id, label)
    template: dict[str, Any] | None = None  # the template property for this predicate, if any

    @property
    def confidence(self) -> str:
        if self.template is not None:
            return "high (from the ORKG template)"
        if self.rule == "string":  # the fallback: sure only when ORKG itself says text
            return "high" if self.datatype in (None, "xsd:string") else "low"
        if self.score >= 0.95:
            return "high"
        return "medium" if self.score >= 0.75 else "low"


def _fits(rule: str, labels: list[str]) -> float:
    present = [x for x in labels if not is_missing(x)]
    if not present:
        return 1.0
    r = RULES[rule]()
    ok = 0
    for label in present:
        try:
            r.parse(label)
            ok += 1
        except ValueError:
            pass
    return ok / len(present)


def choose_literal_rule(labels: list[str], datatypes: list[str | None]) -> tuple[str, float]:
    """The literal rule with the best detect score (ties go to the earlier of LITERAL_CHOICES)."""
    best, score = "string", -1.0
    for name in LITERAL_CHOICES:
        s = RULES[name].detect(labels, datatypes)
        if s > score:
            best, score = name, s
    return best, score


def analyse(snapshot: Snapshot, templates: list[dict[str, Any]] | None = None) -> list[Column]:
    """Every column of the snapshot's comparison with its guessed rule."""
    cid = str(snapshot.comparison.get("id") or "")
    sources = live_sources(snapshot, cid)
    objects = column_objects(snapshot, sources)
    paths = selected_paths(snapshot)
    pids = [str(p["id"]) for p in paths] if paths is not None else sorted(objects, key=id_sort_key)
    by_path = {
        str((p.get("path") or {}).get("id")): p for t in templates or [] for p in t.get("properties") or []
    }
    nested = {str(p["id"]) for p in paths or [] if p.get("children")}
    per_source: dict[str, Counter[str]] = {}
    wanted = set(sources)
    for st in snapshot.statements.values():
        if st["subject_id"] in wanted:
            per_source.setdefault(st["predicate_id"], Counter())[st["subject_id"]] += 1
    out: list[Column] = []
    taken: set[str] = set()
    for pid in pids:
        if pid not in objects:
            continue
        pred = snapshot.predicates.get(pid) or {}
        label = str(pred.get("label") or pid)
        s = slug(label) or pid.lower()
        if s in taken:
            s = f"{s}-{pid.lower()}"
        taken.add(s)
        counts = per_source.get(pid, Counter())
        col = _column(pid, label, s, pred, objects[pid], by_path.get(pid))
        col.sources_with_value, col.max_per_source = len(counts), max(counts.values(), default=0)
        if pid in nested and col.kind == "resource":
            col.rule = "resource"  # its nested rows are stated on the ORKG resources themselves
        out.append(col)
    return out


def _column(
    pid: str, label: str, s: str, pred: dict[str, Any], objs: list[dict[str, Any]], tpl: dict[str, Any] | None
) -> Column:
    lits = [o for o in objs if o.get("_class") == "literal"]
    res = [o for o in objs if o.get("_class") == "resource"]
    desc = pred.get("description") or (tpl or {}).get("description")
    tpl_dt = _template_datatype(tpl)
    if (res and len(res) >= len(lits)) or (tpl or {}).get("class"):
        seen: dict[str, str] = {}
        for o in res:
            seen.setdefault(str(o["id"]), str(o.get("label") or ""))
        distinct = sorted(seen.items(), key=lambda kv: id_sort_key(kv[0]))
        return Column(
            pid, label, s, desc, 0, 0, "resource", None, "concepts", 1.0, 1.0, len(objs), distinct, tpl
        )
    labels = [str(o.get("label") or "") for o in lits]
    dts = [o.get("datatype") for o in lits]
    observed = Counter(str(d or "xsd:string") for d in dts)
    datatype = tpl_dt or (
        sorted(observed.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if observed else "xsd:string"
    )
    rule, score = choose_literal_rule(labels, [datatype] if tpl_dt else dts)
    return Column(
        pid, label, s, desc, 0, 0, "literal", datatype, rule, score, _fits(rule, labels), len(objs), [], tpl
    )


def _template_datatype(tpl: dict[str, Any] | None) -> str | None:
    dt = (tpl or {}).get("datatype")
    return orkg_datatype(str(dt["id"])) if isinstance(dt, dict) and dt.get("id") else None


def column_xsd(col: Column) -> str | None:
    """The XSD datatype (full IRI) the column's values have in the dataset; None for resource columns."""
    if col.kind != "literal":
        return None
    return xsd_datatype("xsd:" + RDF_DATATYPE[col.rule])


@dataclass
class NestedGuess:
    """A nested table row (a selected path below a resource column) and what `init` guessed for it.

    ``column`` is analysed over the ORKG resources the parent path reaches (not the sources): its
    ``sources_with_value``/``max_per_source`` count those resources, and its ``slug`` is the parent's
    slug, "/", the child's (``has-outcome/unit/symbol``), the property IRI the generic mapping gives it.
    """

    path: str  # ORKG predicate ids from the source to the value, joined by "/"
    parent_slug: str  # slug of the column one level up (top-level or nested)
    parents: int  # resources reached through the parent path
    column: Column
    name: str = ""  # the labels along the path: "has outcome / unit / symbol"


def analyse_nested(snapshot: Snapshot, columns: list[Column]) -> list[NestedGuess]:
    """Every nested table path under a resource column, depth first in table order."""
    from orkg_sync.mapping.generic import reached_resources

    cid = str(snapshot.comparison.get("id") or "")
    reached = reached_resources(snapshot, live_sources(snapshot, cid))
    tops = {c.pid: c for c in columns if c.kind == "resource"}
    out: list[NestedGuess] = []

    def walk(nodes: list[dict[str, Any]], path: str, parent_slug: str, names: str) -> None:
        parents = reached.get(path, [])
        objects = column_objects(snapshot, parents)
        counts = _per_subject(snapshot, parents)
        taken: set[str] = set()
        for child in nodes:
            pid = str(child["id"])
            if pid not in objects:
                continue
            pred = snapshot.predicates.get(pid) or {}
            label = str(pred.get("label") or pid)
            s = f"{parent_slug}/{slug(label) or pid.lower()}"
            s = f"{s}-{pid.lower()}" if s in taken else s
            taken.add(s)
            col = _column(pid, label, s, pred, objects[pid], None)
            if col.kind == "resource":
                col.rule = "resource"  # its own rows are stated on the ORKG resources themselves
            got = counts.get(pid, Counter())
            col.sources_with_value, col.max_per_source = len(got), max(got.values(), default=0)
            name = f"{names} / {label}"
            out.append(NestedGuess(f"{path}/{pid}", parent_slug, len(parents), col, name))
            if child.get("children") and col.kind == "resource":
                walk(child["children"], f"{path}/{pid}", s, name)

    for top in selected_paths(snapshot) or []:
        parent = tops.get(str(top["id"]))
        if top.get("children") and parent is not None:
            walk(top["children"], parent.pid, parent.slug, parent.label)
    return out


def _per_subject(snapshot: Snapshot, subjects: list[str]) -> dict[str, Counter[str]]:
    """Predicate id -> how many values each of ``subjects`` has for it."""
    wanted = set(subjects)
    out: dict[str, Counter[str]] = {}
    for st in snapshot.statements.values():
        if st["subject_id"] in wanted:
            out.setdefault(st["predicate_id"], Counter())[st["subject_id"]] += 1
    return out
