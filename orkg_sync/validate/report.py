"""Validation results and their renderings (text for curators, JSON for machines, SHACL Turtle for dist/)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, astuple, dataclass, field

import pyoxigraph as ox

from orkg_sync.namespaces import OSYNC, R790020_BASE, RDF_TYPE, RDFS, SH, SLM, XSD

REPORT_IRI = R790020_BASE + "validation"


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
        self.results.sort(key=lambda r: tuple((x is not None, x or "") for x in astuple(r)))

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
        doc = {
            "conforms": self.conforms,
            "violations": self.violations,
            "warnings": self.warnings,
            "results": [dict(asdict(r), label=self.labels.get(r.focus)) for r in self.results],
        }
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def to_turtle(self) -> bytes:
        """A standard sh:ValidationReport; result IRIs are content hashes, so the file is stable."""
        from orkg_sync import export

        report = ox.NamedNode(REPORT_IRI)
        triples = [
            ox.Triple(report, ox.NamedNode(RDF_TYPE), ox.NamedNode(SH + "ValidationReport")),
            ox.Triple(
                report, ox.NamedNode(SH + "conforms"), ox.Literal(str(self.conforms).lower(), datatype=_BOOL)
            ),
        ]
        for r in self.results:
            key = hashlib.sha256(repr(r).encode("utf-8")).hexdigest()[:16]
            node = ox.NamedNode(f"{REPORT_IRI}/result/{key}")
            triples.append(ox.Triple(report, ox.NamedNode(SH + "result"), node))
            triples.append(ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(SH + "ValidationResult")))
            triples.append(ox.Triple(node, ox.NamedNode(SH + "focusNode"), _term(r.focus)))
            if r.path:
                triples.append(ox.Triple(node, ox.NamedNode(SH + "resultPath"), _term(r.path)))
            if r.value:
                triples.append(ox.Triple(node, ox.NamedNode(SH + "value"), _term(r.value)))
            triples.append(
                ox.Triple(node, ox.NamedNode(SH + "resultSeverity"), ox.NamedNode(SH + r.severity))
            )
            triples.append(ox.Triple(node, ox.NamedNode(SH + "sourceShape"), _term(r.shape)))
            triples.append(
                ox.Triple(
                    node, ox.NamedNode(SH + "sourceConstraintComponent"), ox.NamedNode(SH + r.component)
                )
            )
            triples.append(
                ox.Triple(node, ox.NamedNode(SH + "resultMessage"), ox.Literal(r.message, language="en"))
            )
        return export.to_turtle(triples)


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
