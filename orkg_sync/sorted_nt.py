"""The canonical order every export starts from: the graph's N-Triples lines, sorted and de-duplicated.

Sorting lines (GNU sort, an external merge sort in C with a bounded buffer) is ~3x faster than sorting
terms and keeps memory bounded; the same graph always gives the same file, so every format written from
it is byte-stable and diffs between two builds show only real changes.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

import pyoxigraph as ox

from orkg_sync import second_process
from orkg_sync.scratch import scratch_dir
from orkg_sync.store import DatasetStore

# GNU sort's memory, at most: a graph of up to ~6M triples sorts in memory, larger ones merge from runs on
# disk (256 MB made 5M triples merge 4 runs: 3.2x the store's dump). sort sizes its buffer by the input.
SORT_BUFFER = "1G"
# One thread: on two cores a second one cost CPU and gained no wall time, also with the dump piped in
# and the caller waiting (5.35M triples, load 1.1: 6.8-7.1 s with one, 8.0 s with two; 1M: the same).
SORT_ARGS = ("-u", "-S", SORT_BUFFER, "--parallel=1")
SMALL_SORT = 4 << 20  # below 4 MB of N-Triples, sorting in Python is faster than starting sort


class SortedNTriples:
    """A file of sorted, de-duplicated N-Triples lines: the canonical order every export starts from.

    Made once per build (:func:`sorted_ntriples`) and read by the Turtle, N-Triples and JSON-LD writers,
    so the graph is dumped and sorted once, on disk, in bounded memory.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def triples(self) -> Iterator[ox.Triple]:
        # lenient: the file is the store's own dump, already valid; skipping the IRI checks is ~30% faster
        return ox.parse(path=str(self.path), format=ox.RdfFormat.N_TRIPLES, lenient=True)


Data = DatasetStore | ox.Store | SortedNTriples | Iterable[ox.Quad | ox.Triple]


def _temp_dir() -> tempfile.TemporaryDirectory[str]:
    return scratch_dir("nt")  # named for this process: the next run sweeps it after a kill -9


def _dump(data: Data, out: str | IO[bytes]) -> None:
    """Default-graph triples as N-Triples, unsorted (the store's own dump), into a path or a stream."""
    if isinstance(data, DatasetStore):
        data = data.store
    if isinstance(data, ox.Store):
        data.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    elif isinstance(data, SortedNTriples):
        if isinstance(out, str):
            shutil.copyfile(data.path, out)
        else:
            with data.path.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
    else:
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in data)
        ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES)


@functools.cache
def gnu_sort() -> str | None:
    """GNU sort, if present: an external merge sort in C with a bounded buffer (coreutils)."""
    exe = shutil.which("sort")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return exe if "GNU" in out else None


def _sort_command(dst: Path, args: tuple[str, ...], src: Path | None = None) -> list[str]:
    exe = gnu_sort()
    assert exe is not None
    return [exe, *args, "-T", str(dst.parent), "-o", str(dst), *([str(src)] if src else [])]


def _sort_env() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C"}  # byte order (= code point order, as ``sorted``)


def _python_sort(data: bytes, dst: Path) -> None:
    lines = sorted(set(data.splitlines()))
    dst.write_bytes(b"".join(line + b"\n" for line in lines))


def _check(proc: subprocess.Popen[bytes], err: bytes) -> None:
    if proc.returncode != 0:
        raise OSError(f"sort failed: {err.decode(errors='replace').strip()}")


