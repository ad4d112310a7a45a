"""The wheel (a non-editable install) carries the ontology, shapes, snapshot and queries it needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_is_self_contained(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "whl"), str(ROOT)],
        check=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "whl").glob("orkg_sync-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(site)
    for needed in [
        "orkg_sync/_resources/ontology/slm.ttl",
        "orkg_sync/_resources/ontology/mapping/r790020.toml",
        "orkg_sync/_resources/data/r790020.snapshot.json",
        "orkg_sync/queries/attention.rq",
        "orkg_sync/context.jsonld",
    ]:
        assert needed in names, needed
    assert any(
        n.startswith("orkg_sync/_resources/shapes/") and n.endswith(".ttl") for n in names
    ) or not list((ROOT / "shapes").glob("*.ttl"))
    # run the main job from the unpacked wheel, far from the source tree
    work = tmp_path / "work"
    work.mkdir()
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from orkg_sync import resources as r; print(r.ontology_dir()); print(r.shapes_dir())",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(line.startswith(str(site)) for line in probe.stdout.splitlines())
    proc = subprocess.run(
        [sys.executable, "-m", "orkg_sync", "build"], cwd=work, env=env, capture_output=True, text=True
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert (work / "dist" / "data.ttl").is_file() and (work / "dist" / "ontology" / "slm.ttl").is_file()
