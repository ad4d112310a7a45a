"""The streaming build (issue 13): mapping as N-Triples batches, the store in memory or on disk.

Every path must give the same graph and the same release bytes; a hostile id must not inject triples;
a build killed at any moment leaves the old release or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from orkg_sync.build import build, build_dataset, write
from orkg_sync.errors import InputError
from orkg_sync.mapping import load_mapping, snapshot_to_rdf
from orkg_sync.mapping.convert import snapshot_to_ntriples
from orkg_sync.resources import default_snapshot
from orkg_sync.snapshot import Snapshot
from orkg_sync.store import DatasetStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic snapshot of 300 models (~25k triples, bench/synth.py: the real table's oddities)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    path = tmp_path_factory.mktemp("synth") / "snap.json"
    synth.make(300).save(path)
    return path


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_on_disk_store_gives_the_same_release_bytes(synthetic: Path, tmp_path: Path) -> None:
    mem = build(synthetic, on_disk=False)
    disk = build(synthetic, on_disk=True)
    assert mem.store.path is None and disk.store.path is not None and disk.store.path.is_dir()
    assert mem.triples == disk.triples > 20_000
    write(mem, tmp_path / "mem")
    write(disk, tmp_path / "disk")
    assert _tree(tmp_path / "mem") == _tree(tmp_path / "disk")
    folder = disk.store.path
    del disk
    import gc

    gc.collect()
    assert not folder.exists()  # the temporary database goes with its store


def test_streamed_batches_are_the_quads_of_snapshot_to_rdf(synthetic: Path) -> None:
    snap = Snapshot.load(synthetic)
    quads = snapshot_to_rdf(snap, load_mapping()).quads
    batches: list[list[str]] = []
    res = snapshot_to_ntriples(Snapshot.load(synthetic), load_mapping(), batches.append, chunk=1000)
    assert len(batches) > 10 and res.quads == []  # streamed in many batches, no whole-graph list
    assert max(len(b) for b in batches) < 1000 + 200  # flushed per model once a batch is full
    text = "".join(line for b in batches for line in b).encode()
    streamed = set(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    assert streamed == set(quads) and len(set(quads)) == len(quads)


def test_build_dataset_streams_the_same_graph_as_the_quads_path() -> None:
    store = build_dataset()
    ref = DatasetStore()
    ref.add_quads(snapshot_to_rdf(Snapshot.load(default_snapshot()), load_mapping()).quads)
    ours = {str(q) for q in store.store}
    # the store also holds the vocabularies and the materialised alignment
    assert {str(q) for q in ref.store} < ours


@pytest.mark.parametrize("field", ["id", "subject_id", "object_id"])
def test_hostile_id_is_refused_in_one_line(tmp_path: Path, field: str) -> None:
    """Ids go into IRIs unescaped on the fast path: an id that could end an IRI early (and so inject
    triples into the N-Triples text) is refused with one ``error:`` line, exit 2, nothing written."""
    doc = json.loads(default_snapshot().read_text(encoding="utf-8"))
    records = {
        q.subject.value.rsplit("/", 1)[-1] for q in build_dataset().store if "/record/" in str(q.subject)
    }
    st = next(s for s in doc["statements"] if s["id"] in records and s["object_id"].startswith("R"))
    hostile = 'S1> <urn:evil> "x" .\n<urn:a'
    old = st[field]
    for s in doc["statements"]:  # rename the thing everywhere it appears
        for key in ("id", "subject_id", "object_id"):
            if s[key] == old:
                s[key] = hostile
    for r in doc["resources"]:
        if r["id"] == old:
            r["id"] = hostile
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match="cannot be part of an IRI"):
        build_dataset(path)
    proc = subprocess.run(
        [sys.executable, "-m", "orkg_sync", "build", "--snapshot", str(path), "--out", "dist"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")
    assert not (tmp_path / "dist").exists()


def _verifies(dist: Path) -> bool:
    lines = (dist / "SHA256SUMS").read_text().splitlines()
    for line in lines:
        digest, name = line.split("  ", 1)
        if hashlib.sha256((dist / name).read_bytes()).hexdigest() != digest:
            return False
    return len(lines) > 10


@pytest.mark.slow
def test_killed_build_leaves_the_old_release_or_the_new_one(synthetic: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "keep.txt").write_text("old release")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    cmd = [
        sys.executable,
        "-m",
        "orkg_sync",
        "build",
        "--snapshot",
        str(synthetic),
        "--force",
        "--out",
        "dist",
    ]
    outcomes = set()
    for delay in (0.4, 0.9, 1.5, 2.2, 3.0):
        proc = subprocess.Popen(
            cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        names = sorted(p.name for p in dist.iterdir())
        if names == ["keep.txt"]:
            outcomes.add("old")
        else:
            assert "keep.txt" not in names and _verifies(dist), names  # complete and verified, no mix
            outcomes.add("new")
            for p in sorted(dist.rglob("*"), reverse=True):
                p.unlink() if p.is_file() else p.rmdir()
            (dist / "keep.txt").write_text("old release")
    assert "old" in outcomes  # at least one kill landed mid-build


def test_store_of_a_killed_build_is_swept_by_the_next_one(tmp_path: Path) -> None:
    import tempfile

    from orkg_sync.store import STORE_PREFIX

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = Path(tempfile.gettempdir()) / f"{STORE_PREFIX}{dead.pid}.test"
    stale.mkdir()
    (stale / "000001.sst").write_bytes(b"x" * 1024)
    mine = Path(tempfile.gettempdir()) / f"{STORE_PREFIX}{os.getpid()}.test"
    mine.mkdir()  # a live process's store stays
    try:
        store = DatasetStore(on_disk=True)
        assert store.path is not None and store.path.name.startswith(f"{STORE_PREFIX}{os.getpid()}.")
        assert not stale.exists() and mine.is_dir()
    finally:
        mine.rmdir()


def test_store_goes_on_disk_only_when_memory_would_be_short(monkeypatch: pytest.MonkeyPatch) -> None:
    from orkg_sync.build import BYTES_PER_STATEMENT, store_on_disk

    monkeypatch.delenv("ORKG_SYNC_STORE", raising=False)
    ten_million = 1_306_000  # ORKG statements of the 10M-triple synthetic snapshot
    assert not store_on_disk(ten_million, available=20 << 30)  # 7.8 GB estimate, 10 GB allowed
    assert store_on_disk(ten_million, available=13 << 30)
    assert not store_on_disk(1000, available=2 * 1000 * BYTES_PER_STATEMENT)
    monkeypatch.setenv("ORKG_SYNC_STORE", "disk")
    assert store_on_disk(1, available=64 << 30)
    monkeypatch.setenv("ORKG_SYNC_STORE", "Memory")
    assert not store_on_disk(10**9, available=1 << 30)


def test_bad_store_setting_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "orkg_sync", "build", "--out", "dist"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "ORKG_SYNC_STORE": "ssd"},
    )
    assert proc.returncode == 2 and proc.stderr.startswith("error: ORKG_SYNC_STORE='ssd'"), proc.stderr
    assert proc.stderr.count("\n") == 1 and not (tmp_path / "dist").exists()


def test_build_through_the_forced_disk_store_is_the_same_release(tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    for mode in ("memory", "disk"):
        proc = subprocess.run(
            [sys.executable, "-m", "orkg_sync", "build", "--out", mode],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env={**env, "ORKG_SYNC_STORE": mode},
        )
        assert proc.returncode == 0, proc.stderr
    assert _tree(tmp_path / "memory") == _tree(tmp_path / "disk")
