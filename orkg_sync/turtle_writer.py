"""Prefixed Turtle from the sorted N-Triples; for a large graph, in two processes at once.

Turtle's writer groups consecutive triples by subject, so the file for a subject range is the same bytes
whether written alone or as part of the whole. A large sorted file is therefore cut at a subject boundary
near its middle: this process writes the first half while a second interpreter writes the second, and the
parts are joined (the second without its prefix lines). Parsing and writing hold the GIL, so a thread
would not help; a process does. The output is the same bytes as one pass (tested).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import IO, BinaryIO

import pyoxigraph as ox

from orkg_sync import second_process
from orkg_sync.scratch import scratch_dir
from orkg_sync.sorted_nt import byte_range, cut

SECOND_HALF = "orkg_sync.turtle_writer:turtle_file"  # what the second process runs


def _turtle(path: Path, start: int, end: int, out: IO[bytes], prefixes: dict[str, str]) -> None:
    """Turtle (with its prefix lines, in the writer's order) of the lines in bytes [start, end)."""
    with byte_range(path, start, end) as src:
        triples = ox.parse(src, format=ox.RdfFormat.N_TRIPLES, lenient=True)  # lenient: our own dump
        ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def turtle_file(path: str, start: int, end: int, out: str, prefixes: dict[str, str]) -> None:
    """The second process's job: :func:`_turtle` into the file ``out``."""
    with open(out, "wb") as fh:
        _turtle(Path(path), start, end, fh, prefixes)


def _split_header(f: IO[bytes]) -> tuple[list[bytes], bytes]:
    """The ``@prefix`` lines at the top of ``f`` and the first line after them."""
    head = []
    line = f.readline()
    while line.startswith(b"@prefix "):
        head.append(line)
        line = f.readline()
    return head, line


def write(path: Path, out: BinaryIO, prefixes: dict[str, str], halves: bool | None = None) -> None:
    """Turtle of the sorted N-Triples file ``path`` into ``out``, prefix lines sorted (byte-stable).

    ``halves``: write the second half in a second process (default: when one is worth it)."""
    mid, size = cut(path, halves)
    if mid >= size:
        _join([_one_pass(path, size, prefixes)], out)
        return
    with scratch_dir("ttl") as tmp:
        second = Path(tmp) / "second.ttl"
        job = {"path": str(path), "start": mid, "end": size, "out": str(second), "prefixes": prefixes}
        with second_process.running(SECOND_HALF, "writing Turtle", **job) as wait:
            first = _one_pass(path, mid, prefixes)
            try:
                wait()
            except BaseException:
                first.close()
                raise
        _join([first, second.open("rb")], out)


def _one_pass(path: Path, end: int, prefixes: dict[str, str]) -> IO[bytes]:
    """Turtle of bytes [0, end) in an unnamed temporary file, rewound."""
    part = tempfile.TemporaryFile()  # noqa: SIM115  (closed by _join, or by the error below)
    try:
        _turtle(path, 0, end, part, prefixes)
    except BaseException:
        part.close()
        raise
    part.seek(0)
    return part


def _join(parts: list[IO[bytes]], out: BinaryIO) -> None:
    """The first part's prefix lines sorted, then every part's body (each part closed when copied)."""
    for i, part in enumerate(parts):
        with part:
            head, line = _split_header(part)
            if i == 0:
                out.write(b"".join(sorted(head)))
            out.write(line)
            shutil.copyfileobj(part, out, 1 << 20)
