"""Run each SPARQL query in its own killable process, so the time limit really stops it.

pyoxigraph cannot cancel a query, and a ``COUNT`` over a cross join writes nothing until it ends, so a
limit checked in-process comes too late (the old server kept such queries burning CPU for minutes). Here
the store lives in a separate *zygote* process (:mod:`orkg_sync.server.zygote`) that forks one child per
query; the child sends its answer over a socket pair this thread made, and the zygote SIGKILLs it at the
time limit, which frees its CPU at once. A query that has used 0.2 s of CPU is reniced to 19, so short
queries keep answering while long ones burn. Children cannot open files or sockets (RLIMIT_NOFILE 0)
unless a SERVICE allow-list needs the network.
"""

from __future__ import annotations

import os
import pickle
import shutil
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import asdict
from multiprocessing.connection import Connection
from multiprocessing.reduction import send_handle
from pathlib import Path

import pyoxigraph as ox

from orkg_sync import scratch
from orkg_sync.server.sparql import Limits, QueryError

_ROOT = str(Path(__file__).resolve().parents[2])  # so the zygote imports this very orkg_sync


def _stop(proc: subprocess.Popen[bytes], conn: Connection) -> None:
    conn.close()  # the zygote sees EOF, kills its children and exits
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class QueryProcesses:
    """Executes queries over a copy of ``store`` in forked, resource-limited, killable processes."""

    def __init__(self, store: ox.Store, limits: Limits, *, network: bool = False) -> None:
        self.store = store
        self.limits = limits
        self.network = network
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(limits.max_running)
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None

    @property
    def zygote_pid(self) -> int | None:
        """The pid of the process whose children run the queries (None before the first query)."""
        return self._proc.pid if self._proc else None

    def _start(self) -> None:
        tmp = str(scratch.make_dir("queries"))  # a killed server's dump is swept by the next one
        try:
            data = Path(tmp) / "store.nq"
            self.store.dump(str(data), format=ox.RdfFormat.N_QUADS)
            mine, theirs = socket.socketpair()
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([_ROOT, os.environ.get("PYTHONPATH", "")]))
            proc = subprocess.Popen(
                [sys.executable, "-m", "orkg_sync.server.zygote", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env=env,
            )
            theirs.close()
            conn = Connection(mine.detach())
            conn.send({"data": str(data), "limits": asdict(self.limits), "network": self.network})
            if not conn.poll(300) or conn.recv() != "ready":
                raise OSError("the query process did not start")
        except (OSError, EOFError) as err:
            raise QueryError(f"query service unavailable: {err}", 503) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self._proc, self._conn = proc, conn
        weakref.finalize(self, _stop, proc, conn)

    def start(self) -> None:
        """Start the query processes now (else the first query does): load errors show at once."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()

    def _submit(self, query: str, accept: str, fd: int) -> None:
        with self._lock:
            for attempt in (1, 2):  # a zygote that died (OOM killer, kill) is replaced once
                if self._proc is None or self._proc.poll() is not None:
                    self._start()
                assert self._conn is not None and self._proc is not None
                try:
                    self._conn.send((query, accept))
                    send_handle(self._conn, fd, self._proc.pid)
                    return
                except OSError:
                    self._proc.kill()
                    if attempt == 2:
                        raise QueryError("query service unavailable", 503) from None

    def run(self, query: str, accept: str) -> tuple[bytes, str]:
        """(body, content type) of ``query``; raises :class:`QueryError` (400/403/413/500/503)."""
        if not self._slots.acquire(timeout=self.limits.queue_seconds):
            raise QueryError("server busy: too many queries running, retry shortly", 503)
        try:
            return self._run(query, accept)
        finally:
            self._slots.release()

    def _run(self, query: str, accept: str) -> tuple[bytes, str]:
        mine, theirs = socket.socketpair()
        t0 = time.monotonic()
        try:
            self._submit(query, accept, theirs.fileno())
            theirs.close()
            reader = Connection(mine.detach())
            try:  # the zygote kills the child at the limit; the margin covers fork and transfer
                if reader.poll(self.limits.seconds + 2.0):
                    status, a, b = pickle.loads(reader.recv_bytes())
                else:
                    status = "gone"
            except EOFError:
                status = "gone"
            finally:
                reader.close()
        finally:
            theirs.close()
            mine.close()
        if status == "ok":
            return a, b
        if status == "error":
            raise QueryError(a, b)
        if time.monotonic() - t0 >= self.limits.seconds:
            raise QueryError(f"query exceeded the {self.limits.seconds:g} s time limit", 503)
        raise QueryError("query stopped: it needed more memory or CPU than this endpoint allows", 503)

    def close(self) -> None:
        """Stop the zygote and every running query."""
        if self._proc is not None and self._conn is not None:
            _stop(self._proc, self._conn)
            self._proc = self._conn = None
