"""publish at size: a file is streamed, and the wait for the store's answer grows with the body."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orkg_sync.errors import RemoteError
from orkg_sync.publish import gsp
from orkg_sync.publish.gsp import Endpoints, count_triples, publish_ntriples

G = "https://w3id.org/orkg-sync/r790020/"


@pytest.mark.parametrize("strategy", ["put", "move"])
def test_a_file_is_streamed_and_replaces_the_graph(
    oxigraph_server: str, release: Path, tmp_path: Path, strategy: str
) -> None:
    ep = Endpoints.from_base(oxigraph_server)
    publish_ntriples(ep, b"<urn:x> <urn:p> <urn:o> .\n", G, strategy=strategy)
    data = release / "data.nt"
    n = len(data.read_bytes().splitlines())
    assert publish_ntriples(ep, data, G, strategy=strategy) == n
    assert count_triples(ep, G) == n  # replaced, not appended


class _SlowStore(http.server.BaseHTTPRequestHandler):
    """Reads the whole body, then stays silent ``delay`` seconds before answering (like a store ingesting)."""

    delay = 0.0
    triples = 0
    received = 0

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received = len(body)
        type(self).triples = len(body.splitlines())
        time.sleep(self.delay)
        self.send_response(204)
        self.end_headers()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        doc = {"results": {"bindings": [{"n": {"value": str(self.triples)}}]}}
        body = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def slow_store() -> Iterator[tuple[str, type[_SlowStore]]]:
    handler = type("Handler", (_SlowStore,), {"delay": 1.5})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", handler
    srv.shutdown()


def test_the_wait_for_the_answer_grows_with_the_size(
    slow_store: tuple[str, type[_SlowStore]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, handler = slow_store
    ep = Endpoints.from_base(url)
    monkeypatch.setattr(gsp, "TIMEOUT", 0.5)  # scaled down: 0.5 s of silence plus the size at 100 KB/s
    monkeypatch.setattr(gsp, "INGEST_RATE", 100_000)
    small = b"<urn:a> <urn:b> <urn:c> .\n"
    with pytest.raises(RemoteError, match="upload"):  # 0.5 s budget, the store needs 1.5 s
        publish_ntriples(ep, small, G)
    big = tmp_path / "big.nt"
    line = b"<urn:a> <urn:b> <urn:c> .\n"
    big.write_bytes(b"".join(line.replace(b"urn:c", f"urn:c{i}".encode()) for i in range(6000)))
    assert big.stat().st_size > 150_000  # budget 0.5 s + >1.5 s: the same store is given the time
    assert publish_ntriples(ep, big, G) == 6000
    assert handler.received == big.stat().st_size


def test_upload_timeout_grows_with_size() -> None:
    send, read = gsp.upload_timeout(150 * 1024 * 1024)
    assert send == read > 5 * gsp.TIMEOUT
    assert gsp.upload_timeout(10)[1] == pytest.approx(gsp.TIMEOUT, abs=0.01)


class _PausingStore(_SlowStore):
    """Stops reading the body for ``delay`` seconds after the first MB (Oxigraph's bulk loader does this
    while it writes a batch: 35 s per million triples on the loaded dev box)."""

    delay = 1.5

    def do_PUT(self) -> None:
        size = int(self.headers["Content-Length"])
        head = self.rfile.read(1 << 20)
        time.sleep(self.delay)
        body = head + self.rfile.read(size - len(head))
        type(self).received = len(body)
        type(self).triples = len(body.splitlines())
        self.send_response(204)
        self.end_headers()


def test_a_store_that_pauses_reading_the_body_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connect timeout also bounds each send of the body in requests: it must not cut a pause.

    (A 5M-triple ``publish --bulk`` failed this way after 447 MB of 789 MB.) The body is larger than the
    loopback socket buffers, so the sender really blocks while the store is not reading.
    """
    handler = type("Handler", (_PausingStore,), {})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        monkeypatch.setattr(gsp, "CONNECT_TIMEOUT", 0.5)  # scaled down: a pause 3x as long as it
        big = tmp_path / "big.nt"
        with open(big, "wb") as fh:
            for i in range(300_000):
                fh.write(f"<urn:s:{i}> <urn:p> <urn:o:{i}> .\n".encode())
        assert big.stat().st_size > 8 << 20
        ep = Endpoints.from_base(f"http://127.0.0.1:{srv.server_address[1]}")
        assert publish_ntriples(ep, big, G) == 300_000
        assert handler.received == big.stat().st_size
    finally:
        srv.shutdown()
