"""`apply` has push's --dry-run, --json and --yes; a declined confirmation exits 7 and writes nothing."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner

from orkg_sync.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SLM = "https://w3id.org/orkg-sync/slm#"
PHI = "https://w3id.org/orkg-sync/r790020/model/phi-2"
GYM = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")


def cli(*args: str) -> str:
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


def phi_date(url: str, ws: Path) -> list[str]:
    base = json.loads((ws / "syncbase.json").read_text())
    phi = next(c for c, m in base["models"].items() if m["label"] == "Phi-2")
    r = requests.get(f"{url}/api/statements", params={"subject_id": phi, "size": 2500}, timeout=10)
    return sorted(s["object"]["label"] for s in r.json()["content"] if s["predicate"]["label"] == "Date")


@pytest.fixture()
def planned(fresh_sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A pulled workspace with Phi-2's release date edited and the plan saved (nothing applied yet)."""
    for var in ("ORKG_TOKEN", "ORKG_USERNAME", "ORKG_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    ws, plan = tmp_path / "ws", tmp_path / "plan.json"
    cli("pull", "--host", fresh_sandbox.url, "--workspace", str(ws), "--quiet")
    data = ws / "dataset.ttl"
    store = ox.Store()
    store.load(path=str(data), format=ox.RdfFormat.TURTLE)
    date = ox.NamedNode(SLM + "releaseDate")
    for q in list(store.quads_for_pattern(ox.NamedNode(PHI), date, None)):
        store.remove(q)
    store.add(ox.Quad(ox.NamedNode(PHI), date, ox.Literal("2023-11", datatype=GYM)))
    data.write_bytes(store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()) or b"")
    cli("push", "--host", fresh_sandbox.url, "--workspace", str(ws), "--plan-out", str(plan))
    assert phi_date(fresh_sandbox.url, ws) != ["2023.11"]
    return ws, plan


def test_dry_run_json_and_yes(fresh_sandbox, planned: tuple[Path, Path], monkeypatch) -> None:
    ws, plan = planned
    common = ["--host", fresh_sandbox.url, "--workspace", str(ws)]
    shown = json.loads(cli("apply", str(plan), *common, "--dry-run", "--json"))
    assert shown["applied"] is False and shown["plan"]["ops"]
    assert phi_date(fresh_sandbox.url, ws) != ["2023.11"]  # a dry run writes nothing, needs no login
    monkeypatch.setenv("ORKG_USERNAME", fresh_sandbox.username)
    monkeypatch.setenv("ORKG_PASSWORD", fresh_sandbox.password)
    done = json.loads(cli("apply", str(plan), *common, "--yes", "--json"))
    assert done["applied"] == len(shown["plan"]["ops"]) and done["plan"] == shown["plan"]["id"]
    assert phi_date(fresh_sandbox.url, ws) == ["2023.11"]


def test_declined_confirmation_exits_7_and_writes_nothing(fresh_sandbox, planned: tuple[Path, Path]) -> None:
    """On a real terminal (a pty), answering "n" is exit 7, not 1 ("invalid data")."""
    ws, plan = planned
    master, slave = os.openpty()
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        ORKG_USERNAME=fresh_sandbox.username,
        ORKG_PASSWORD=fresh_sandbox.password,
    )
    args = ["apply", str(plan), "--host", fresh_sandbox.url, "--workspace", str(ws)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "orkg_sync", *args], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    seen = read_until(master, proc, b"[y/N]")
    assert b"operation(s) to" in seen, seen
    os.write(master, b"n\n")
    seen += read_until(master, proc, None)
    proc.wait(timeout=30)
    os.close(master)
    text = seen.decode(errors="replace")
    assert proc.returncode == 7, text
    assert "Traceback" not in text and text.count("error:") == 1
    assert "error: not confirmed; nothing was done" in text
    assert phi_date(fresh_sandbox.url, ws) != ["2023.11"]


def read_until(fd: int, proc: subprocess.Popen[bytes], marker: bytes | None, timeout: float = 60) -> bytes:
    """What the terminal shows until ``marker`` appears (or, with None, until the process ends)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (marker is None or marker not in seen):
        if select.select([fd], [], [], 0.2)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            seen += chunk
        elif proc.poll() is not None and marker is None:
            break
    return seen
