"""Progress on a terminal only, and plain when NO_COLOR or TERM=dumb asks for it.

:func:`terminal_progress` gives a callback ``progress(done, total)`` for long reads and writes (pull,
push, diff), or None when stderr is not a terminal (pipes, CI logs, ``--json``, ``--quiet``), so
machine output never carries bars. With NO_COLOR set (https://no-color.org) or TERM=dumb the bar is
a counter redrawn with ``\\r`` only: no colour and no cursor escape sequences.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

import click

Progress = Callable[[int, int | None], None]


def plain_terminal() -> bool:
    """True when the user asked for output without escape sequences."""
    return "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb"


@contextlib.contextmanager
def terminal_progress(
    label: str, *, enabled: bool = True, file: TextIO | None = None
) -> Iterator[Progress | None]:
    """Yield ``progress(done, total=None)`` on a terminal (None elsewhere); the line is closed on exit."""
    out = file or sys.stderr
    if not enabled or not out.isatty():
        yield None
        return
    state: dict[str, Any] = {"bar": None, "shown": False}

    def progress(done: int, total: int | None = None) -> None:
        state["shown"] = True
        if plain_terminal():
            of = f"/{total}" if total else ""
            out.write(f"\r{label} {done}{of}")
            out.flush()
            return
        bar = state["bar"]
        if bar is None:
            bar = state["bar"] = click.progressbar(length=total or done or 1, label=label, file=out)
        bar.length = max(bar.length or 0, total or 0, done)
        bar.update(done - bar.pos)

    try:
        yield progress
    finally:
        if state["bar"] is not None:
            state["bar"].render_finish()
        elif state["shown"]:
            out.write("\n")
            out.flush()
