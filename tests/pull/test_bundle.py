"""The bundle read: a constant number of requests, and exactly the per-source pull's output.

Everything runs against the real sandbox over loopback; a small forwarding proxy plays a backend whose
deprecated bundle endpoint is gone, truncated or incomplete, to show the fallback gives the same bytes.
"""

from __future__ import annotations

import http.server
import json
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from orkg_sync import export
from orkg_sync.client.api import OrkgApi
from orkg_sync.client.hosts import resolve_host
from orkg_sync.client.transport import Transport
from orkg_sync.mapping import Mapping, load_mapping, snapshot_to_rdf
from orkg_sync.pull import SyncBase, pull
from orkg_sync.pull.reader import read_comparison
from orkg_sync.snapshot import Snapshot
from orkg_sync.store import DatasetStore
from tests.conftest import ROOT, SandboxServer

STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def api_for(url: str) -> OrkgApi:
    return OrkgApi(Transport(resolve_host(url)))


def outputs(snap: Snapshot, mapping: Mapping | None = None) -> dict[str, bytes]:
    """The three files a pull derives from a snapshot (snapshot.json, syncbase.json, dataset.ttl), with
    the retrieval time fixed; ``mapping`` default the shipped one."""
    snap.source["retrieved_at"] = "2026-01-01T00:00:00+00:00"
    mapping = mapping or load_mapping()
    store = DatasetStore()
    store.add_quads(snapshot_to_rdf(snap, mapping).quads)
    return {
        "snapshot": snap.dumps(),
        "syncbase": SyncBase.from_snapshot(snap, mapping).to_json().encode(),
        "dataset": export.to_turtle(store),
    }


def folder(path: Path) -> dict[str, bytes]:
    """A pull folder's files with the retrieval time masked (the only thing two pulls may differ in)."""
    return {p.name: STAMP.sub(b"T", p.read_bytes()) for p in sorted(path.iterdir()) if p.name != "SHA256SUMS"}


def test_bundle_and_per_source_reads_give_identical_bytes(fresh_sandbox: Any) -> None:
    api = api_for(fresh_sandbox.url)
    before = api.request_count
    by_bundle = read_comparison(api, "R790020", load_mapping(), host=fresh_sandbox.url)
    bundle_requests = api.request_count - before
    before = api.request_count
    per_source = read_comparison(api, "R790020", load_mapping(), host=fresh_sandbox.url, bundle=False)
    per_source_requests = api.request_count - before
    assert len(per_source.statements) > 300  # the real comparison, not an empty one
    assert outputs(by_bundle) == outputs(per_source)
    # R790020 is a published version: comparison, two bundles (version and head), the paper link,
    # the head's selected table paths (which predicates are the comparison's rows)
    assert bundle_requests == 5
    assert per_source_requests == 38 + 5


def test_small_pages_on_the_fallback_give_the_same_snapshot(fresh_sandbox: Any) -> None:
    api = api_for(fresh_sandbox.url)
    big = read_comparison(api, "R790020", load_mapping(), host=fresh_sandbox.url)
    small = read_comparison(api, "R790020", load_mapping(), host=fresh_sandbox.url, page_size=2, bundle=False)
    assert small.statements == big.statements and small.resources == big.resources
    assert small.literals == big.literals and small.predicates == big.predicates


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxServer, str, int]]:
    """A sandbox seeded with a synthetic comparison of 150 sources (bench/synth.py)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    tmp = tmp_path_factory.mktemp("synth")
    snap = synth.make(150)
    snap.save(tmp / "s.json")
    srv = SandboxServer(tmp / "s.sqlite", extra_args=["--snapshot", str(tmp / "s.json")])
    srv.start()
    yield srv, str(snap.comparison["id"]), 150
    srv.stop()


def test_request_count_does_not_grow_with_the_sources(
    fresh_sandbox: Any, synthetic: tuple[SandboxServer, str, int]
) -> None:
    srv, cid, n = synthetic
    counts = []
    seen: list[int] = []
    for url, comparison in ((fresh_sandbox.url, "R790020"), (srv.url, cid)):
        api = api_for(url)
        snap = read_comparison(api, comparison, load_mapping(), host=url, progress=seen.append)
        sts = snap.statements.values()
        links = {st["object_id"] for st in sts if st["predicate_id"] == "compareContribution"}
        counts.append((api.request_count, len(snap.statements), len(links)))
    (small_requests, _, small_sources), (big_requests, big_statements, big_sources) = counts
    assert (small_sources, big_sources) == (38, n) and big_statements > 5 * n  # every source was read
    assert big_requests <= small_requests <= 5  # 150 sources cost no more requests than 38
    # progress counts statements received, growing, and ends at least at what the snapshot holds
    assert seen[-2:] == sorted(seen[-2:]) and seen[-1] >= big_statements - 2 * n


class _Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards GETs to the sandbox; the bundle route is gone, truncated or misses a source."""

    upstream = ""
    mode = "gone"
    bundles = 0

    def do_GET(self) -> None:
        r = requests.get(self.upstream + self.path, headers={"Accept": self.headers["Accept"]}, timeout=30)
        body, status = r.content, r.status_code
        if "/bundle" in self.path:
            type(self).bundles += 1
            if self.mode == "gone":
                body, status = b'{"type":"orkg:problem:not_found","status":404}', 404
            elif self.mode == "truncated":
                body = body[: len(body) // 2]
            else:  # one source missing (its links and values): the bundle is not the whole comparison
                doc = json.loads(body)
                sts = doc["statements"]
                gone = min(s["object"]["id"] for s in sts if s["predicate"]["id"] == "compareContribution")
                doc["statements"] = [s for s in sts if gone not in (s["subject"]["id"], s["object"]["id"])]
                body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", r.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.parametrize("mode", ["gone", "truncated", "partial"])
def test_an_unusable_bundle_falls_back_to_the_same_pull(
    fresh_sandbox: Any, tmp_path: Path, mode: str
) -> None:
    handler = type("Handler", (_Proxy,), {"upstream": fresh_sandbox.url, "mode": mode, "bundles": 0})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    proxy = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        direct = pull(api_for(fresh_sandbox.url), "R790020", tmp_path / "direct", host="h")
        fallback = pull(api_for(proxy), "R790020", tmp_path / "fallback", host="h")
    finally:
        srv.shutdown()
    assert handler.bundles >= 1  # the bundle was tried first
    assert direct.requests == 5 and fallback.requests >= 38 + 5  # then the per-source reads ran
    assert folder(tmp_path / "direct") == folder(tmp_path / "fallback")
