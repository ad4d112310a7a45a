"""Progress only on a terminal; NO_COLOR (and TERM=dumb) keep even the terminal free of escape codes."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from orkg_sync.cli.main import main
from tests.sync.conftest import Workspace as SyncWorkspace
from tests.sync.conftest import set_value, ym

ROOT = Path(__file__).resolve().parents[2]
ESC = "\x1b"


def on_a_terminal(args: list[str], cwd: Path, **env: str) -> tuple[int, str]:
    """Run the CLI with a pty as stdin/stdout/stderr; what the terminal showed."""
    master, slave = os.openpty()
    full = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "TERM"}}
    full.update({"PYTHONPATH": str(ROOT), "TERM": "xterm", **env})
    proc = subprocess.Popen(
        [sys.executable, "-m", "orkg_sync", *args], stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=full
    )
    os.close(slave)
    seen = b""
    while True:
        if select.select([master], [], [], 0.5)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    return proc.wait(timeout=30), seen.decode(errors="replace")


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["NO_COLOR", "TERM=dumb"])
def test_plain_progress_on_a_terminal(sandbox, tmp_path: Path, env: dict[str, str]) -> None:
    code, shown = on_a_terminal(["pull", "--host", sandbox.url, "--workspace", "ws"], tmp_path, **env)
    assert code == 0, shown
    assert "reading sources" in shown and ESC not in shown


def test_bar_on_a_terminal_by_default(sandbox, tmp_path: Path) -> None:
    code, shown = on_a_terminal(["pull", "--host", sandbox.url, "--workspace", "ws"], tmp_path)
    assert code == 0 and "reading sources" in shown and "[####" in shown


@pytest.mark.parametrize(
    "args",
    [["build", "--out", "d"], ["validate"], ["query", "timeline"], ["export", "--format", "nt"], ["--help"]],
    ids=lambda a: a[0],
)
def test_not_a_terminal_is_plain(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, args)
    assert res.exit_code in (0, 1) and ESC not in res.output and "\r" not in res.output


def test_pull_into_a_pipe_shows_no_progress(sandbox, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "orkg_sync", "pull", "--host", sandbox.url, "--workspace", "ws"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (
        proc.returncode == 0 and "reading sources" not in proc.stderr and ESC not in proc.stdout + proc.stderr
    )


# ---------------------------------------------------------------- push and diff (issue 12 item 5)
WROTE = re.compile(r"writing to ORKG (\d+)/(\d+)")


@pytest.fixture
def edited(fresh_sandbox, tmp_path: Path) -> SyncWorkspace:
    """A workspace pulled from its own sandbox with one local edit (Phi-2's release date)."""
    ws = SyncWorkspace(fresh_sandbox, tmp_path)
    assert ws.cli("pull", "--quiet", creds=False).returncode == 0
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    return ws


def creds(ws: SyncWorkspace, **env: str) -> dict[str, str]:
    return {"ORKG_USERNAME": ws.sb.username, "ORKG_PASSWORD": ws.sb.password, **env}


def test_push_bar_on_a_terminal(edited: SyncWorkspace) -> None:
    phi = edited.contribution("Phi-2")
    args = ["push", "--yes", "--host", edited.sb.url]
    code, shown = on_a_terminal(args, edited.root, **creds(edited))
    assert code == 0, shown
    assert "reading ORKG" in shown and "writing to ORKG" in shown and "[####" in shown
    assert edited.remote(phi)["Date"] == ["2023.11"]


def test_push_plain_progress_under_no_color(edited: SyncWorkspace) -> None:
    phi = edited.contribution("Phi-2")
    args = ["push", "--yes", "--host", edited.sb.url]
    code, shown = on_a_terminal(args, edited.root, **creds(edited, NO_COLOR="1"))
    assert code == 0, shown
    assert ESC not in shown and "reading ORKG" in shown
    counts = [(int(a), int(b)) for a, b in WROTE.findall(shown)]
    assert counts and counts[-1][0] == counts[-1][1] >= 1  # every operation of the plan, counted to the end
    assert f"applied {counts[-1][1]} operation(s)" in shown
    assert edited.remote(phi)["Date"] == ["2023.11"]


def test_push_into_a_pipe_shows_no_progress(edited: SyncWorkspace) -> None:
    phi = edited.contribution("Phi-2")
    proc = edited.process("push", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "\r" not in proc.stdout and ESC not in proc.stdout
    assert re.fullmatch(r"applied [1-9]\d* operation\(s\); sync base updated", proc.stdout.splitlines()[-1])
    assert edited.remote(phi)["Date"] == ["2023.11"]


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}], ids=["bar", "NO_COLOR"])
def test_diff_progress_on_a_terminal(sandbox, tmp_path: Path, env: dict[str, str]) -> None:
    code, shown = on_a_terminal(["pull", "--host", sandbox.url, "--workspace", "ws", "--quiet"], tmp_path)
    assert code == 0, shown
    code, shown = on_a_terminal(["diff", "--host", sandbox.url, "--workspace", "ws"], tmp_path, **env)
    assert code == 0 and "reading ORKG" in shown and shown.rstrip().endswith("in sync"), shown
    assert ("[####" in shown) if not env else (ESC not in shown and re.search(r"reading ORKG \d+", shown))


