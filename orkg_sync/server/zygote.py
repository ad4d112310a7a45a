"""The query zygote: one clean process holding the store, and a pool of forked query workers.

Started by :class:`orkg_sync.server.workers.QueryProcesses` as ``python -m orkg_sync.server.zygote FD``
(FD: its end of a socket pair). It is single-threaded, so forking it is safe, and a fork shares the
loaded store copy-on-write. Workers are reused (a fresh fork pays ~20 ms of copy-on-write faults on
its first query); the zygote hands each (query, accept, answer socket) to an idle worker, forking
another while fewer than ``max_running`` exist. It alone renices, kills and reaps workers, in one
loop, so a kill can never hit a reused pid. A killed or demoted worker is replaced by a fresh fork.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import pickle
import resource
import signal
import socket
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import recv_handle, send_handle
from typing import Any

import pyoxigraph as ox

from orkg_sync.server.sparql import Limits, QueryError, execute

# (CPU seconds, nice): a query's worker is reniced once it has used that much CPU, so short queries come
# first. The shipped queries use <= 0.13 s on 100k triples (a lower step slowed the two heaviest under
# load); a runaway query gets there within a second.
DEMOTE = ((0.2, 19),)
TICK = 0.02  # s: how often busy workers are checked
SPARE = 2  # idle workers kept forked and warm
RETIRE_AFTER = 500  # queries: then a worker is replaced (returns whatever memory it has grown)
_HZ = os.sysconf("SC_CLK_TCK")
_WARM_UP = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _cpu_seconds(pid: int | None = None) -> float:
    """CPU time used so far by ``pid`` (wall time would punish every query on a busy machine)."""
    try:
        with open(f"/proc/{pid or 'self'}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _HZ
    except (OSError, IndexError, ValueError):
        return 0.0


def _demote(pid: int, nice: int) -> None:
    """Lower ``pid``'s CPU weight (nice 10: ~1/10 of a normal process; 19: ~1/70).

    Not SCHED_IDLE: on a busy host that would starve a legitimate long query until its time limit.
    """
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, pid, nice)


def _vm_size() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _confine(limits: Limits, network: bool) -> None:
    """Lifetime limits of a worker: memory, and no new files or sockets."""
    with contextlib.suppress(OSError, AttributeError):  # die with the zygote (Linux only)
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)  # a Rust abort on the memory limit must not spray the server's log
    os.close(null)
    if limits.max_memory and os.path.exists("/proc/self/status"):
        cap = _vm_size() + limits.max_memory
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    if not network:
        _one_free_fd_slot()


def _one_free_fd_slot() -> None:
    """Leave exactly one fd number below RLIMIT_NOFILE free, for the client socket handed over.

    While a query runs that slot holds the client's socket, so ``socket()`` and ``open()`` fail with
    EMFILE: the query cannot reach the network or the disk, whatever its text says. The fds already
    open keep working.
    """
    listing = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    fds = {fd for fd in map(int, os.listdir(listing)) if _is_open(fd)}  # minus listdir's own
    top = max(fds)
    free = [n for n in range(top + 1) if n not in fds] or [top + 1]
    null = os.open(os.devnull, os.O_RDONLY)  # takes the lowest free number, free[0]
    if null != free[0]:
        raise OSError("unexpected descriptor layout")
    for n in free[1:]:
        os.dup2(null, n)
    os.close(null)
    limit = max(top, free[0]) + 1
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _recv_fd(ctl: Connection) -> int:
    """multiprocessing's recv_handle dups the socket first, which would need a second free slot."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, fileno=ctl.fileno())
    try:
        _, fds, _, _ = socket.recv_fds(sock, 1, 1)
    finally:
        sock.detach()
    if not fds:
        raise EOFError
    return fds[0]


def _answer(store: ox.Store, query: str, accept: str, limits: Limits) -> tuple[Any, ...]:
    # CPU backstop should the zygote fail to kill us: SIGXCPU once this query used limit + 1 s
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    soft = int(_cpu_seconds()) + math.ceil(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard < 0 else min(soft, hard), hard))
    try:
        return ("ok", *execute(store, query, accept, limits))
    except QueryError as err:
        return ("error", str(err), err.status)
    except MemoryError:
        return ("error", "query needed more memory than this endpoint allows", 503)
    except Exception as err:  # whatever happens, the client gets one clear line
        return ("error", f"query failed: {' '.join(str(err).split())[:300]}", 500)


def _worker(ctl: Connection, store: ox.Store, limits: Limits, network: bool) -> None:
    """Answer queries handed over on ``ctl`` until the zygote closes it."""
    try:
        _confine(limits, network)
        with contextlib.suppress(Exception):
            store.query(_WARM_UP)  # take the copy-on-write faults now, not on a client's query
        ctl.send("idle")
        while True:
            query, accept = ctl.recv()
            out = Connection(_recv_fd(ctl))
            payload = _answer(store, query, accept, limits)
            with contextlib.suppress(OSError):  # the client may have given up
                out.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
            out.close()
            ctl.send("idle")
    finally:
        os._exit(0)


