"""Upload to an external SPARQL store with the Graph Store Protocol, and query it remotely.

Replace, not append, with a verified count. Three strategies (see :func:`publish_ntriples`): a single
transactional Graph Store ``PUT`` on the target (default; Oxigraph), a fresh temporary graph whose count
is checked before one SPARQL Update ``MOVE <tmp> TO <target>`` swaps it in (for stores whose PUT is not a
transaction): with both a failed upload leaves the target as it was. ``bulk`` is the opt-in fast path on
the Oxigraph server (its bulk loader over HTTP): not atomic, so a failure leaves the target dropped.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from orkg_sync.errors import AuthError, InputError, OrkgSyncError, RemoteError

CONNECT_TIMEOUT = 10.0
# requests' timeouts are silences allowed on the socket, not totals, and the first one also bounds each
# send of the body. A store answers a PUT only after it has parsed and stored the whole body, and its
# bulk loader stops reading for tens of seconds while it writes a batch, so both silences grow with the
# size: TIMEOUT plus the body at INGEST_RATE (the slowest ingest we measured, Oxigraph's server on a
# loaded 2-core machine, is ~4x faster). 1M triples (~150 MB): ~6 min. Reachability is checked first
# with a short request (:func:`_reachable`), so a dead endpoint still fails within CONNECT_TIMEOUT.
TIMEOUT = 60.0
INGEST_RATE = 512 * 1024  # bytes per second


def upload_timeout(size: int) -> tuple[float, float]:
    """(send, read) timeouts for a request that makes the store ingest ``size`` bytes."""
    allowance = TIMEOUT + size / INGEST_RATE
    return (allowance, allowance)


@dataclass(frozen=True)
class Endpoints:
    """The three URLs of a SPARQL service; defaults follow Oxigraph's layout under one base URL.

    ``auth`` (e.g. ``requests.auth.HTTPDigestAuth`` for Virtuoso) is sent with every request; it is
    kept out of ``repr`` so a password never reaches a log line.
    """

    query: str
    update: str
    store: str
    auth: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_base(
        cls,
        base: str,
        *,
        query: str | None = None,
        update: str | None = None,
        store: str | None = None,
        auth: Any = None,
    ) -> Endpoints:
        b = base.rstrip("/")
        return cls(query or f"{b}/query", update or f"{b}/update", store or f"{b}/store", auth)


def _check_url(url: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InputError(f"--endpoint {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not loopback:
        raise InputError(f"--endpoint {url!r}: plain http is only allowed for loopback; use https")


def _call(
    method: str,
    url: str,
    what: str,
    timeout: float | tuple[float, float] = (CONNECT_TIMEOUT, TIMEOUT),
    **kw: Any,
) -> requests.Response:
    try:
        resp = requests.request(method, url, timeout=timeout, **kw)
    except requests.RequestException as err:
        raise RemoteError(f"{what}: cannot reach {url} ({type(err).__name__})") from None
    if resp.status_code >= 400:
        body = " ".join(resp.text.split())[:200]
        code = resp.status_code
        exc: type[OrkgSyncError] = InputError if code == 400 and what.startswith("query") else RemoteError
        if code in (401, 403):  # e.g. a wrong password for Virtuoso's *-auth endpoints: exit 4
            exc = AuthError
        raise exc(f"{what}: {url} answered HTTP {code}: {body}")
    return resp


def count_triples(ep: Endpoints, graph: str) -> int:
    """Triples in named graph ``graph`` (a SPARQL COUNT on the query endpoint)."""
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    resp = _call(
        "POST",
        ep.query,
        "count",
        data={"query": q},
        headers={"Accept": "application/sparql-results+json"},
        auth=ep.auth,
    )
    try:
        return int(resp.json()["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError) as err:
        raise RemoteError(f"count: {ep.query} gave an unusable answer ({err})") from None


STRATEGIES = ("put", "move", "bulk")
# Oxigraph server: load with its bulk loader instead of one transaction (~10-40x faster here), and skip
# the IRI checks (the CLI checked the file's syntax locally; a line the server skips shows in the count).
BULK_PARAMS = "no_transaction&lenient"


def count_lines(ntriples: bytes | Path) -> int:
    """Triples in an N-Triples body or file (non-blank, non-comment lines), read in a streaming way."""
    if isinstance(ntriples, bytes):
        lines: Any = ntriples.splitlines()
        return sum(1 for line in lines if line.strip() and not line.startswith(b"#"))
    with open(ntriples, "rb") as fh:
        return sum(1 for line in fh if line.strip() and not line.startswith(b"#"))


def _reachable(ep: Endpoints) -> None:
    """A short ``ASK {}`` with the connect timeout: an unreachable store fails here in seconds, not after
    the upload's size-grown allowance."""
    _call("POST", ep.query, "upload", data={"query": "ASK {}"}, auth=ep.auth)


def _put(ep: Endpoints, graph: str, ntriples: bytes | Path, size: int, *, bulk: bool = False) -> None:
    """One Graph Store PUT; a file is streamed from disk (never the whole body in memory)."""
    from urllib.parse import quote

    headers = {"Content-Type": "application/n-triples", "Content-Length": str(size)}
    timeout = upload_timeout(size)
    # built by hand: Oxigraph reads the bulk flags as bare keys (``&no_transaction``, not ``=``)
    url = f"{ep.store}{'&' if '?' in ep.store else '?'}graph={quote(graph, safe='')}"
    if bulk:
        url += "&" + BULK_PARAMS
    if isinstance(ntriples, bytes):
        _call("PUT", url, "upload", timeout, data=ntriples, headers=headers, auth=ep.auth)
        return
    with open(ntriples, "rb") as body:
        _call("PUT", url, "upload", timeout, data=body, headers=headers, auth=ep.auth)


