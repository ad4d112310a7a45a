"""One writer per workspace: an advisory ``fcntl`` lock on a file beside the pulled folder.

The lock file lives outside the folder because a pull or a push swaps the folder itself: a lock on a
file inside it would be on the old inode after the swap. The kernel drops the lock when the process
dies (kill -9 included), so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from orkg_sync.errors import InputError


@contextlib.contextmanager
def workspace_lock(path: Path, what: str) -> Iterator[None]:
    """Hold the lock at ``path`` for the block; refuse at once (exit 2) if another process has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise InputError(
                f"{what} is in use by pid {holder} (another pull or push); wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)
