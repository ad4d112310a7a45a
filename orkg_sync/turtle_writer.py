"""Prefixed Turtle from the sorted N-Triples; for a large graph, in two processes at once.

Turtle's writer groups consecutive triples by subject, so the file for a subject range is the same bytes
whether written alone or as part of the whole. A large sorted file is therefore cut at a subject boundary
near its middle: this process writes the first half while a second interpreter writes the second, and the
parts are joined (the second without its prefix lines). Parsing and writing hold the GIL, so a thread
would not help; a process does. The output is the same bytes as one pass (tested).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, BinaryIO, cast

import pyoxigraph as ox

from orkg_sync.scratch import scratch_dir

# From this much sorted N-Triples (~220k triples) the second half goes to a second process: below it,
# starting one costs more than it saves.
HALVES_AT = 32 << 20
_CHILD = "from orkg_sync.turtle_writer import child_main; child_main()"


class _Range:
    """A reader of ``size`` bytes of ``f`` from its current position (the parser reads in chunks)."""

    def __init__(self, f: IO[bytes], size: int) -> None:
        self._f, self._left = f, size

    def read(self, n: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        n = self._left if n is None or n < 0 else min(n, self._left)
        chunk = self._f.read(n)
        self._left -= len(chunk)
        return chunk


def _turtle(path: str, start: int, end: int, out: IO[bytes], prefixes: dict[str, str]) -> None:
    """Turtle (with its prefix lines, in the writer's order) of the lines in bytes [start, end)."""
    with open(path, "rb") as f:
        f.seek(start)
        source = cast(IO[bytes], _Range(f, end - start))  # it has the read() the parser calls
        triples = ox.parse(source, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _split_header(f: IO[bytes]) -> tuple[list[bytes], bytes]:
    """The ``@prefix`` lines at the top of ``f`` and the first line after them."""
    head = []
    line = f.readline()
    while line.startswith(b"@prefix "):
        head.append(line)
        line = f.readline()
    return head, line


def subject_boundary(path: Path, near: int) -> int:
    """The offset of the first line at or after ``near`` whose subject differs from the line before it
    (the file's size if there is none), so both parts hold whole subjects."""
    with path.open("rb") as f:
        f.seek(max(near - 1, 0))
        if near > 0:
            f.readline()  # to the start of the next whole line
        pos, line = f.tell(), f.readline()
        subject = line.split(b" ", 1)[0] + b" "
        while line.startswith(subject):
            pos, line = f.tell(), f.readline()
    return pos


def write(path: Path, out: BinaryIO, prefixes: dict[str, str], halves: bool | None = None) -> None:
    """Turtle of the sorted N-Triples file ``path`` into ``out``, prefix lines sorted (byte-stable).

    ``halves``: write the second half in a second process (default: for a large file on two or more
    cores)."""
    size = path.stat().st_size
    if halves is None:
        halves = size >= HALVES_AT and (os.cpu_count() or 1) >= 2
    mid = subject_boundary(path, size // 2) if halves else size
    with scratch_dir("ttl") as tmp:
        child = _start_child(path, mid, size, Path(tmp) / "second.ttl", prefixes) if mid < size else None
        try:
            with tempfile.TemporaryFile() as first:
                _turtle(str(path), 0, mid, first, prefixes)
                first.seek(0)
                head, line = _split_header(first)
                out.write(b"".join(sorted(head)))
                out.write(line)
                shutil.copyfileobj(first, out, 1 << 20)
            if child is not None:
                _append_second(child, Path(tmp) / "second.ttl", out)
        finally:
            if child is not None and child.poll() is None:  # failed or interrupted first
                child.kill()
                child.wait()


def _start_child(
    path: Path, start: int, end: int, out: Path, prefixes: dict[str, str]
) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    job = {"path": str(path), "start": start, "end": end, "out": str(out), "prefixes": prefixes}
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(job).encode("utf-8"))
    proc.stdin.close()
    return proc


def _append_second(child: subprocess.Popen[bytes], part: Path, out: BinaryIO) -> None:
    """Wait for the second process and append its Turtle without its prefix lines."""
    assert child.stderr is not None
    err = child.stderr.read()
    if child.wait() != 0:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or [f"exit {child.returncode}"]
        raise OSError(f"writing Turtle in a second process failed: {last[0]}")
    with part.open("rb") as f:
        _, line = _split_header(f)
        out.write(line)
        shutil.copyfileobj(f, out, 1 << 20)


def child_main() -> None:
    """Entry point of the second process: the job (JSON) comes on stdin."""
    job = json.loads(sys.stdin.buffer.read())
    with open(job["out"], "wb") as out:
        _turtle(job["path"], job["start"], job["end"], out, job["prefixes"])