def piped(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "orkg_sync", *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_diff_json_and_pipe_stay_clean(sandbox, tmp_path: Path) -> None:
    where = ["--host", sandbox.url, "--workspace", "ws"]
    assert piped(["pull", *where, "--quiet"], tmp_path).returncode == 0
    for extra in ([], ["--json"]):
        proc = piped(["diff", *where, *extra], tmp_path)
        assert proc.returncode == 0 and proc.stderr == ""
        assert "\r" not in proc.stdout and ESC not in proc.stdout and "reading ORKG" not in proc.stdout
    assert json.loads(proc.stdout)["in_sync"] is True


def test_resumed_push_counts_what_was_already_done(edited: SyncWorkspace) -> None:
    """A push whose PUTs all fail stops with the DELETE of another model done; --resume starts from it."""
    phi, llama = edited.contribution("Phi-2"), edited.contribution("Llama 3.2")
    assert "Domain" in edited.remote(llama)
    edited.edit(set_value("llama-3-2", "domain"))  # a removal: a DELETE, which the faults spare
    edited.sb.set_faults(error_rate=1.0, methods="PUT")
    try:
        assert edited.cli("push", "--yes").returncode == 6
    finally:
        edited.sb.clear_faults()
    args = ["push", "--yes", "--resume", "--host", edited.sb.url]
    code, shown = on_a_terminal(args, edited.root, **creds(edited, NO_COLOR="1"))
    assert code == 0, shown
    counts = [(int(a), int(b)) for a, b in WROTE.findall(shown)]
    assert counts and 0 < counts[0][0] < counts[0][1] and counts[-1][0] == counts[-1][1], shown
    assert edited.remote(phi)["Date"] == ["2023.11"]
    assert "Domain" not in edited.remote(llama) and edited.cli("diff", "--exit-code").returncode == 0


def test_apply_and_undo_show_progress_on_a_terminal(edited: SyncWorkspace) -> None:
    """`apply` and `undo` share the applier: the count of writes shows there too, and the writes land."""
    phi = edited.contribution("Phi-2")
    before = edited.remote(phi)["Date"]
    assert edited.cli("push", "--plan-out", "plan.json").returncode == 0
    where = ["--host", edited.sb.url]
    code, shown = on_a_terminal(["apply", "plan.json", "--yes", *where], edited.root, **creds(edited))
    assert code == 0 and "writing to ORKG" in shown and "[####" in shown, shown
    assert edited.remote(phi)["Date"] == ["2023.11"]
    code, shown = on_a_terminal(["undo", "--yes", *where], edited.root, **creds(edited, NO_COLOR="1"))
    counts = [(int(a), int(b)) for a, b in WROTE.findall(shown)]
    assert code == 0 and ESC not in shown and counts and counts[-1][0] == counts[-1][1], shown
    assert edited.remote(phi)["Date"] == before != ["2023.11"]