def _sort_lines(
    src: Path, dst: Path, started: Callable[[subprocess.Popen[bytes]], None] | None = None
) -> None:
    """Sorted unique lines of ``src`` into ``dst``, in byte order (= code point order, as ``sorted``).

    ``started`` is given the sort process (so a background sort can be killed when the build stops)."""
    if src.stat().st_size <= SMALL_SORT or gnu_sort() is None:
        _python_sort(src.read_bytes(), dst)
        return
    cmd = _sort_command(dst, SORT_ARGS, src)
    with subprocess.Popen(cmd, env=_sort_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
        if started is not None:
            started(proc)
        _, err = proc.communicate()
    _check(proc, err)


class _SortSink:
    """A file-like sink for the store's dump that sorts what it is given, into ``dst``.

    The first :data:`SMALL_SORT` bytes are kept; past them GNU sort is started and fed through a pipe,
    so it reads while the store dumps (no unsorted file on disk; wall time of dump + sort at 5.35M
    triples 6.8-7.1 s vs 7.5-8.6 s dump-then-sort, at 1M 1.25 vs 1.5 s). A small graph is sorted in
    Python, without a process.
    """

    def __init__(self, dst: Path) -> None:
        self.dst = dst
        self._head: list[bytes] = []
        self._size = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._broken = False

    def write(self, chunk: bytes) -> int:
        if self._proc is not None:
            self._feed(chunk)
            return len(chunk)
        self._head.append(bytes(chunk))
        self._size += len(chunk)
        if self._size > SMALL_SORT and gnu_sort() is not None:
            self._start()
        return len(chunk)

    def flush(self) -> None:
        pass

    def _start(self) -> None:
        cmd = _sort_command(self.dst, SORT_ARGS)
        self._proc = subprocess.Popen(
            cmd, env=_sort_env(), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for part in self._head:
            self._feed(part)
        self._head = []

    def _feed(self, chunk: bytes) -> None:
        """Into the sort; once it has stopped reading (it failed), the rest is dropped and
        :meth:`finish` reports the sort's own error instead of a broken pipe."""
        assert self._proc is not None and self._proc.stdin is not None
        if self._broken:
            return
        try:
            self._proc.stdin.write(chunk)
        except BrokenPipeError:
            self._broken = True

    def finish(self) -> None:
        if self._proc is None:
            _python_sort(b"".join(self._head), self.dst)
            return
        _, err = self._proc.communicate()  # it closes stdin, ignoring a broken pipe
        _check(self._proc, err)
        if self._broken:
            raise OSError("sort failed: it stopped reading its input")

    def kill(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.communicate()


@contextlib.contextmanager
def sorted_ntriples(data: Data) -> Iterator[SortedNTriples]:
    """The canonical N-Triples of ``data`` in a temporary file (removed on exit)."""
    if isinstance(data, SortedNTriples):
        yield data
        return
    with _temp_dir() as tmp:
        sink = _SortSink(Path(tmp) / "sorted.nt")
        try:
            _dump(data, sink)  # type: ignore[arg-type]  # a file-like object with write()
            sink.finish()
        finally:
            sink.kill()
        yield SortedNTriples(sink.dst)


class BackgroundSort:
    """:func:`sorted_ntriples` of a complete store, made in a thread while the caller goes on.

    The store's dump to a path releases the GIL and GNU sort is a process of its own, so on a second core
    they cost the caller's thread almost nothing (a pipe would need the GIL for every chunk, so the dump
    goes to a file first). :meth:`result` waits and re-raises what the thread raised; leaving the ``with``
    block (also on Ctrl-C) kills the sort, waits for the dump and removes the files. The store must not
    change while the dump runs (its dump is of one snapshot anyway).
    """

    def __init__(self, data: Data) -> None:
        self._tmp = _temp_dir()
        self._proc: subprocess.Popen[bytes] | None = None
        self._stopped = False
        self._out = Path(self._tmp.name) / "sorted.nt"
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(data,), name="orkg-sync-sort", daemon=True)
        self._thread.start()

    def _run(self, data: Data) -> None:
        try:
            raw = Path(self._tmp.name) / "raw.nt"
            _dump(data, str(raw))
            if not self._stopped:
                _sort_lines(raw, self._out, self._started)
            raw.unlink()
        except BaseException as exc:  # handed to the caller's thread by result()
            self._error = exc

    def _started(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        if self._stopped:
            proc.kill()

    def result(self) -> SortedNTriples:
        """The sorted file, once made (valid until the ``with`` block ends)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return SortedNTriples(self._out)

    def close(self) -> None:
        self._stopped = True
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
        self._thread.join()
        self._tmp.cleanup()

    def __enter__(self) -> BackgroundSort:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Range(io.RawIOBase):
    """``size`` bytes of ``f`` from its current position, as a file of their own."""

    def __init__(self, f: IO[bytes], size: int) -> None:
        self._f, self._left = f, size

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        n = min(len(buf), self._left)
        if n <= 0:
            return 0
        got = self._f.readinto(memoryview(buf)[:n])  # type: ignore[attr-defined]
        self._left -= got
        return int(got)


@contextlib.contextmanager
def byte_range(path: Path, start: int, end: int) -> Iterator[BinaryIO]:
    """Bytes ``[start, end)`` of a sorted file, to read as a file (each half of a two-process export)."""
    with path.open("rb", buffering=0) as f:
        f.seek(start)
        yield cast(BinaryIO, io.BufferedReader(_Range(f, end - start), 1 << 20))


def cut(path: Path, halves: bool | None = None) -> tuple[int, int]:
    """``(mid, size)``: where to cut the sorted file for two processes (at the subject boundary nearest
    after its middle), or ``(size, size)`` for one pass. ``halves``: None = when a second process is
    worth it (:func:`orkg_sync.second_process.worth`)."""
    size = path.stat().st_size
    if halves is None:
        halves = second_process.worth(size)
    return (subject_boundary(path, size // 2) if halves else size), size


def subject_boundary(path: Path, near: int) -> int:
    """The offset of the first line at or after ``near`` whose subject differs from the line before it
    (the file's size if there is none): cut there, both parts hold whole subjects, and each subject's
    lines stay together as the sorted file has them."""
    with path.open("rb") as f:
        f.seek(max(near - 1, 0))
        if near > 0:
            f.readline()  # to the start of the next whole line
        pos, line = f.tell(), f.readline()
        subject = line.split(b" ", 1)[0] + b" "
        while line.startswith(subject):
            pos, line = f.tell(), f.readline()
    return pos
