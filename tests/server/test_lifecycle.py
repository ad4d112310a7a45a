"""kill -9 or Ctrl-C of `orkg-sync serve` leaves no query process behind, even mid-query."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.publish.conftest import FIXTURE, free_port
from tests.server.conftest import alive, zygote_children
from tests.server.test_limits import HOSTILE

ROOT = Path(__file__).resolve().parents[2]


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_server_death_takes_its_query_processes_along(sig: signal.Signals) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "orkg_sync", "serve", "--input", str(FIXTURE), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    try:
        assert proc.stderr is not None and proc.stderr.readline().startswith("serving")
        url = f"http://127.0.0.1:{port}/sparql"

        def attack() -> None:
            with contextlib.suppress(requests.RequestException):  # the server dies under it
                requests.post(url, data={"query": HOSTILE}, timeout=30)

        hostile = threading.Thread(target=attack, daemon=True)
        hostile.start()
        family = _descendants(proc.pid)
        zygote = family[0]
        deadline = time.monotonic() + 5
        while not zygote_children(zygote, state="R") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert zygote_children(zygote, state="R")  # a worker is computing the hostile query
        family = _descendants(proc.pid)
        proc.send_signal(sig)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(alive(p) for p in family) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in family if alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
