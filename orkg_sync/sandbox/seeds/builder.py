"""Expand a compact seed file (one comparison) into ORKG things and statements with stable ids.

A seed file names its papers, contributions, shared resources, predicates, classes and templates with
explicit ids inside its own id block (``range``); literals, lists and statements get ids minted in
order from the same block, so the same file always yields the same ids and timestamps.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from orkg_sync.sandbox.auth import CURATOR_ID
from orkg_sync.sandbox.db import Json, Store
from orkg_sync.sandbox.tables import fill_labels, live_contents

UNKNOWN = "00000000-0000-0000-0000-000000000000"
MINTED_OFFSET = 500  # explicit resource ids sit below base + 500, minted ones above


class SeedError(ValueError):
    """A seed file is inconsistent (unknown reference, id outside its block)."""


class SeedBuilder:
    """Writes one seed file's comparison into a store, inside one transaction of the caller."""

    def __init__(self, store: Store, spec: Json, origin: str) -> None:
        self.store, self.spec, self.origin = store, spec, origin
        self.base, self.top = int(spec["range"][0]), int(spec["range"][1])
        self.clock = datetime.fromisoformat(spec["created_at"])
        self.counters = {"R": self.base + MINTED_OFFSET, "L": self.base, "S": self.base}

    # ---- ids and timestamps -----------------------------------------------------------
    def _mint(self, prefix: str) -> str:
        self.counters[prefix] += 1
        n = self.counters[prefix]
        if n > self.top:
            raise SeedError(f"{self.origin}: id block {self.base}..{self.top} exhausted for {prefix}")
        return f"{prefix}{n}"

    def _check_id(self, thing_id: str) -> str:
        digits = "".join(ch for ch in thing_id if ch.isdigit())
        if not digits or not self.base < int(digits) < self.base + MINTED_OFFSET:
            raise SeedError(f"{self.origin}: id {thing_id} is outside {self.base + 1}..{self.base + 499}")
        return thing_id

    def _now(self) -> str:
        self.clock += timedelta(seconds=1)
        return self.clock.isoformat(timespec="milliseconds")

    def _common(self) -> Json:
        return {
            "created_at": self._now(),
            "created_by": CURATOR_ID,
            "extraction_method": "MANUAL",
            "modifiable": True,
        }

    # ---- things -------------------------------------------------------------------------
    def resource(self, rid: str, label: str, classes: list[str], uri: str | None = None) -> str:
        self.store.put_thing(
            {
                "id": rid,
                "label": label,
                "classes": sorted(classes),
                "uri": uri,
                "observatory_id": UNKNOWN,
                "organization_id": UNKNOWN,
                "featured": False,
                "unlisted": False,
                "visibility": "DEFAULT",
                "verified": False,
                "formatted_label": None,
                "_class": "resource",
                **self._common(),
            }
        )
        return rid

    def literal(self, label: str, datatype: str = "xsd:string") -> str:
        lid = self._mint("L")
        self.store.put_thing(
            {"id": lid, "label": label, "datatype": datatype, "_class": "literal", **self._common()}
        )
        return lid

    def statement(self, s: str, p: str, o: str, index: int | None = None) -> str:
        for ref in (s, p, o):
            if self.store.thing(ref) is None:
                raise SeedError(f"{self.origin}: statement ({s}, {p}, {o}) names unknown thing {ref}")
        st: Json = {"id": self._mint("S"), "subject_id": s, "predicate_id": p, "object_id": o}
        st.update(self._common())
        if index is not None:
            st["index"] = index
        self.store.put_statement(st)
        return str(st["id"])

    def authors(self, subject: str, names: list[str]) -> None:
        lst = self.resource(self._mint("R"), "authors list", ["List"])
        for i, name in enumerate(names):
            self.statement(lst, "hasListElement", self.literal(name), index=i)
        self.statement(subject, "hasAuthors", lst)

    def schema(self) -> None:
        """Classes and predicates of the file (explicit ids in the block)."""
        for c in self.spec.get("classes", []):
            body = {"id": self._check_id(c["id"]), "label": c["label"], "uri": c.get("uri")}
            self.store.put_thing(body | {"description": None, "_class": "class", **self._common()})
        for p in self.spec.get("predicates", []):
            body = {"id": self._check_id(p["id"]), "label": p["label"], "uri": p.get("uri")}
            self.store.put_thing(body | {"description": None, "_class": "predicate", **self._common()})
            if p.get("description"):
                self.statement(p["id"], "description", self.literal(p["description"]))
        for r in self.spec.get("resources", []):
            self.value_node(r)

    # ---- values -------------------------------------------------------------------------
    def value_node(self, v: Any) -> str:
        """A cell value: "text", {"literal", "datatype"}, {"ref"}, or {"id", "label", "classes", "values"}."""
        if isinstance(v, str):
            return self.literal(v)
        if "literal" in v:
            return self.literal(str(v["literal"]), v.get("datatype", "xsd:string"))
        if "ref" in v:
            if self.store.thing(v["ref"]) is None:
                raise SeedError(f"{self.origin}: unknown reference {v['ref']}")
            return str(v["ref"])
        rid = self.resource(self._check_id(v["id"]), v["label"], v.get("classes", []), v.get("uri"))
        self.values(rid, v.get("values", {}))
        return rid

    def values(self, subject: str, values: dict[str, list[Any]]) -> None:
        for pred, objects in values.items():
            for obj in objects:
                self.statement(subject, pred, self.value_node(obj))

    # ---- papers, templates, comparison --------------------------------------------------
    def papers(self) -> list[str]:
        """Papers with their metadata and contributions; returns the contribution ids in order."""
        contributions: list[str] = []
        for paper in self.spec["papers"]:
            pid = self.resource(self._check_id(paper["id"]), paper["title"], ["Paper"])
            self.statement(pid, "P30", paper.get("research_field", self.spec["research_field"]["id"]))
            if paper.get("doi"):
                self.statement(pid, "P26", self.literal(paper["doi"]))
            if paper.get("month"):
                self.statement(pid, "P28", self.literal(str(paper["month"]), "xsd:integer"))
            if paper.get("year"):
                self.statement(pid, "P29", self.literal(str(paper["year"]), "xsd:integer"))
            self.authors(pid, paper.get("authors", []))
            for contrib in paper["contributions"]:
                classes = ["Contribution", *contrib.get("classes", [])]
                cid = self.resource(self._check_id(contrib["id"]), contrib["label"], classes)
                self.values(cid, contrib.get("values", {}))
                self.statement(pid, "P31", cid)
                contributions.append(cid)
        return contributions

    def templates(self) -> None:
        """ORKG templates in their graph encoding: a NodeShape with PropertyShapes (SHACL ids)."""
        for t in self.spec.get("templates", []):
            tid = self.resource(self._check_id(t["id"]), t["label"], ["NodeShape"])
            self.statement(tid, "sh:targetClass", t["target_class"])
            if t.get("description"):
                self.statement(tid, "description", self.literal(t["description"]))
            if t.get("formatted_label"):
                self.statement(tid, "TemplateLabelFormat", self.literal(t["formatted_label"]))
            self.statement(tid, "sh:closed", self.literal(str(t.get("closed", False)).lower(), "xsd:boolean"))
            for rf in t.get("research_fields", []):
                self.statement(tid, "TemplateOfResearchField", rf)
            for order, prop in enumerate(t["properties"]):
                self.template_property(tid, order, prop)

    def template_property(self, template: str, order: int, prop: Json) -> None:
        psid = self.resource(self._check_id(prop["id"]), prop["label"], ["PropertyShape"])
        self.statement(template, "sh:property", psid)
        self.statement(psid, "sh:path", prop["path"])
        self.statement(psid, "sh:order", self.literal(str(order), "xsd:integer"))
        for key, pred in (("datatype", "sh:datatype"), ("class", "sh:class")):
            if prop.get(key):
                self.statement(psid, pred, prop[key])
        for key, pred in (
            ("min_count", "sh:minCount"),
            ("max_count", "sh:maxCount"),
            ("min_inclusive", "sh:minInclusive"),
            ("max_inclusive", "sh:maxInclusive"),
        ):
            if prop.get(key) is not None:
                dt = "xsd:integer" if key.endswith("count") else "xsd:decimal"
                self.statement(psid, pred, self.literal(str(prop[key]), dt))
        texts = (("pattern", "sh:pattern"), ("placeholder", "placeholder"), ("description", "description"))
        for key, pred in texts:
            if prop.get(key):
                self.statement(psid, pred, self.literal(prop[key]))

    def comparison(self, sources: list[str]) -> None:
        """The head (live table over ``selected_paths``) and its published versions (frozen tables)."""
        c = self.spec["comparison"]
        head = self.resource(self._check_id(c["head"]), c["title"], ["Comparison", *c.get("types", [])])
        self.statement(head, "description", self.literal(c["description"]))
        self.statement(head, "hasSubject", self.spec["research_field"]["id"])
        self.authors(head, c["authors"])
        for src in sources:
            self.statement(head, "compareContribution", src)
        self.statement(head, "IsAnonymized", self.literal("false", "xsd:boolean"))
        paths = fill_labels(self.store, c["selected_paths"])
        if isinstance(paths, str):
            raise SeedError(f"{self.origin}: selected path {paths} is not a predicate")
        self.store.put_table(head, paths, None)
        versions = c.get("versions", [])
        for i, version in enumerate(versions):
            self.version(head, version, sources, paths, latest=i == len(versions) - 1)

    def version(self, head: str, v: Json, sources: list[str], paths: list[Json], latest: bool) -> None:
        c = self.spec["comparison"]
        classes = ["ComparisonPublished", *(["LatestVersion"] if latest else []), *c.get("types", [])]
        vid = self.resource(self._check_id(v["id"]), c["title"], classes)
        self.statement(vid, "description", self.literal(c["description"]))
        self.statement(vid, "hasSubject", self.spec["research_field"]["id"])
        self.authors(vid, c["authors"])
        for src in sources:
            self.statement(vid, "compareContribution", src)
        self.statement(vid, "IsAnonymized", self.literal("false", "xsd:boolean"))
        self.statement(vid, "P29", self.literal(str(v["year"]), "xsd:integer"))
        self.statement(vid, "P29", self.literal(str(v["month"]), "xsd:integer"))  # backend quirk
        if v.get("doi", True):
            self.statement(vid, "P26", self.literal(f"10.48366/{vid.lower()}"))
        self.statement(head, "hasPublishedVersion", vid)
        self.store.put_table(vid, paths, live_contents(self.store, sources, paths))

    def build(self) -> None:
        rf = self.spec["research_field"]
        if self.store.thing(rf["id"]) is None:
            self.resource(self._check_id(rf["id"]), rf["label"], ["ResearchField"])
        self.schema()
        self.templates()
        self.comparison(self.papers())


def load_spec(path: Path) -> Json:
    doc: Json = json.loads(path.read_text(encoding="utf-8"))
    return doc
