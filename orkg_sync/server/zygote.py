"""The query zygote: one clean process holding the store, forking one child per SPARQL query.

Started by :class:`orkg_sync.server.workers.QueryProcesses` as ``python -m orkg_sync.server.zygote FD``
(FD: its end of a socket pair). It is single-threaded, so forking it is safe, and a fork shares the
loaded store copy-on-write: a child is ready in a few milliseconds. The zygote is the children's only
parent, and it alone renices, kills and reaps them in one loop, so a kill can never hit a reused pid.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import pickle
import resource
import signal
import sys
import time
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle
from typing import Any

import pyoxigraph as ox

from orkg_sync.server.sparql import Limits, QueryError, execute

DEMOTE_AFTER = 0.25  # s: a query still running after this gets nice 19 (short queries come first)
TICK = 0.02  # s: how often running children are checked while there are any


def _vm_size() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _confine(limits: Limits, network: bool) -> None:
    """Resource limits of a query child: CPU backstop, memory, and no new files or sockets."""
    with contextlib.suppress(OSError, AttributeError):  # die with the zygote (Linux only)
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)  # a Rust abort on the memory limit must not spray the server's log
    os.close(null)
    cpu = math.ceil(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    if limits.max_memory and os.path.exists("/proc/self/status"):
        cap = _vm_size() + limits.max_memory
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    if not network:  # RLIMIT_NOFILE 0: socket() and open() fail, the fds we hold keep working
        resource.setrlimit(resource.RLIMIT_NOFILE, (0, 0))


def _child(fd: int, store: ox.Store, query: str, accept: str, limits: Limits, network: bool) -> None:
    try:
        out = Connection(fd)
        _confine(limits, network)
        payload: tuple[Any, ...]
        try:
            payload = ("ok", *execute(store, query, accept, limits))
        except QueryError as err:
            payload = ("error", str(err), err.status)
        except MemoryError:
            payload = ("error", "query needed more memory than this endpoint allows", 503)
        except Exception as err:  # whatever happens, the client gets one clear line
            payload = ("error", f"query failed: {' '.join(str(err).split())[:300]}", 500)
        out.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        os._exit(0)


def _watch(children: dict[int, float], demoted: set[int], limits: Limits) -> None:
    """Reap finished children, renice long ones, SIGKILL those past the time limit."""
    now = time.monotonic()
    for pid, started in list(children.items()):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            del children[pid]
            demoted.discard(pid)
        elif now - started > limits.seconds:
            os.kill(pid, signal.SIGKILL)  # not yet reaped, so the pid is still this child's
        elif now - started > DEMOTE_AFTER and pid not in demoted:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, pid, 19)
            demoted.add(pid)


def serve(conn: Connection) -> None:
    """Load the store named by the first message, then fork a child per (query, accept, fd) message."""
    cfg = conn.recv()
    store = ox.Store()
    store.load(path=cfg["data"], format=ox.RdfFormat.N_QUADS)
    limits = Limits(**cfg["limits"])
    network = bool(cfg["network"])
    conn.send("ready")
    children: dict[int, float] = {}
    demoted: set[int] = set()
    try:
        while True:
            if conn.poll(TICK if children else 1.0):
                query, accept = conn.recv()
                fd = recv_handle(conn)
                pid = os.fork()
                if pid == 0:
                    conn.close()
                    _child(fd, store, query, accept, limits, network)
                os.close(fd)
                children[pid] = time.monotonic()
            _watch(children, demoted, limits)
    except (EOFError, OSError):  # the server went away: so do its queries
        for pid in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server; it closes our socket
    serve(Connection(int(sys.argv[1])))
