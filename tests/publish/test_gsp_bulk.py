"""publish --bulk: the Oxigraph server's bulk loader, on a real server over loopback.

Not atomic by design (docs/publishing.md), so what is tested is what it promises: replace, never append;
a verified count; after any failure no partial graph passes for the release (the target is dropped), and
publishing again leaves exactly the new triples.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from orkg_sync.cli.main import main
from orkg_sync.errors import RemoteError
from orkg_sync.publish.gsp import Endpoints, count_triples, publish_ntriples, rows_from_json, run_remote_query
from tests.publish.conftest import free_port

G = "https://w3id.org/orkg-sync/r790020/"


def _graphs(ep: Endpoints) -> dict[str, int]:
    q = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    return {r["g"]: int(r["n"]) for r in rows_from_json(run_remote_query(ep.query, q))}


def _triples(n: int, tag: str) -> bytes:
    return b"".join(f"<urn:{tag}:{i}> <urn:p> <urn:o:{i % 7}> .\n".encode() for i in range(n))


def _subjects(ep: Endpoints) -> set[str]:
    q = f"SELECT DISTINCT ?s {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"
    return {r["s"] for r in rows_from_json(run_remote_query(ep.query, q))}


def test_bulk_replaces_and_verifies(oxigraph_server: str, release: Path) -> None:
    ep = Endpoints.from_base(oxigraph_server)
    assert publish_ntriples(ep, _triples(50, "old"), G, strategy="bulk") == 50
    data = release / "data.nt"
    n = len(data.read_bytes().splitlines())
    assert publish_ntriples(ep, data, G, strategy="bulk") == n
    assert _graphs(ep) == {G: n}  # replaced, not appended; no other graph
    assert publish_ntriples(ep, _triples(30, "new"), G, strategy="bulk") == 30
    assert _subjects(ep) == {f"urn:new:{i}" for i in range(30)}  # exactly the new triples


def test_bulk_drops_a_short_load(oxigraph_server: str) -> None:
    """A line the server skips (lenient bulk load) shows in the count: error, and the target is dropped."""
    ep = Endpoints.from_base(oxigraph_server)
    publish_ntriples(ep, _triples(20, "old"), G, strategy="bulk")
    bad = _triples(10, "new") + b"<urn:x> this is not n-triples\n"
    with pytest.raises(RemoteError, match=r"holds 10 triples, expected 11.*not atomic.*was dropped"):
        publish_ntriples(ep, bad, G, strategy="bulk")
    assert _graphs(ep) == {}  # no partial graph left behind
    assert publish_ntriples(ep, _triples(5, "new"), G, strategy="bulk") == 5
    assert _subjects(ep) == {f"urn:new:{i}" for i in range(5)}


class _CutProxy:
    """A loopback TCP relay to a server that SIGKILLs the server once ``cut`` request bytes went through."""

    def __init__(self, target_port: int, server: subprocess.Popen[bytes], cut: int) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.target, self.server, self.cut = target_port, server, cut
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:  # the server is gone: so is the connection
                client.close()
                continue
            threading.Thread(target=self._pipe, args=(upstream, client, None), daemon=True).start()
            threading.Thread(target=self._pipe, args=(client, upstream, self.cut), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, cut: int | None) -> None:
        sent = 0
        try:
            while chunk := src.recv(1 << 16):
                dst.sendall(chunk)
                sent += len(chunk)
                if cut is not None and sent >= cut and self.server.poll() is None:
                    self.server.send_signal(signal.SIGKILL)
                    self.server.wait()
        except OSError:
            pass
        for s in (src, dst):
            s.close()


def _serve(location: Path, port: int) -> subprocess.Popen[bytes]:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        pytest.skip("the oxigraph server binary (pip install oxigraph) is not installed")
    cmd = [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            requests.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=1)
            return proc
        except requests.RequestException:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("oxigraph did not start")


def test_server_killed_mid_upload_then_publish_again(tmp_path: Path) -> None:
    """kill -9 of the server halfway through the body: exit 3 saying the graph may be partial; after a
    restart, publishing again (here through the CLI) leaves exactly the new triples."""
    port = free_port()
    server = _serve(tmp_path / "oxi", port)
    base = f"http://127.0.0.1:{port}"
    direct = Endpoints.from_base(base)
    try:
        publish_ntriples(direct, _triples(100, "old"), G, strategy="bulk")
        body = tmp_path / "big.nt"
        body.write_bytes(_triples(60_000, "big"))
        proxy = _CutProxy(port, server, cut=body.stat().st_size // 2)
        via = f"http://127.0.0.1:{proxy.port}"
        r = CliRunner().invoke(main, ["publish", "--bulk", "--service", via, "--input", str(body)])
        assert r.exit_code == 3, r.output
        assert r.output.startswith("error: upload:") and "may hold part of the upload" in r.output
        proxy.sock.close()
    finally:
        server.kill()
        server.wait()
    server = _serve(tmp_path / "oxi", port)  # the same store directory, after the crash
    try:
        assert count_triples(direct, G) < 60_000  # what the crash left: not the release
        new = tmp_path / "new.nt"
        new.write_bytes(_triples(40, "new"))
        r = CliRunner().invoke(main, ["publish", "--bulk", "--service", base, "--input", str(new)])
        assert r.exit_code == 0, r.output
        assert _graphs(direct) == {G: 40}
        assert _subjects(direct) == {f"urn:new:{i}" for i in range(40)}
    finally:
        server.terminate()
        server.wait()


def test_bulk_and_strategy_exclude_each_other(release: Path) -> None:
    args = ["publish", "--bulk", "--strategy", "move", "--service", "http://127.0.0.1:1"]
    r = CliRunner().invoke(main, [*args, "--input", str(release / "data.nt")])
    assert r.exit_code == 2
    assert r.output.strip() == "error: --bulk and --strategy exclude each other (--bulk is its own strategy)"