@dataclass
class _Worker:
    pid: int
    ctl: Connection
    started: float | None = None  # when its current query began; None while idle
    ready: bool = False
    nice: int = 0
    served: int = 0


class Zygote:
    """The pool: forks, dispatches, watches and reaps workers."""

    def __init__(self, conn: Connection, store: ox.Store, limits: Limits, network: bool) -> None:
        self.conn, self.store, self.limits, self.network = conn, store, limits, network
        self.workers: dict[int, _Worker] = {}
        self.dying: set[int] = set()

    def fork(self, inherited: int | None = None) -> _Worker:
        """A new worker; ``inherited`` (a client's socket the zygote holds) is closed in it."""
        mine, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            mine.close()
            self.conn.close()  # only the zygote may hold the server's socket and the other workers'
            for w in self.workers.values():
                w.ctl.close()
            if inherited is not None:
                os.close(inherited)
            _worker(Connection(theirs.detach()), self.store, self.limits, self.network)
        theirs.close()
        w = _Worker(pid, Connection(mine.detach()))
        self.workers[pid] = w
        return w

    def retire(self, w: _Worker) -> None:
        """SIGKILL ``w`` and reap it later (never block on it: a niced process may exit slowly)."""
        with contextlib.suppress(OSError):
            os.kill(w.pid, signal.SIGKILL)  # not yet reaped, so the pid is still this worker's
        w.ctl.close()
        self.workers.pop(w.pid, None)
        self.dying.add(w.pid)

    def reap(self) -> None:
        for pid in list(self.dying):
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG)[0] == 0:
                    continue
            self.dying.discard(pid)

    def dispatch(self) -> None:
        """Hand the next (query, accept, socket) to an idle worker (forking one if needed)."""
        query, accept = self.conn.recv()
        fd = recv_handle(self.conn)
        w: _Worker | None = None
        try:
            idle = [w for w in self.workers.values() if w.started is None]
            w = min(idle, key=lambda x: not x.ready) if idle else self.fork(inherited=fd)
            w.ctl.send((query, accept))
            send_handle(w.ctl, fd, w.pid)
            w.started = time.monotonic()
        except OSError:  # fork or hand-over failed: closing our copy gives the client EOF (503)
            if w is not None:
                self.retire(w)  # a worker we cannot talk to is not reused
        finally:
            os.close(fd)

    def on_worker_message(self, w: _Worker) -> None:
        try:
            w.ctl.recv()  # "idle": warmed up, or finished a query
        except (EOFError, OSError):
            self.retire(w)
            return
        if not w.ready:  # the warm-up; a query may already wait in its socket
            w.ready = True
            return
        w.served += 1
        w.started = None
        if w.nice or w.served >= RETIRE_AFTER:  # demotion cannot be undone without privileges
            self.retire(w)

    def watch(self) -> None:
        self.reap()
        now = time.monotonic()
        for w in list(self.workers.values()):
            if w.started is None:
                continue
            if now - w.started > self.limits.seconds:
                self.retire(w)
            elif w.nice < DEMOTE[-1][1] and now - w.started > DEMOTE[0][0]:
                used = _cpu_seconds(w.pid)
                nice = max((n for cpu, n in DEMOTE if used > cpu), default=0)
                if nice > w.nice:
                    _demote(w.pid, nice)
                    w.nice = nice
        while sum(w.started is None for w in self.workers.values()) < SPARE and len(self.workers) < max(
            SPARE, self.limits.max_running
        ):
            self.fork()

    def run(self) -> None:
        try:
            while True:
                busy = self.dying or any(w.started is not None for w in self.workers.values())
                ctls = {w.ctl: w for w in self.workers.values()}
                for ready in wait([self.conn, *ctls], TICK if busy else 1.0):
                    if ready is self.conn:
                        self.dispatch()
                    elif ctls[ready].pid in self.workers:  # type: ignore[index]
                        self.on_worker_message(ctls[ready])  # type: ignore[index]
                self.watch()
        except EOFError:  # the server went away: so do its queries
            for w in list(self.workers.values()):
                self.retire(w)


def serve(conn: Connection) -> None:
    """Load the store named by the first message, say "ready", then run the pool."""
    cfg = conn.recv()
    store = ox.Store()
    store.load(path=cfg["data"], format=ox.RdfFormat.N_QUADS)
    zygote = Zygote(conn, store, Limits(**cfg["limits"]), bool(cfg["network"]))
    zygote.watch()  # fork the spare workers
    conn.send("ready")
    zygote.run()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server; it closes our socket
    serve(Connection(int(sys.argv[1])))
