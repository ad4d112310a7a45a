"""Read-only SPARQL 1.1 Protocol execution with a time limit and a result-size limit.

Results are serialized by pyoxigraph (native speed) into a capped writer: pyoxigraph evaluates lazily
and writes in ~16 KB chunks, so a query that keeps producing output past the deadline or the byte cap is
stopped with a clear error. A query that computes without writing (a ``COUNT`` over a cross join, a huge
``ORDER BY``) is stopped from outside: the server runs :func:`execute` in a killable process per query
(:mod:`orkg_sync.server.workers`).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox

RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RESULT_CTYPES = {
    ox.QueryResultsFormat.JSON: "application/sparql-results+json",
    ox.QueryResultsFormat.XML: "application/sparql-results+xml",
    ox.QueryResultsFormat.CSV: "text/csv; charset=utf-8",
    ox.QueryResultsFormat.TSV: "text/tab-separated-values; charset=utf-8",
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_UPDATE_WORDS = ("INSERT", "DELETE", "DROP", "CLEAR", "LOAD", "CREATE", "MOVE", "COPY", "ADD")


class QueryError(Exception):
    """Bad query (400), forbidden update (403), too large (413) or too slow (503); ``status`` says which."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    """What one query may use, and how many may run at once.

    ``seconds``: wall time, then the query process is killed; ``max_bytes``: serialized result size;
    ``max_memory``: extra address space of a query process; ``max_query_chars``: query text length;
    ``max_running``: queries running at once (more wait up to ``queue_seconds``, then 503).
    """

    seconds: float = 10.0
    max_bytes: int = 50_000_000
    max_memory: int = 1_000_000_000
    max_query_chars: int = 100_000
    max_running: int = 16
    queue_seconds: float = 2.0


class _Capped(io.RawIOBase):
    """Collects output; raises once the byte cap or the deadline is passed."""

    def __init__(self, limits: Limits) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.size += len(b)
        if self.size > self.limits.max_bytes:
            raise QueryError(f"result too large: more than {self.limits.max_bytes} bytes; add a LIMIT", 413)
        self.check_time()
        self.parts.append(bytes(b))
        return len(b)

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise QueryError(f"query exceeded the {self.limits.seconds:g} s time limit", 503)


def _pick(
    accept: str, table: dict[str, ox.QueryResultsFormat] | dict[str, ox.RdfFormat], default: str
) -> str:
    for part in (accept or "").split(","):
        mt = part.split(";")[0].strip().lower()
        if mt in table:
            return mt
    return default


def execute(store: ox.Store, query: str, accept: str, limits: Limits) -> tuple[bytes, str]:
    """Run ``query``; return (body, content type). Raises :class:`QueryError` for the client."""
    out = _Capped(limits)
    try:
        result = store.query(query)
    except SyntaxError as err:
        msg = " ".join(str(err).split())
        if any(w in query.upper() for w in _UPDATE_WORDS):
            raise QueryError("this endpoint is read-only: SPARQL Update is not accepted", 403) from None
        raise QueryError(f"malformed query: {msg}", 400) from None
    try:
        if isinstance(result, ox.QueryTriples):
            ctype = _pick(accept, GRAPH_TYPES, "text/turtle")
            ox.serialize(result, cast(IO[bytes], out), GRAPH_TYPES[ctype])
        else:
            fmt = RESULT_TYPES[_pick(accept, RESULT_TYPES, "application/sparql-results+json")]
            result.serialize(cast(IO[bytes], out), fmt)
            ctype = RESULT_CTYPES[fmt]
        out.check_time()
    except QueryError:
        raise
    except OSError as err:  # a QueryError raised inside the writer can surface wrapped
        cause = err.__cause__ or err.__context__
        if isinstance(cause, QueryError):
            raise cause from None
        raise QueryError(f"query failed: {err}", 500) from None
    return b"".join(out.parts), ctype
