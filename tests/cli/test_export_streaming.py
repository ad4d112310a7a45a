"""`orkg-sync export` streams its output (issue 13): stdout and --out give the same bytes in every
format, Turtle cut in two processes gives the bytes of one, an interrupt mid-write leaves the previous
file and no temporary one, and a reader that goes away (`| head`) ends it quietly with 141."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from orkg_sync import second_process, turtle_writer
from orkg_sync.cli.main import main
from tests.conftest import ROOT, cli_env


def run(*args: str) -> bytes:
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 0, (args, res.output)
    return res.stdout_bytes


@pytest.fixture(scope="module")
def data_nt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "data.nt"
    path.write_bytes(run("export", "--format", "nt"))
    return path


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_stdout_and_out_are_the_same_bytes(data_nt: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "x"
    run("export", "--format", fmt, "--input", str(data_nt), "--out", str(out))
    assert out.read_bytes() == run("export", "--format", fmt, "--input", str(data_nt))
    assert [p.name for p in tmp_path.iterdir()] == ["x"]


def test_turtle_in_two_processes_is_the_bytes_of_one(data_nt: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = run("export", "--input", str(data_nt))
    started: list[object] = []
    real = second_process.start
    monkeypatch.setattr(second_process, "start", lambda *a, **kw: started.append(a) or real(*a, **kw))
    monkeypatch.setattr(second_process, "WORTH_AT", 0)
    two = run("export", "--input", str(data_nt))
    assert two == one
    assert len(started) == (1 if (os.cpu_count() or 1) >= 2 else 0)


def test_an_interrupt_mid_write_keeps_the_previous_file(
    data_nt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "data.ttl"
    out.write_bytes(b"the previous export\n")

    def half_then_interrupt(path: Path, stream: object, *_: object) -> None:
        stream.write(b"@prefix half: <https://ex.org/> .\n")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr(turtle_writer, "write", half_then_interrupt)
    res = CliRunner().invoke(main, ["export", "--input", str(data_nt), "--out", str(out)])
    assert res.exit_code == 130 and "interrupted" in res.stderr
    assert out.read_bytes() == b"the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.ttl"]


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_a_reader_that_goes_away_ends_it_quietly(data_nt: Path, fmt: str) -> None:
    big = data_nt.with_name(f"big-{fmt}.nt")  # more than a pipe holds, so the writes meet a closed pipe
    base = data_nt.read_bytes()
    big.write_bytes(b"".join(base.replace(b"/r790020/", f"/copy{i}/".encode()) for i in range(8)))
    env = cli_env(PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "orkg_sync", "export", "--format", fmt, "--input", str(big)]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.read(100)
        proc.stdout.close()  # what `| head -c 100` does
        err = proc.stderr.read()
        code = proc.wait(timeout=60)
    assert len(first) == 100
    assert (code, err) == (141, b"")
