"""The `orkg-sync sandbox` command: user mistakes are one line and exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "orkg_sync", "sandbox", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_non_loopback_host_refused(tmp_path):
    r = _run("--host", "0.0.0.0", "--db", str(tmp_path / "x.sqlite"))
    assert r.returncode == 2
    assert r.stderr.strip().startswith("error: --host 0.0.0.0") and "Traceback" not in r.stderr


def test_unusable_db_path(tmp_path):
    r = _run("--db", str(tmp_path / "missing-dir" / "x.sqlite"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--db" in r.stderr


def test_bad_faults_json(tmp_path):
    r = _run("--db", str(tmp_path / "x.sqlite"), "--faults", '{"bogus": 1}')
    assert r.returncode == 2 and "--faults" in r.stderr and "Traceback" not in r.stderr


def test_missing_snapshot(tmp_path):
    r = _run("--db", str(tmp_path / "x.sqlite"), "--snapshot", str(tmp_path / "nope.json"))
    assert r.returncode == 2 and "snapshot file not found" in r.stderr
