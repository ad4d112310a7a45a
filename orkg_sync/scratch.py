"""Temporary folders named for their process, so those of a killed run can be swept.

kill -9 skips every clean-up (``TemporaryDirectory``, ``finally``, ``weakref.finalize``), and a killed
build or server can leave a dump as large as the dataset in the temp folder. Each folder made here is
``orkg-sync-<kind>.<pid>.<random>``; making one first removes those of any kind whose process is gone.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

PREFIX = "orkg-sync-"
_SHAPE = re.compile(re.escape(PREFIX) + r"[a-z]+\.(\d+)\.[A-Za-z0-9_]+")  # what tempfile's names look like


def prefix(kind: str) -> str:
    """The name prefix of this process's folders of ``kind`` (for ``tempfile.mkdtemp``)."""
    return f"{PREFIX}{kind}.{os.getpid()}."


def scratch_dir(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder of ``kind`` for this process (the stale ones are swept first)."""
    sweep()
    return tempfile.TemporaryDirectory(prefix=prefix(kind))


def make_dir(kind: str) -> Path:
    """:func:`scratch_dir` for a folder the caller removes itself (e.g. one that outlives a block)."""
    sweep()
    return Path(tempfile.mkdtemp(prefix=prefix(kind)))


def sweep() -> None:
    """Remove every ``orkg-sync-<kind>.<pid>.*`` folder whose process is gone: nobody's any more."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*.*.*"):
        m = _SHAPE.fullmatch(folder.name)
        if m and folder.is_dir() and not alive(int(m.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (someone else's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
