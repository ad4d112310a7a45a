"""The build's use of the second core: the store loads one batch while the mapping makes the next, and
JSON-LD is written by a second process while Turtle is written here. Same bytes, errors surface."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from orkg_sync import export
from orkg_sync.build import build_dataset
from orkg_sync.publish.metadata import DatasetInfo
from orkg_sync.publish.release import _jsonld_beside, release_files
from orkg_sync.store import DatasetStore

LINES = [f'<http://example.org/s{i}> <http://example.org/p> "v{i}" .\n' for i in range(1000)]


def test_jsonld_in_a_second_process_is_the_same_release() -> None:
    store = build_dataset().store
    inline = release_files(store, DatasetInfo(), beside_at=1 << 60)
    beside = release_files(store, DatasetInfo(), beside_at=0)
    assert beside == inline
    assert beside["data.jsonld"].startswith(b"{")


def test_a_failing_second_process_is_raised_here(tmp_path: Path) -> None:
    bad = tmp_path / "sorted.nt"
    bad.write_text("this is not N-Triples\n")
    beside = _jsonld_beside(export.SortedNTriples(bad), None, 0, tmp_path / "data.jsonld")
    with beside as jsonld, pytest.raises(OSError, match="JSON-LD"):
        jsonld()
    assert bad.read_text() == "this is not N-Triples\n"  # the input is never written to
    assert os.listdir(tmp_path) == ["sorted.nt"]  # nor a partial output left


def test_an_interrupted_caller_leaves_no_process_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nt = tmp_path / "sorted.nt"
    nt.write_text("".join(sorted(LINES * 200)))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # no temporary folder either
    out = tmp_path / "data.jsonld"
    with pytest.raises(KeyboardInterrupt), _jsonld_beside(export.SortedNTriples(nt), None, 0, out):
        assert _children_reading(nt, wait=5.0), "the second process was not started"
        raise KeyboardInterrupt
    assert os.listdir(tmp_path) == ["sorted.nt"]
    assert not _children_reading(nt)


def _children_reading(nt: Path, wait: float = 0.0) -> list[str]:
    """The processes whose command line names ``nt``; ``wait``: poll that long for one to appear (right
    after a fork the child's command line reads empty until its exec completes)."""
    deadline = time.monotonic() + wait
    while not (found := _scan(nt)) and time.monotonic() < deadline:
        time.sleep(0.01)
    return found


def _scan(nt: Path) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if str(nt).encode() in cmd and b"jsonld_file" in cmd:
            found.append(pid)
    return found


def test_batches_loaded_beside_are_the_batches_loaded_in_turn() -> None:
    one, two = DatasetStore(), DatasetStore()
    for i in range(0, len(LINES), 100):
        one.add_ntriples(LINES[i : i + 100])
    with two.loading_beside() as sink:
        for i in range(0, len(LINES), 100):
            sink(LINES[i : i + 100])
    assert sorted(map(str, one.store)) == sorted(map(str, two.store))
    assert len(two) == len(LINES)


def test_a_loader_error_is_raised_in_the_caller() -> None:
    store = DatasetStore()
    with pytest.raises(SyntaxError), store.loading_beside() as sink:
        sink(["<http://example.org/s> <http://example.org/p> .\n"])  # no object
        for _ in range(50):  # the error surfaces on a later batch or when the block ends
            sink(LINES[:10])
