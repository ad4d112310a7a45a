"""The shipped snapshot is exactly what the reconstruction script produces, and loads cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orkg_sync.errors import InputError
from orkg_sync.resources import default_snapshot
from orkg_sync.snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[1]


def test_seed_regenerates_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "snap.json"
    subprocess.run([sys.executable, str(ROOT / "data/reconstruction/make_snapshot.py"), str(out)], check=True)
    assert out.read_bytes() == default_snapshot().read_bytes()


def test_roundtrip_is_canonical() -> None:
    raw = default_snapshot().read_bytes()
    assert Snapshot.load(default_snapshot()).dumps() == raw


def test_seed_shape() -> None:
    snap = Snapshot.load(default_snapshot())
    head = snap.comparison["head_id"]
    assert snap.comparison["id"] == "R790020" and snap.ids_are_sandbox
    assert len(snap.sources_of(head)) == 38 == len(snap.sources_of("R790020"))
    assert snap.resources["R790020"]["classes"] == ["ComparisonPublished", "LatestVersion"]
    labels = [snap.resources[c]["label"] for c in snap.sources_of(head)]
    assert "BLOOM, BLOOMZ" in labels and "SmolLM" in labels


def test_malformed_snapshot_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "orkg-sync-snapshot/1",\n "statements": [}')
    with pytest.raises(InputError, match=r"bad\.json:2:\d+: malformed JSON"):
        Snapshot.load(bad)
    with pytest.raises(InputError, match="not found"):
        Snapshot.load(tmp_path / "missing.json")
