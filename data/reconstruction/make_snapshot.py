"""Regenerate ``data/r790020.snapshot.json`` from the offline reconstruction ``r790020.csv``.

This is how the shipped snapshot was made: the comparison entered the way an ORKG curator
would have entered it (a Paper with one Contribution per model, one predicate per column,
clean numbers as typed literals, messy cells as plain strings, categorical values as reused
resources), then a comparison head and a published version ``R790020``.

Every id except ``R790020`` and ORKG's built-in ids (``P31``, ``Paper``, ...) is a *sandbox*
id from the ``9000000`` range: the real ORKG ids of this comparison are unknown.
The output is deterministic (fixed timestamps, ids assigned in CSV order); a test checks that
running this script reproduces the shipped file byte for byte.

Usage: ``python data/reconstruction/make_snapshot.py [OUT]`` (default: ``data/r790020.snapshot.json``).
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from orkg_sync.snapshot import FORMAT, Snapshot  # noqa: E402

UNKNOWN_UUID = "00000000-0000-0000-0000-000000000000"
# The sandbox's seeded curator account (see docs/sandbox.md) "owns" the seeded content.
CURATOR_UUID = "5a1d0b0c-0000-4000-8000-000000790020"
TZ = timezone(timedelta(hours=1))
T0 = datetime(2024, 12, 20, 10, 0, 0, tzinfo=TZ)

# Column key -> (predicate label as in the comparison, value kind)
COLUMNS: list[tuple[str, str, str]] = [
    ("parameters", "number of parameters", "literal"),
    ("date", "Date", "literal"),
    ("paradigm", "Paradigm", "resource"),
    ("domain", "Domain", "resource"),
    ("training_datasets", "Training Datasets", "resource"),
    ("attention", "Attention mechanism", "resource"),
    ("activation", "Activation method/function", "resource"),
    ("additional_techniques", "Additional Training Techniques", "resource"),
]
MULTI = {"training_datasets", "attention", "activation", "additional_techniques"}

CORE_PREDICATES = {
    "P26": "DOI",
    "P28": "publication month",
    "P29": "publication year",
    "P30": "has research field",
    "P31": "has contribution",
    "P32": "has research problem",
    "url": "url",
    "hasAuthors": "has authors",
    "hasListElement": "has list element",
    "compareContribution": "compare contribution",
    "hasPublishedVersion": "has published version",
    "description": "description",
    "hasSubject": "has subject",
    "IsAnonymized": "is anonymized",
}
CORE_CLASSES = {
    "Paper": "Paper",
    "Contribution": "Contribution",
    "Comparison": "Comparison",
    "ComparisonPublished": "Published comparison",
    "LatestVersion": "Latest version",
    "ResearchField": "Research field",
    "Problem": "Problem",
    "List": "List",
}

PAPER_TITLE = (
    "A Comprehensive Survey of Small Language Models in the Era of Large Language Models: Techniques, "
    "Enhancements, Applications, Collaboration with LLMs, and Trustworthiness"
)
PAPER_AUTHORS = [
    "Fali Wang",
    "Zhiwei Zhang",
    "Xianren Zhang",
    "Zongyu Wu",
    "Tzuhao Mo",
    "Qiuhao Lu",
    "Wanjing Wang",
    "Rui Li",
    "Junjie Xu",
    "Xianfeng Tang",
    "Qi He",
    "Yao Ma",
    "Ming Huang",
    "Suhang Wang",
]
COMPARISON_TITLE = "Small Language Model (SLM) Survey Comparison"
COMPARISON_DESCRIPTION = (
    'This comparison is based on the research survey paper entitled "'
    + PAPER_TITLE
    + '" by Fali Wang et al. '
    "This comparison provides a high-level overview and training details of various generic-domain Small "
    "Language Models (SLMs). (Sandbox seed reconstructed offline by orkg-sync; see data/README.md.)"
)
CONFIDENCE = {
    "model": "medium",
    "parameters": "medium-high",
    "date": "medium-high",
    "paradigm": "medium-high",
    "domain": "medium-high",
    "attention": "low",
    "activation": "low",
    "training_datasets": "very low",
    "additional_techniques": "very low",
}


class Builder:
    def __init__(self) -> None:
        self.snap = Snapshot(
            source={
                "host": "sandbox-seed",
                "comparison_id": "R790020",
                "ids": "sandbox",
                "retrieved_at": None,
                "note": "Offline reconstruction of ORKG comparison R790020 (see data/README.md). "
                "All ids except R790020 and ORKG built-ins are sandbox ids; the real ORKG ids are unknown.",
            },
            comparison={"id": "R790020", "head_id": None, "published": True},
        )
        self.tick = 0
        self.counters = {"R": 9000000, "P": 9000000, "L": 9000000, "S": 9000000, "C": 9000000}
        self.by_label: dict[tuple[str, str], str] = {}

    def now(self) -> str:
        self.tick += 1
        t = T0 + timedelta(seconds=self.tick)
        return t.isoformat(timespec="milliseconds")

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]}"

    def common(self, by: str = CURATOR_UUID) -> dict[str, Any]:
        return {"created_at": self.now(), "created_by": by, "extraction_method": "MANUAL", "modifiable": True}

    def klass(self, cid: str, label: str, *, builtin: bool) -> str:
        self.snap.add_thing(
            {
                "id": cid,
                "label": label,
                "uri": None,
                "description": None,
                "_class": "class",
                **self.common(UNKNOWN_UUID if builtin else CURATOR_UUID),
                **({"extraction_method": "UNKNOWN"} if builtin else {}),
            }
        )
        return cid

    def predicate(self, pid: str, label: str, *, builtin: bool) -> str:
        self.snap.add_thing(
            {
                "id": pid,
                "label": label,
                "uri": None,
                "description": None,
                "_class": "predicate",
                **self.common(UNKNOWN_UUID if builtin else CURATOR_UUID),
                **({"extraction_method": "UNKNOWN"} if builtin else {}),
            }
        )
        return pid

    def resource(self, label: str, classes: list[str], rid: str | None = None) -> str:
        rid = rid or self.next_id("R")
        self.snap.add_thing(
            {
                "id": rid,
                "label": label,
                "classes": sorted(classes),
                "uri": None,
                "shared": 0,
                "observatory_id": UNKNOWN_UUID,
                "organization_id": UNKNOWN_UUID,
                "featured": False,
                "unlisted": False,
                "visibility": "DEFAULT",
                "verified": False,
                "formatted_label": None,
                "_class": "resource",
                **self.common(),
            }
        )
        return rid

    def reused_resource(self, label: str, classes: list[str]) -> str:
        key = (label, ",".join(classes))
        if key not in self.by_label:
            self.by_label[key] = self.resource(label, classes)
        return self.by_label[key]

    def literal(self, label: str, datatype: str = "xsd:string") -> str:
        lid = self.next_id("L")
        self.snap.add_thing(
            {"id": lid, "label": label, "datatype": datatype, "_class": "literal", **self.common()}
        )
        return lid

    def statement(self, s: str, p: str, o: str, index: int | None = None) -> str:
        sid = self.next_id("S")
        st: dict[str, Any] = {"id": sid, "subject_id": s, "predicate_id": p, "object_id": o, **self.common()}
        if index is not None:
            st["index"] = index
        self.snap.statements[sid] = st
        return sid

    def author_list(self, names: list[str]) -> str:
        lst = self.resource("authors", ["List"])
        for i, name in enumerate(names):
            self.statement(lst, "hasListElement", self.literal(name), index=i)
        return lst


def parse_sources(text: str) -> tuple[dict[str, str], bool]:
    """Split the CSV ``source`` cell into column -> source text; flag uncertain rows."""
    uncertain = "UNCERTAIN" in text
    out: dict[str, str] = {}
    for part in text.split(" || "):
        part = part.strip()
        if part.startswith("NOT RECOVERED"):
            note, cols = part.rsplit(": ", 1)
            src = note
        else:
            head, src = part.split(": ", 1)
            cols = re.sub(r"\s*\(.*?\)", "", head)
        for col in re.split(r"[/,]\s*", cols):
            col = col.strip()
            if col:
                out[col] = src
    return out, uncertain


def split_cell(key: str, cell: str) -> list[str]:
    cell = cell.strip()
    if not cell:
        return []
    if key in MULTI:
        return [v.strip() for v in cell.split(";") if v.strip()]
    return [cell]


def build(csv_path: Path) -> Snapshot:
    b = Builder()
    for cid, label in CORE_CLASSES.items():
        b.klass(cid, label, builtin=True)
    dataset_class = b.klass(b.next_id("C"), "Dataset", builtin=False)
    for pid, label in CORE_PREDICATES.items():
        b.predicate(pid, label, builtin=True)
    column_pred = {key: b.predicate(b.next_id("P"), label, builtin=False) for key, label, _ in COLUMNS}

    field = b.resource("Natural Language Processing", ["ResearchField"])
    problem = b.resource("Small language models", ["Problem"])

    paper = b.resource(PAPER_TITLE, ["Paper"])
    b.statement(paper, "P30", field)
    b.statement(paper, "P26", b.literal("10.48550/arXiv.2411.03350"))
    b.statement(paper, "P29", b.literal("2024", "xsd:integer"))
    b.statement(paper, "P28", b.literal("11", "xsd:integer"))
    b.statement(paper, "url", b.literal("https://arxiv.org/abs/2411.03350", "xsd:anyURI"))
    b.statement(paper, "hasAuthors", b.author_list(PAPER_AUTHORS))

    contributions: list[str] = []
    with csv_path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        contrib = b.resource(row["model"], ["Contribution"])
        contributions.append(contrib)
        b.statement(paper, "P31", contrib)
        b.statement(contrib, "P32", problem)
        for key, _label, kind in COLUMNS:
            for value in split_cell(key, row[key]):
                if kind == "literal":
                    obj = b.literal(value, "xsd:string")
                else:
                    classes = [dataset_class] if key == "training_datasets" else []
                    obj = b.reused_resource(value, classes)
                b.statement(contrib, column_pred[key], obj)
        sources, uncertain = parse_sources(row["source"])
        b.snap.annotations[contrib] = {
            "kind": "reconstruction",
            "model": row["model"],
            "row_membership": "uncertain" if uncertain else "high",
            "confidence": {
                key: (CONFIDENCE[key] if (key == "model" or row.get(key, "").strip()) else "not recovered")
                for key in ["model", *[c for c, _, _ in COLUMNS]]
            },
            "sources": sources,
        }

    head = b.resource(COMPARISON_TITLE, ["Comparison"])
    version = b.resource(COMPARISON_TITLE, ["ComparisonPublished", "LatestVersion"], rid="R790020")
    for cmp_id in (head, version):
        b.statement(cmp_id, "description", b.literal(COMPARISON_DESCRIPTION))
        b.statement(cmp_id, "hasSubject", field)
        b.statement(cmp_id, "hasAuthors", b.author_list(["ORKG curator (unknown; sandbox seed)"]))
        b.statement(cmp_id, "IsAnonymized", b.literal("false", "xsd:boolean"))
        for contrib in contributions:
            b.statement(cmp_id, "compareContribution", contrib)
    # Publishing writes the year under P29 and (backend quirk) the month under P29 too.
    b.statement(version, "P29", b.literal("2024", "xsd:integer"))
    b.statement(version, "P29", b.literal("12", "xsd:integer"))
    b.statement(version, "P26", b.literal("10.48366/r790020"))
    b.statement(head, "hasPublishedVersion", version)

    paths = [
        {"id": column_pred[key], "label": label, "description": None, "type": "PREDICATE", "children": []}
        for key, label, _ in COLUMNS
    ]
    b.snap.comparison["head_id"] = head
    # "contents" is absent for the version: the sandbox freezes the head's table at seed time,
    # exactly as POST /publish would. A pull of a published version stores the frozen contents.
    b.snap.comparison_tables = {head: {"selected_paths": paths}, version: {"selected_paths": paths}}

    shared: dict[str, int] = {}
    for st in b.snap.statements.values():
        shared[st["object_id"]] = shared.get(st["object_id"], 0) + 1
    for rid, res in b.snap.resources.items():
        res["shared"] = shared.get(rid, 0)
    assert FORMAT
    return b.snap


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "r790020.snapshot.json"
    build(HERE / "r790020.csv").save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
