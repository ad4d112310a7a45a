"""Turtle written in two processes, and the piped sort (issue 13: Turtle alone near the store's dump).

The two halves must give the bytes of one pass, whatever the data: subjects cut only at a boundary,
prefixes used only in the second half, literals with newlines or spaces, blank nodes. A failing second
process must surface as one error and leave no files; an interrupt must leave no process behind.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from orkg_sync import export, second_process, sorted_nt, turtle_writer

EX = "https://example.org/"
needs_gnu_sort = pytest.mark.skipif(sorted_nt.gnu_sort() is None, reason="no GNU sort on this machine")
SCHEMA = "http://schema.org/"


def graph(n: int = 3000) -> ox.Store:
    """Many subjects with several values each; the last ones use a prefix nobody before them uses."""
    st = ox.Store()
    for i in range(n):
        s = ox.NamedNode(f"{EX}s{i:05d}")
        st.add(ox.Quad(s, ox.NamedNode(f"{EX}p{i % 5}"), ox.Literal(f"v {i}\nline two , ; .")))
        st.add(
            ox.Quad(
                s,
                ox.NamedNode(f"{EX}p{i % 3}"),
                ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            )
        )
        st.add(ox.Quad(s, ox.NamedNode(f"{EX}q"), ox.BlankNode(f"b{i}")))
        if i > n * 0.9:
            st.add(ox.Quad(s, ox.NamedNode(f"{SCHEMA}name"), ox.Literal(f"name {i}", language="en")))
    return st


@pytest.fixture
def sorted_file(tmp_path: Path) -> Path:
    with export.sorted_ntriples(graph()) as nt:
        path = tmp_path / "sorted.nt"
        path.write_bytes(nt.read_bytes())
    return path


def turtle(path: Path, halves: bool) -> bytes:
    with tempfile.TemporaryFile() as out:
        turtle_writer.write(path, out, export.prefixes(), halves)
        out.seek(0)
        return out.read()


def test_two_halves_are_the_bytes_of_one_pass(sorted_file: Path) -> None:
    one, two = turtle(sorted_file, halves=False), turtle(sorted_file, halves=True)
    assert one == two
    assert b"schema:name" in two and two.count(b"@prefix schema:") == 1  # from the second half only
    back = ox.Store()
    back.load(two, format=ox.RdfFormat.TURTLE)
    assert len(back) == len(sorted_file.read_bytes().splitlines())


def test_the_cut_falls_between_two_subjects(sorted_file: Path) -> None:
    data = sorted_file.read_bytes()
    for near in (0, 1, len(data) // 3, len(data) // 2, len(data) - 5, len(data)):
        cut = sorted_nt.subject_boundary(sorted_file, near)
        assert cut >= near and (cut == 0 or data[cut - 1 : cut] == b"\n")
        if 0 < cut < len(data):
            before = data[:cut].splitlines()[-1].split(b" ", 1)[0]
            after = data[cut:].split(b" ", 1)[0]
            assert before != after


def test_the_default_uses_a_second_process_only_for_a_large_file(
    sorted_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    real = second_process.start
    monkeypatch.setattr(second_process, "start", lambda *a, **kw: started.append(1) or real(*a, **kw))
    turtle(sorted_file, halves=None)  # type: ignore[arg-type]
    assert started == []
    monkeypatch.setattr(second_process, "WORTH_AT", 0)
    if (os.cpu_count() or 1) >= 2:
        assert turtle(sorted_file, halves=None) == turtle(sorted_file, halves=False)  # type: ignore[arg-type]
        assert started == [1]


def test_a_failing_second_process_is_one_error_and_leaves_no_files(
    sorted_file: Path, own_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(turtle_writer, "SECOND_HALF", "tests.faults:disk_full")
    with pytest.raises(OSError, match=r"second process failed: disk full \(injected\)"):
        turtle(sorted_file, halves=True)
    assert list(own_temp.iterdir()) == []


def test_an_interrupt_kills_the_second_process(
    sorted_file: Path, own_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(turtle_writer, "SECOND_HALF", "tests.faults:sleep_long")
    children: list[subprocess.Popen[bytes]] = []
    real = second_process.start
    monkeypatch.setattr(
        second_process, "start", lambda *a, **kw: children.append(real(*a, **kw)) or children[-1]
    )

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(turtle_writer, "_turtle", interrupted)
    with pytest.raises(KeyboardInterrupt):
        turtle(sorted_file, halves=True)
    assert children and children[0].poll() is not None  # killed and reaped, not left sleeping
    assert list(own_temp.iterdir()) == []


@needs_gnu_sort
def test_the_piped_sort_is_the_bytes_of_the_in_process_sort(monkeypatch: pytest.MonkeyPatch) -> None:
    store = graph(800)
    monkeypatch.setattr(sorted_nt, "SMALL_SORT", 1 << 40)
    in_process = export.to_ntriples(store)
    monkeypatch.setattr(sorted_nt, "SMALL_SORT", 1000)  # the sort starts after the first chunk(s)
    piped = export.to_ntriples(store)
    assert piped == in_process
    assert piped.splitlines() == sorted(set(piped.splitlines()))


@needs_gnu_sort
def test_a_failing_sort_is_one_error_and_leaves_no_files(
    own_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sorted_nt, "SMALL_SORT", 0)
    monkeypatch.setattr(sorted_nt, "SORT_ARGS", ("--no-such-option",))
    with pytest.raises(OSError, match="sort failed"):
        export.to_ntriples(graph(3000))  # more than a pipe holds: the writes meet a closed pipe
    assert list(own_temp.iterdir()) == []


@needs_gnu_sort
def test_an_interrupt_during_the_piped_sort_kills_it_and_leaves_no_files(
    own_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sorted_nt, "SMALL_SORT", 0)
    sorts: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def recorded(*a: object, **kw: object) -> subprocess.Popen[bytes]:
        proc = real(*a, **kw)  # type: ignore[call-overload]
        sorts.append(proc)
        return proc

    monkeypatch.setattr(sorted_nt.subprocess, "Popen", recorded)

    def quads() -> Iterator[ox.Quad]:
        yield from graph(300).quads_for_pattern(None, None, None)
        raise KeyboardInterrupt  # Ctrl-C while the sort is reading

    with pytest.raises(KeyboardInterrupt):
        export.to_ntriples(quads())
    assert len(sorts) == 1 and sorts[0].poll() is not None
    assert list(own_temp.iterdir()) == []
