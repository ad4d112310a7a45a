"""A lock file held while a sandbox serves a database, so no second sandbox resets or shares it.

``fcntl.flock`` on ``<db>.lock``: the kernel drops it when the process ends, even on ``kill -9``, so a
crashed sandbox never leaves a stale lock. (POSIX only; elsewhere the lock is not taken.)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO


class DatabaseInUse(Exception):
    """Another running sandbox holds the database's lock."""


def hold(db: str | Path) -> IO[str] | None:
    """Take the lock of ``db`` for the life of the process (keep the returned handle open)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    path = Path(str(db) + ".lock")
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or "?"
        handle.close()
        raise DatabaseInUse(f"{db} is in use by a running sandbox (pid {owner}; lock {path})") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
