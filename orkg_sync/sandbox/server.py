"""Build the sandbox (store + app) and serve it with waitress; supports dropping connections."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import waitress
from waitress.channel import HTTPChannel
from waitress.task import WSGITask

from orkg_sync.sandbox.app import create_app
from orkg_sync.sandbox.auth import Tokens, load_accounts
from orkg_sync.sandbox.db import Store
from orkg_sync.sandbox.faults import FaultConfig, Faults
from orkg_sync.sandbox.lock import hold
from orkg_sync.sandbox.seed import seed_store
from orkg_sync.sandbox.state import Sandbox

RESET_ENV = "ORKG_SANDBOX_TEST_RESET"  # "1" turns on POST /_sandbox/reset (for the test suite)


class _Task(WSGITask):
    def get_environment(self) -> dict[str, Any]:
        env = super().get_environment()
        env["sandbox.socket"] = self.channel.socket
        return env


class _Channel(HTTPChannel):
    task_class = _Task


def _dropping(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """WSGI wrapper: when the app marked the request, close the socket instead of answering."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        result = list(app(environ, start_response))
        if environ.get("sandbox.drop"):
            sock = environ.get("sandbox.socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            return []
        return result

    return wsgi


def build(
    db: str | Path,
    *,
    seed: str | Path | None,
    reset: bool = False,
    token_ttl: float = 300.0,
    accounts_file: str | None = None,
    faults: FaultConfig | None = None,
    control_token: str | None = None,
) -> Callable[..., Iterable[bytes]]:
    """The WSGI app over ``db``; seeds it when empty (or after ``reset``).

    Takes the database's lock first (``DatabaseInUse`` when another sandbox serves it), so ``reset``
    never deletes a database a running sandbox uses. The lock lives as long as the app."""
    db = Path(db)
    lock = hold(db)
    try:
        if reset:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
        store = Store(db)
        if seed is not None and store.get_meta("seeded_from") is None and not store.things():
            seed_store(store, seed)
        if faults is None:
            env = os.environ.get("ORKG_SANDBOX_FAULTS")
            try:
                faults = FaultConfig.from_dict(json.loads(env)) if env else FaultConfig()
            except (ValueError, TypeError) as exc:
                raise ValueError(f"ORKG_SANDBOX_FAULTS: {exc}") from None
        token = control_token or os.environ.get("ORKG_SANDBOX_CONTROL_TOKEN") or None
        sandbox = Sandbox(store, Tokens(ttl=token_ttl), load_accounts(accounts_file), Faults(faults), token)
        if os.environ.get(RESET_ENV) == "1":  # tests only: POST /_sandbox/reset (docs/sandbox.md)
            sandbox.seeded = sqlite3.connect(":memory:", check_same_thread=False)
            with store.lock:
                store.conn.backup(sandbox.seeded)
        wsgi = _dropping(create_app(sandbox).wsgi_app)
    except BaseException:
        if lock is not None:
            lock.close()  # a failed start releases the database at once
        raise
    wsgi.lock = lock  # type: ignore[attr-defined]  # held while the app lives
    return wsgi


class LateApp:
    """The WSGI app, set once the socket is bound: bind first, then touch the database."""

    def __init__(self) -> None:
        self.app: Callable[..., Iterable[bytes]] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        assert self.app is not None, "LateApp served before its app was set"
        return self.app(environ, start_response)


def listen(host: str, port: int, threads: int = 8) -> tuple[Any, LateApp]:
    """Bind the port (OSError when taken) before anything is built, reset or seeded."""
    late = LateApp()
    server = waitress.create_server(late, host=host, port=port, threads=threads, ident="orkg-sandbox")
    server.channel_class = _Channel
    return server, late


def serve(server: Any, late: LateApp, app: Callable[..., Iterable[bytes]], host: str) -> None:
    late.app = app
    print(f"ORKG sandbox listening on http://{host}:{server.effective_port}", flush=True)
    server.run()
