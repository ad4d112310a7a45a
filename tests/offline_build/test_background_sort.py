"""The build's store dump + sort in a background thread (issue 13: the second core).

The sorted file must be the bytes the foreground path makes; an error in the thread must reach the
caller; leaving early (Ctrl-C) must leave no temporary files and no sort process behind.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from orkg_sync import export, sorted_nt


@pytest.fixture
def store() -> ox.Store:
    st = ox.Store()
    ex = "https://example.org/"
    st.extend(
        ox.Quad(ox.NamedNode(f"{ex}s{i % 997}"), ox.NamedNode(f"{ex}p{i % 7}"), ox.Literal(f"v {i}"))
        for i in range(20_000)
    )
    return st


@pytest.fixture(autouse=True)
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary files under tmp_path (so leftovers are seen) and GNU sort even for a small graph."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(sorted_nt, "SMALL_SORT", 0)
    return tmp_path


def test_background_sort_is_the_foreground_bytes(store: ox.Store, own_tmp: Path) -> None:
    expected = export.to_ntriples(store)
    with export.BackgroundSort(store) as job:
        got = job.result().read_bytes()
    assert got == expected
    assert len(got.splitlines()) == 20_000
    assert list(own_tmp.iterdir()) == []


def test_error_in_the_thread_is_raised_in_the_caller(own_tmp: Path) -> None:
    def broken() -> Iterator[ox.Quad]:
        yield ox.Quad(
            ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("x")
        )
        raise ValueError("the graph broke")

    with pytest.raises(ValueError, match="the graph broke"), export.BackgroundSort(broken()) as job:
        job.result()
    assert list(own_tmp.iterdir()) == []


def test_interrupt_leaves_no_files_and_no_sort(store: ox.Store, own_tmp: Path) -> None:
    with pytest.raises(KeyboardInterrupt), export.BackgroundSort(store) as job:
        raise KeyboardInterrupt
    assert not job._thread.is_alive()
    assert job._proc is None or job._proc.poll() is not None
    assert list(own_tmp.iterdir()) == []
