"""Every SPARQL query form (SELECT, ASK, CONSTRUCT, DESCRIBE), run locally or on an endpoint, rendered.

SELECT and ASK print as a table, CSV or JSON (numbers and booleans typed, not strings); CONSTRUCT
and DESCRIBE print RDF (Turtle, sorted N-Triples or JSON-LD). The same query gives the same output
whether it ran on the embedded store or on a SPARQL endpoint.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from orkg_sync.errors import InputError, RemoteError

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    XSD + t
    for t in [
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
}
_FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}
TABULAR = ("table", "csv", "json")
GRAPH = ("turtle", "nt", "json-ld")


@dataclass
class Result:
    """What a query gave: ``kind`` is "select", "ask" or "graph"."""

    kind: str
    names: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # lexical forms ("" when unbound): table, CSV
    values: list[list[Any]] = field(default_factory=list)  # JSON values: numbers, booleans, None
    boolean: bool = False
    triples: list[ox.Triple] = field(default_factory=list)


def typed(value: str, datatype: str | None) -> Any:
    """The JSON value of a literal: xsd numbers as numbers, xsd:boolean as a boolean, else the text."""
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in _FLOATS:
            number = float(value)
            if not math.isfinite(number):
                return value
            return int(number) if datatype == XSD + "decimal" and number.is_integer() else number
        if datatype == XSD + "boolean":
            return value.strip() in {"true", "1"}
    except ValueError:
        return value  # an ill-typed literal prints as written
    return value


def _cell(term: Any) -> tuple[str, Any]:
    if term is None:
        return "", None
    if isinstance(term, ox.Literal):
        return term.value, typed(term.value, term.datatype.value)
    text = str(getattr(term, "value", term))
    return text, text


def _select(names: list[str], cells: list[list[tuple[str, Any]]]) -> Result:
    rows = [[text for text, _ in r] for r in cells]
    return Result("select", names, rows, [[value for _, value in r] for r in cells])


def from_local(answer: Any) -> Result:
    """Wrap what pyoxigraph's ``Store.query`` returned."""
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        return _select(names, [[_cell(sol[n]) for n in names] for sol in answer])
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    return Result("graph", triples=list(answer))


def from_sparql_json(body: bytes, origin: str) -> Result:
    """SPARQL 1.1 JSON results (SELECT or ASK) from an endpoint."""
    try:
        doc = json.loads(body)
        if "boolean" in doc:
            return Result("ask", boolean=bool(doc["boolean"]))
        names = list(doc["head"]["vars"])
        cells = [[_remote_cell(b.get(n)) for n in names] for b in doc["results"]["bindings"]]
    except (ValueError, KeyError, TypeError) as err:
        raise RemoteError(f"{origin}: the endpoint's answer is not SPARQL JSON results ({err})") from None
    return _select(names, cells)


def _remote_cell(binding: dict[str, str] | None) -> tuple[str, Any]:
    if binding is None:
        return "", None
    text = binding["value"]
    if binding.get("type") in {"literal", "typed-literal"}:
        return text, typed(text, binding.get("datatype"))
    return text, text


def from_ntriples(body: bytes, origin: str) -> Result:
    try:
        return Result("graph", triples=list(ox.parse(body, ox.RdfFormat.N_TRIPLES)))
    except SyntaxError as err:
        raise RemoteError(f"{origin}: the endpoint's graph is not N-Triples ({err})") from None


def query_form(text: str, origin: str) -> str:
    """ "select", "ask" or "graph", found by running the query on an empty store (also checks syntax)."""
    try:
        return from_local(ox.Store().query(text)).kind
    except SyntaxError as err:
        line = getattr(err, "lineno", None)
        where = f":{line}:{getattr(err, 'offset', None)}" if line is not None else ""
        msg = str(err).splitlines()[0] if str(err) else "syntax error"
        raise InputError(f"{origin}{where}: SPARQL syntax error: {msg}") from None
    except (OSError, RuntimeError, ValueError):
        return "select"  # e.g. a SERVICE call: let the endpoint decide


def check_format(kind: str, fmt: str, origin: str) -> None:
    """A graph cannot print as a table, nor rows as Turtle: say so before running anything."""
    if kind == "graph" and fmt not in GRAPH:
        raise InputError(f"{origin}: CONSTRUCT/DESCRIBE give a graph: use --format {'|'.join(GRAPH)}")
    if kind != "graph" and fmt not in TABULAR:
        raise InputError(f"{origin}: SELECT/ASK give results: use --format {'|'.join(TABULAR)}")


def render(result: Result, fmt: str) -> str:
    """The text to print for ``result`` in ``fmt`` (see :data:`TABULAR` and :data:`GRAPH`)."""
    if result.kind == "graph":
        from orkg_sync import export

        writer = {"turtle": export.to_turtle, "nt": export.to_ntriples, "json-ld": export.to_jsonld}[fmt]
        return writer(result.triples).decode("utf-8")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"boolean": result.boolean}) + "\n"
        text = "true" if result.boolean else "false"
        return f"boolean\n{text}\n" if fmt == "csv" else text + "\n"
    if fmt == "json":
        doc = [dict(zip(result.names, r, strict=True)) for r in result.values]
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    text_rows = result.rows
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.names)
        w.writerows(text_rows)
        return buf.getvalue()
    widths = [max([len(n)] + [len(r[i]) for r in text_rows]) for i, n in enumerate(result.names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(result.names, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in text_rows]
    return "\n".join(lines) + "\n"
