"""Fixtures: the hand-written contract graph, our server on a loopback socket, an Oxigraph server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

FIXTURE = Path(__file__).with_name("fixture.ttl")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    s.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
    return s


@pytest.fixture
def release(tmp_path: Path, store: ox.Store) -> Path:
    from orkg_sync.publish.metadata import DatasetInfo
    from orkg_sync.publish.release import release_files, write_release

    info = DatasetInfo(generated_at="2026-11-01T10:00:00Z", sparql_endpoint="http://127.0.0.1/sparql")
    return write_release(tmp_path / "release", release_files(store, info))


@pytest.fixture
def server(store: ox.Store, release: Path) -> Iterator[str]:
    """Our linked-data app served by waitress in a thread on a free loopback port."""
    from waitress.server import create_server

    from orkg_sync.server import create_app

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(store, release_dir=release, public_url=url + "/")
    srv = create_server(app, host="127.0.0.1", port=port, threads=4)
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    yield url
    srv.close()


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A real Oxigraph server process (PyPI ``oxigraph``) on a free loopback port."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        pytest.skip("the oxigraph server binary (pip install oxigraph) is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(tmp_path / "oxi"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
