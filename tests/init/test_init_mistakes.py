"""init's user mistakes: one line on stderr, a documented exit code, nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.init.conftest import run


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--comparison", "X1"], 2, "not an ORKG resource id"),
        (["--comparison", "R404404404"], 2, "R404404404"),
        (["--comparison", "R790020", "--base", "not-an-iri"], 2, "--base"),
    ],
)
def test_bad_input(args: list[str], code: int, says: str, tmp_path: Path, sandbox: Any) -> None:
    proc = run(tmp_path, sandbox, "init", *args, "--out", str(tmp_path / "def"))
    assert proc.returncode == code, proc.stderr
    assert says in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (tmp_path / "def" / "mapping.toml").exists()


def test_unreachable_host_exits_3(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORKG_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    cmd = [
        sys.executable,
        "-m",
        "orkg_sync",
        "init",
        "--host",
        "http://127.0.0.1:9",
        "--comparison",
        "R1",
        "--out",
        str(tmp_path / "def"),
        "--retries",
        "1",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 3, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not (tmp_path / "def").exists()


def test_an_earlier_init_is_not_overwritten(tmp_path: Path, sandbox: Any) -> None:
    out = tmp_path / "def"
    assert run(tmp_path, sandbox, "init", "--comparison", "R9101001", "--out", str(out)).returncode == 0
    (out / "mapping.toml").write_text("# curated by hand\n")
    proc = run(tmp_path, sandbox, "init", "--comparison", "R9101001", "--out", str(out))
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert (out / "mapping.toml").read_text() == "# curated by hand\n"
    assert (
        run(tmp_path, sandbox, "init", "--comparison", "R9101001", "--out", str(out), "--force").returncode
        == 0
    )
    assert (out / "mapping.toml").read_text().startswith("# Starter mapping")