def _bulk(ep: Endpoints, graph: str, ntriples: bytes | Path, size: int, expected: int) -> int:
    """The Oxigraph server's bulk loader straight into the target, then the count.

    Not atomic: the server clears the old graph, then loads in batches that readers see as they land. A
    staging graph + ``MOVE`` would make the switch atomic, but Oxigraph's MOVE copies the triples in one
    transaction (255 s for 1.18M triples vs 10 s for the bulk load, bench/RESULTS.md): slower than the
    default ``put``. So on any failure the target is dropped (readers get no graph rather than a
    plausible partial one) and the error says so; publishing again repairs it.
    """
    try:
        _put(ep, graph, ntriples, size, bulk=True)
        final = count_triples(ep, graph)
        if final != expected:
            raise RemoteError(f"verify: graph <{graph}> holds {final} triples, expected {expected}")
        return final
    except AuthError:
        raise  # refused before the body was read: the graph is untouched
    except OrkgSyncError as err:
        try:
            drop = {"update": f"DROP SILENT GRAPH <{graph}>"}
            requests.post(ep.update, data=drop, timeout=upload_timeout(size), auth=ep.auth).raise_for_status()
            state = "was dropped (it is empty now)"
        except requests.RequestException:
            state = "may hold part of the upload"
        raise type(err)(f"{err}; --bulk is not atomic: graph <{graph}> {state}, publish again") from None


def publish_ntriples(
    ep: Endpoints, ntriples: bytes | Path, graph: str, *, strategy: str = "put", expected: int | None = None
) -> int:
    """Replace named graph ``graph`` with ``ntriples`` (bytes, or a file streamed from disk); returns the
    verified triple count.

    ``put``: one Graph Store ``PUT`` on the target, which stores that run each request as a transaction
    (Oxigraph; verified by the tests) apply all-or-nothing: a rejected upload leaves the old graph.
    ``move``: upload to a temporary graph, verify its count, then ``MOVE`` it over the target in one
    update request (portable; slower on Oxigraph, which copies the data).
    ``bulk``: the Oxigraph server's bulk loader into the target, verified, not atomic (:func:`_bulk`).
    Timeouts grow with the size (:func:`upload_timeout`); there is no fixed total. ``expected`` is the
    triple count when the caller already has it (the CLI's syntax check parses the file: at 5M triples
    counting the lines again took seconds); otherwise the lines are counted.
    """
    if strategy not in STRATEGIES:
        raise InputError(f"unknown --strategy {strategy!r} (one of {', '.join(STRATEGIES)})")
    for url in (ep.query, ep.update, ep.store):
        _check_url(url)
    size = len(ntriples) if isinstance(ntriples, bytes) else ntriples.stat().st_size
    if expected is None:
        expected = count_lines(ntriples)
    _reachable(ep)  # nothing is touched on a store that does not answer
    if strategy == "bulk":
        return _bulk(ep, graph, ntriples, size, expected)
    if strategy == "put":
        _put(ep, graph, ntriples, size)
        final = count_triples(ep, graph)
        if final != expected:
            raise RemoteError(f"verify: graph <{graph}> holds {final} triples, expected {expected}")
        return final
    tmp = f"urn:orkg-sync:tmp:{uuid.uuid4()}"
    moved = False
    try:
        _put(ep, tmp, ntriples, size)
        got = count_triples(ep, tmp)
        if got != expected:
            raise RemoteError(f"upload: the temporary graph holds {got} triples, expected {expected}")
        swap = {"update": f"MOVE SILENT <{tmp}> TO <{graph}>"}
        _call("POST", ep.update, "swap", upload_timeout(size), data=swap, auth=ep.auth)
        moved = True
        final = count_triples(ep, graph)
        if final != expected:
            raise RemoteError(
                f"verify: graph <{graph}> holds {final} triples after the swap, expected {expected}"
            )
        return final
    finally:
        if not moved:
            with contextlib.suppress(requests.RequestException):
                drop = {"update": f"DROP SILENT GRAPH <{tmp}>"}
                requests.post(ep.update, data=drop, timeout=upload_timeout(size), auth=ep.auth)


# Result format name -> Accept header; output mirrors what a local SPARQL run prints.
ACCEPT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
}


def run_remote_query(endpoint: str, sparql: str, fmt: str = "json", *, graph: str | None = None) -> bytes:
    """Run ``sparql`` on a SPARQL 1.1 Protocol endpoint (the full query URL) and return the body.

    ``fmt`` is one of :data:`ACCEPT`; a malformed query is an :class:`InputError` (exit 2), anything
    else going wrong a :class:`RemoteError` (exit 3).
    """
    _check_url(endpoint)
    if fmt not in ACCEPT:
        raise InputError(f"unknown result format {fmt!r} (one of {', '.join(sorted(ACCEPT))})")
    form = {"query": sparql}
    if graph:  # SPARQL 1.1 Protocol: this named graph is the query's default graph
        form["default-graph-uri"] = graph
    resp = _call("POST", endpoint, "query", data=form, headers={"Accept": ACCEPT[fmt]})
    return resp.content


def rows_from_json(body: bytes) -> list[dict[str, str]]:
    """SPARQL JSON results as plain rows (variable -> lexical value), for table-style output."""
    doc = json.loads(body)
    if "boolean" in doc:
        return [{"boolean": str(doc["boolean"]).lower()}]
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def rows_to_csv(rows: list[dict[str, str]], columns: list[str]) -> str:
    """CSV like the local ``query`` output."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()
