"""Validation results and their renderings (text for curators, JSON for machines, SHACL Turtle for dist/)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pyoxigraph as ox

from orkg_sync.namespaces import OSYNC, R790020_BASE, RDF_TYPE, RDFS, SH, SLM, XSD
from orkg_sync.scratch import scratch_dir

REPORT_IRI = R790020_BASE + "validation"
_A = f"<{RDF_TYPE}>"


@dataclass(frozen=True, order=True)
class Result:
    """One SHACL validation result; terms in N-Triples form (``<iri>``, ``"lit"^^<dt>``), or None."""

    focus: str
    path: str | None
    value: str | None
    severity: str  # "Violation" | "Warning" | "Info"
    shape: str
    component: str
    message: str


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # focus node -> model name, for the text report
    engine: str = "fast"

    def __post_init__(self) -> None:
        # None (no path / no value) sorts first; plain tuple order would compare None with str
        self.results.sort(key=_order)

    @property
    def violations(self) -> int:
        return sum(r.severity == "Violation" for r in self.results)

    @property
    def warnings(self) -> int:
        return sum(r.severity == "Warning" for r in self.results)

    @property
    def conforms(self) -> bool:
        return self.violations == 0

    def to_text(self) -> str:
        """Grouped by model then property, violations first, for a curator reading a terminal."""
        if not self.results:
            return "conforms: no violations, no warnings\n"
        by_model: dict[str, list[Result]] = defaultdict(list)
        for r in self.results:
            by_model[r.focus].append(r)
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        lines = []
        for focus in sorted(by_model, key=lambda f: ((self.labels.get(f) or f).lower(), f)):
            name = self.labels.get(focus)
            lines.append(f"{name}  {_short(focus)}" if name else _short(focus))
            for r in sorted(
                by_model[focus], key=lambda r: (order.get(r.severity, 3), r.path or "", r.value or "")
            ):
                prop = _short(r.path) if r.path else "-"
                val = f" [{_lexical(r.value)}]" if r.value else ""
                lines.append(f"  {r.severity.upper():9} {prop}{val}: {r.message}")
        lines.append(
            f"{self.violations} violation(s), {self.warnings} warning(s) on {len(by_model)} node(s)"
            + (" - does not conform" if not self.conforms else "")
        )
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """Sorted keys, two-space indent (orjson: the same bytes as ``json.dumps(indent=2, sort_keys=True,
        ensure_ascii=False)`` for this document of strings, ints and booleans, ~10x faster)."""
        labels = self.labels
        doc = {
            "conforms": self.conforms,
            "violations": self.violations,
            "warnings": self.warnings,
            "results": [
                dict(zip(_FIELDS, astuple_fast(r), strict=True), label=labels.get(r.focus))
                for r in self.results
            ],
        }
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"

    def to_turtle(self) -> bytes:
        """A standard sh:ValidationReport; result IRIs are content hashes, so the file is stable.

        The triples are written as N-Triples text (the result terms already are N-Triples), sorted and
        handed to the Turtle writer as canonical input: no term objects, no copy through a store.
        """
        from orkg_sync import export

        report = f"<{REPORT_IRI}>"
        lines = {
            f"{report} {_A} <{SH}ValidationReport> .\n",
            f'{report} <{SH}conforms> "{str(self.conforms).lower()}"^^<{XSD}boolean> .\n',
        }
        add = lines.add
        messages: dict[str, str] = {}
        for r in self.results:
            key = hashlib.sha256(repr(r).encode("utf-8")).hexdigest()[:16]
            node = f"<{REPORT_IRI}/result/{key}>"
            add(f"{report} <{SH}result> {node} .\n")
            add(f"{node} {_A} <{SH}ValidationResult> .\n")
            add(f"{node} <{SH}focusNode> {r.focus} .\n")
            if r.path:
                add(f"{node} <{SH}resultPath> {r.path} .\n")
            if r.value:
                add(f"{node} <{SH}value> {r.value} .\n")
            add(f"{node} <{SH}resultSeverity> <{SH}{r.severity}> .\n")
            add(f"{node} <{SH}sourceShape> {r.shape} .\n")
            add(f"{node} <{SH}sourceConstraintComponent> <{SH}{r.component}> .\n")
            msg = messages.get(r.message)
            if msg is None:
                msg = messages[r.message] = str(ox.Literal(r.message, language="en"))
            add(f"{node} <{SH}resultMessage> {msg} .\n")
        with scratch_dir("report") as tmp:
            path = Path(tmp) / "report.nt"
            # code point order of str = byte order of UTF-8: the order export's sort gives
            path.write_bytes("".join(sorted(lines)).encode("utf-8"))
            return export.to_turtle(export.SortedNTriples(path))


def _order(r: Result) -> tuple[str, bool, str, bool, str, str, str, str, str]:
    """Field order; a missing path / value (None) before any present one."""
    return (
        r.focus,
        r.path is not None,
        r.path or "",
        r.value is not None,
        r.value or "",
        r.severity,
        r.shape,
        r.component,
        r.message,
    )


_FIELDS = ("focus", "path", "value", "severity", "shape", "component", "message")


def astuple_fast(r: Result) -> tuple[str | None, ...]:
    """``dataclasses.astuple`` without its deep copy (the fields are strings)."""
    return (r.focus, r.path, r.value, r.severity, r.shape, r.component, r.message)


_BOOL = ox.NamedNode(XSD + "boolean")


def _term(nt: str) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """Parse one N-Triples term back into a pyoxigraph term."""
    triple = next(iter(ox.parse(f"<urn:s> <urn:p> {nt} .".encode(), format=ox.RdfFormat.N_TRIPLES)))
    return triple.object


def _short(nt: str) -> str:
    iri = nt[1:-1] if nt.startswith("<") else nt
    for ns, pfx in (
        (SLM, "slm:"),
        (OSYNC, "osync:"),
        (RDFS, "rdfs:"),
        (R790020_BASE, ""),
    ):
        if iri.startswith(ns):
            return pfx + iri[len(ns) :]
    return iri


def _lexical(nt: str) -> str:
    if nt.startswith('"'):
        return _term(nt).value
    return _short(nt)
