"""A second interpreter for work that holds the GIL (parsing, serializing, JSON encoding).

A thread would not run beside such work, a process does. This one is a fresh interpreter that imports
only what its job names (not the caller's ``__main__``, as multiprocessing's spawn would), with this
process's import path; its job is JSON in its argv, so ``ps`` shows what it works on. On Linux the kernel
kills it when its parent dies (``PR_SET_PDEATHSIG``), so a kill -9 of ours leaves no writer behind; an
error or Ctrl-C here kills it at once. Its failure is raised here as one ``OSError`` line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# From this much input (sorted N-Triples, ~220k triples) a second process earns its start-up (~80 ms and
# the imports); below it, or on one core, the work is done here.
WORTH_AT = 32 << 20


def worth(size: int, at: int | None = None) -> bool:
    """Whether work on ``size`` bytes should get a second process: from ``at`` bytes (default
    :data:`WORTH_AT`) on, and only with a second core."""
    return size >= (WORTH_AT if at is None else at) and (os.cpu_count() or 1) >= 2


# argv[1] = "module:function", argv[2] = the parent's pid, argv[3] = the keyword arguments as JSON.
# PR_SET_PDEATHSIG = 1, SIGKILL = 9; the signal comes when the starting thread ends, and that thread
# waits for the process, so never earlier.
BOOT = """import importlib, json, os, sys
if sys.platform.startswith("linux"):
    import ctypes
    ctypes.CDLL(None).prctl(1, 9)
    if os.getppid() != int(sys.argv[2]):
        sys.exit("the parent is gone")
module, function = sys.argv[1].split(":")
getattr(importlib.import_module(module), function)(**json.loads(sys.argv[3]))
"""


def start(target: str, **job: Any) -> subprocess.Popen[bytes]:
    """Start ``module:function`` with ``job`` (JSON-able keyword arguments) in a second interpreter."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    argv = [sys.executable, "-c", BOOT, target, str(os.getpid()), json.dumps(job, sort_keys=True)]
    return subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def wait(proc: subprocess.Popen[bytes], what: str) -> None:
    """Wait for ``proc``; raise ``OSError("<what> in a second process failed: <its last line>")``."""
    _, err = proc.communicate()
    if proc.returncode != 0:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        raise OSError(f"{what} in a second process failed: {last[0]}")


@contextmanager
def running(target: str, what: str, **job: Any) -> Iterator[Callable[[], None]]:
    """:func:`start` now; yield a function that waits for it (raising its failure). Leaving the block
    before it ended (an error, Ctrl-C) kills it."""
    proc = start(target, **job)
    try:
        yield lambda: wait(proc, what)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
