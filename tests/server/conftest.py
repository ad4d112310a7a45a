"""Fixtures: our server (with the serve command's waitress limits) on a real loopback socket, and a
listener that records every connection made to it (it must receive nothing from a refused SERVICE)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from tests.publish.conftest import FIXTURE, free_port, oxigraph_server  # noqa: F401 (fixture)


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    s.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
    return s


class Servers:
    """``servers(**create_app kwargs)`` -> base URL of a fresh app on its own loopback port."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.running: dict[str, tuple[Any, Any]] = {}

    def __call__(self, app_store: ox.Store | None = None, **kw: Any) -> str:
        from waitress.server import create_server

        from orkg_sync.server import create_app
        from orkg_sync.server.security import waitress_options

        port = free_port()
        url = f"http://127.0.0.1:{port}"
        kw.setdefault("public_url", url + "/")
        app = create_app(app_store if app_store is not None else self.store, **kw)
        srv = create_server(app, host="127.0.0.1", port=port, threads=24, **waitress_options())
        threading.Thread(target=_run_until_closed, args=(srv,), daemon=True).start()
        self.running[url] = (srv, app)
        return url

    def zygote_pid(self, url: str) -> int | None:
        """The pid of the process whose children run ``url``'s queries."""
        return self.running[url][1].extensions["orkg_sync.queries"].zygote_pid  # type: ignore[no-any-return]

    def close(self) -> None:
        for srv, app in self.running.values():
            srv.close()
            app.extensions["orkg_sync.queries"].close()


Serve = Servers


def _run_until_closed(srv: Any) -> None:
    with contextlib.suppress(OSError):  # close() from the test thread ends the loop with EBADF
        srv.run()


@pytest.fixture
def serve(store: ox.Store) -> Iterator[Servers]:
    servers = Servers(store)
    yield servers
    servers.close()


class Listener:
    """A TCP listener on loopback that counts connections and keeps what they sent."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.received: list[bytes] = []
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(65536))
                except OSError:
                    self.received.append(b"")


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.sock.close()


def zygote_children(zygote_pid: int, state: str | None = None) -> list[int]:
    """Live query workers (the zygote's children, from /proc); ``state="R"``: only those computing."""
    kids: list[int] = []
    for task in Path(f"/proc/{zygote_pid}/task").iterdir():
        kids += [int(c) for c in (task / "children").read_text().split()]
    alive = [k for k in kids if _state(k) not in {"Z", "X", None}]
    return [k for k in alive if state is None or _state(k) == state]


def alive(pid: int) -> bool:
    return _state(pid) not in {"Z", "X", None}


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` and its live children, from /proc."""
    import os

    total = 0.0
    for p in [pid, *zygote_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def own_cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` alone (0 once it is gone)."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
