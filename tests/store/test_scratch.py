"""Temporary folders of killed runs are swept (kill -9 skips every clean-up; a dump can be GBs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from orkg_sync import export, scratch


def dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return int(proc.stdout)


def test_an_export_sweeps_the_folders_of_dead_processes_only(own_temp: Path) -> None:
    dead, live = dead_pid(), os.getppid()  # the test runner's parent is still there
    stale = [own_temp / f"orkg-sync-{kind}.{dead}.abc" for kind in ("nt", "ttl", "queries", "store")]
    kept = [own_temp / f"orkg-sync-nt.{live}.abc", own_temp / "orkg-sync-chromium-abc", own_temp / "other"]
    for folder in stale + kept:
        folder.mkdir()
        (folder / "raw.nt").write_bytes(b"x")
    st = ox.Store()
    st.add(ox.Quad(ox.NamedNode("https://ex.org/s"), ox.NamedNode("https://ex.org/p"), ox.Literal("o")))
    assert export.to_ntriples(st) == b'<https://ex.org/s> <https://ex.org/p> "o" .\n'
    assert [f for f in stale if f.exists()] == []
    assert all(f.exists() for f in kept)
    assert sorted(p.name for p in own_temp.iterdir()) == sorted(f.name for f in kept)  # its own is gone


def test_a_folder_is_named_for_its_process(own_temp: Path) -> None:
    with scratch.scratch_dir("nt") as tmp:
        assert Path(tmp).name.startswith(f"orkg-sync-nt.{os.getpid()}.")
    folder = scratch.make_dir("queries")
    assert folder.name.startswith(scratch.prefix("queries")) and folder.is_dir()
