"""Read-only SPARQL 1.1 Protocol execution with a time limit and a result-size limit.

pyoxigraph evaluates lazily, so the limits are enforced while rows are pulled: a query that keeps
producing rows past the deadline or the row cap stops with a clear error. (A single blocking step,
e.g. a huge ORDER BY, cannot be interrupted mid-way; documented in docs/publishing.md.)
"""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pyoxigraph as ox

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


class QueryError(Exception):
    """Bad query (400), forbidden update (403) or exceeded limit (503/413); ``status`` says which."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    seconds: float = 10.0
    rows: int = 100_000


def _term_json(t: object) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    assert isinstance(t, ox.Literal)
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        d["datatype"] = t.datatype.value
    return d


def _term_xml(t: object) -> str:
    j = _term_json(t)
    v = escape(j["value"])
    if j["type"] == "uri":
        return f"<uri>{v}</uri>"
    if j["type"] == "bnode":
        return f"<bnode>{v}</bnode>"
    attr = f' xml:lang="{escape(j["xml:lang"])}"' if "xml:lang" in j else ""
    attr += f' datatype="{escape(j["datatype"])}"' if "datatype" in j else ""
    return f"<literal{attr}>{v}</literal>"


def execute(store: ox.Store, query: str, accept: str, limits: Limits) -> tuple[bytes, str]:
    """Run ``query``; return (body, content type). Raises :class:`QueryError` for the client."""
    try:
        result = store.query(query)
    except SyntaxError as err:
        msg = " ".join(str(err).split())
        if any(w in query.upper() for w in ("INSERT", "DELETE", "DROP", "CLEAR", "LOAD", "CREATE")):
            raise QueryError("this endpoint is read-only: SPARQL Update is not accepted", 403) from None
        raise QueryError(f"malformed query: {msg}", 400) from None
    deadline = time.monotonic() + limits.seconds
    if isinstance(result, ox.QueryBoolean):
        fmt = _pick(accept, RESULT_TYPES, "json")
        return _boolean(bool(result), fmt)
    if isinstance(result, ox.QueryTriples):
        triples = _pull(result, deadline, limits)
        ctype = _pick(accept, {k: k for k in GRAPH_TYPES}, "text/turtle")
        data = ox.serialize(triples, format=GRAPH_TYPES[ctype])
        return data or b"", ctype
    variables = [v.value for v in result.variables]
    rows = _pull(result, deadline, limits)
    fmt = _pick(accept, RESULT_TYPES, "json")
    return _solutions(variables, rows, fmt)


def _pull(it: object, deadline: float, limits: Limits) -> list:
    out = []
    for item in it:  # type: ignore[attr-defined]
        out.append(item)
        if len(out) > limits.rows:
            raise QueryError(f"result too large: more than {limits.rows} rows; add a LIMIT", 413)
        if (len(out) & 255) == 0 and time.monotonic() > deadline:
            raise QueryError(f"query exceeded the {limits.seconds:g} s time limit", 503)
    if time.monotonic() > deadline:
        raise QueryError(f"query exceeded the {limits.seconds:g} s time limit", 503)
    return out


def _pick(accept: str, table: dict[str, str] | dict, default: str) -> str:
    for part in (accept or "").split(","):
        mt = part.split(";")[0].strip().lower()
        if mt in table:
            return table[mt]
    return default


CTYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}


def _boolean(value: bool, fmt: str) -> tuple[bytes, str]:
    if fmt == "xml":
        body = (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{str(value).lower()}</boolean></sparql>\n"
        )
        return body.encode(), CTYPES["xml"]
    if fmt in {"csv", "tsv"}:
        return f"{str(value).lower()}\n".encode(), CTYPES[fmt]
    return json.dumps({"head": {}, "boolean": value}).encode(), CTYPES["json"]


def _solutions(variables: list[str], rows: list, fmt: str) -> tuple[bytes, str]:
    if fmt == "json":
        bindings = [{v: _term_json(r[v]) for v in variables if r[v] is not None} for r in rows]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8"), CTYPES["json"]
    if fmt == "xml":
        head = "".join(f'<variable name="{escape(v)}"/>' for v in variables)
        res = []
        for r in rows:
            bs = "".join(
                f'<binding name="{escape(v)}">{_term_xml(r[v])}</binding>'
                for v in variables
                if r[v] is not None
            )
            res.append(f"<result>{bs}</result>")
        body = (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{''.join(res)}</results></sparql>\n"
        )
        return body.encode("utf-8"), CTYPES["xml"]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for r in rows:
            w.writerow(["" if r[v] is None else r[v].value for v in variables])
        return buf.getvalue().encode("utf-8"), CTYPES["csv"]
    lines = ["\t".join(f"?{v}" for v in variables)]
    for r in rows:
        lines.append("\t".join("" if r[v] is None else str(r[v]) for v in variables))
    return ("\n".join(lines) + "\n").encode("utf-8"), CTYPES["tsv"]
