"""Progress only on a terminal; NO_COLOR (and TERM=dumb) keep even the terminal free of escape codes."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from orkg_sync.cli.main import main

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
