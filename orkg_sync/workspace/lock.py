"""One writer per workspace: an advisory ``fcntl`` lock on a file beside the pulled folder.

The lock file lives outside the folder because a pull or a push swaps the folder itself: a lock on a
file inside it would be on the old inode after the swap. The kernel drops the lock when the process
dies (kill -9 included), so a crash never leaves a stale lock behind.

The file exists only while the lock is held: the holder unlinks it before letting go, so a refused or
failed command leaves nothing behind. A process that locked a file which was unlinked meanwhile sees that
the path no longer names its inode and tries again, so two holders can never both believe they own it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from orkg_sync.errors import InputError

ATTEMPTS = 5


@contextlib.contextmanager
def workspace_lock(path: Path, what: str) -> Iterator[None]:
    """Hold the lock at ``path`` for the block; refuse at once (exit 2) if another process has it."""
    created_dir = not path.parent.exists()
    fd = _acquire(path, what)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still holding it: see the module docstring
        os.close(fd)
        if created_dir:
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # only if empty: a journal or plan beside it is kept


def _acquire(path: Path, what: str) -> int:
    for _ in range(ATTEMPTS):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except FileNotFoundError:  # the folder was removed by a holder letting go: try again
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            os.close(fd)
            raise InputError(
                f"{what} is in use by pid {holder} (another pull or push); wait for it to finish"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # unlinked by the previous holder after we opened it: that inode is not the lock
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        return fd
    raise InputError(f"{what}: could not take its lock (it changed hands {ATTEMPTS} times); try again")
