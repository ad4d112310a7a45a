"""A throwaway real HTTP server on loopback that plays scripted answers (until the sandbox lands).

Our client really talks HTTP to it; only the *server* is scripted.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float


Handler = Callable[["Ctx"], None]


@dataclass
class Ctx:
    """What a scripted route sees and how it answers."""

    req: Seen
    h: BaseHTTPRequestHandler
    n: int  # 1-based count of requests to this route so far

    def send(
        self, status: int, body: bytes | str | Any = b"", ctype: str = "application/json", **headers: str
    ) -> None:
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        data = body.encode() if isinstance(body, str) else body
        self.h.send_response(status)
        if data or status not in (204,):
            self.h.send_header("Content-Type", ctype)
        self.h.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.h.send_header(k.replace("_", "-"), v)
        self.h.end_headers()
        self.h.wfile.write(data)

    def drop(self) -> None:
        """Close the connection without any answer."""
        self.h.close_connection = True
        self.h.connection.shutdown(socket.SHUT_RDWR)

    def truncated(self, data: bytes, claimed: int) -> None:
        """Announce ``claimed`` bytes, send fewer, then close."""
        self.h.send_response(200)
        self.h.send_header("Content-Type", "application/json")
        self.h.send_header("Content-Length", str(claimed))
        self.h.end_headers()
        self.h.wfile.write(data)
        self.h.wfile.flush()
        self.h.close_connection = True
        self.h.connection.shutdown(socket.SHUT_RDWR)


@dataclass
class FakeOrkg:
    base: str
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def route(self, method: str, path: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.routes[(method, path)] = fn
            return fn

        return deco

    def hits(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


def _make_handler(fake: FakeOrkg) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _any(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(
                self.command, parts.path, parse_qs(parts.query), dict(self.headers), body, time.monotonic()
            )
            fake.seen.append(seen)
            key = (self.command, parts.path)
            fake.counts[key] = fake.counts.get(key, 0) + 1
            fn = fake.routes.get(key)
            ctx = Ctx(seen, self, fake.counts[key])
            if fn is None:
                ctx.send(
                    404, {"type": "orkg:problem:not_found", "detail": "no route"}, "application/problem+json"
                )
            else:
                fn(ctx)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

    return H


@pytest.fixture
def fake() -> Iterator[FakeOrkg]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(FakeOrkg("")))
    fake = FakeOrkg(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _make_handler(fake)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # dropped connections are intended here
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
