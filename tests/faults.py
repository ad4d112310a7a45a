"""Jobs a test puts in place of a second process's real one (fault injection, not a mock of our HTTP):
the second process imports them by name (``tests.faults:...``), as it imports the real ones."""

from __future__ import annotations

import sys
import time
from typing import Any


def disk_full(**_: Any) -> None:
    sys.exit("disk full (injected)")


def partial_file_then_die(out_path: str = "", out: str = "", **_: Any) -> None:
    """Writes the start of its output, then dies (as a full disk or the OOM killer would)."""
    with open(out_path or out, "wb") as f:
        f.write(b'{"@context"')
    sys.exit("disk full")


def sleep_long(**_: Any) -> None:
    time.sleep(60)
