"""The README's commands run as written, its tables match the code, every option says what it does."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
import requests
from click.testing import CliRunner

from orkg_sync import errors
from orkg_sync.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def sh_blocks(text: str) -> list[list[str]]:
    """The lines of every ```sh block."""
    return [block.strip("\n").splitlines() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def orkg_lines() -> list[str]:
    return [
        line
        for block in sh_blocks(README)
        for line in block
        if line.lstrip().startswith(("orkg-sync", "ORKG_"))
    ]


def parse(line: str) -> tuple[dict[str, str], list[str], bool]:
    """(environment, arguments after `orkg-sync`, runs in the background)."""
    words = shlex.split(line, comments=True)
    background = words[-1] == "&"
    words = words[:-1] if background else words
    env = {}
    while "=" in words[0] and not words[0].startswith("-"):
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    assert words[0] == "orkg-sync", line
    return env, words[1:], background


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_readme_blocks_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `orkg-sync` line of the README, in order, in one folder, exits 0.

    Two substitutions only, because port 8080 may be taken on a shared machine: the sandbox gets a
    free port instead of 8080 and `--host local` points at it. `my.rq` (the README's own query file) is
    a shipped query copied under that name; `./dev build` is `orkg-sync build`.
    """
    from orkg_sync.resources import queries_dir

    monkeypatch.chdir(tmp_path)
    for var in ("ORKG_TOKEN", "ORKG_USERNAME", "ORKG_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "my.rq").write_text((queries_dir() / "timeline.rq").read_text())
    assert CliRunner().invoke(main, ["build"]).exit_code == 0  # what `./dev build` does
    port = free_port()
    servers: list[subprocess.Popen[str]] = []
    ran = []
    try:
        for line in orkg_lines():
            env, args, background = parse(line)
            args = [str(port) if a == "8080" else a for a in args]
            args = [
                f"http://127.0.0.1:{port}" if a == "local" and i and args[i - 1] == "--host" else a
                for i, a in enumerate(args)
            ]
            if background or args[0] == "serve":
                servers.append(start(args if args[0] != "serve" else [*args, "--port", "0"], tmp_path))
            else:
                for key, value in env.items():
                    monkeypatch.setenv(key, value)
                res = CliRunner().invoke(main, args)
                assert res.exit_code == 0, (line, res.output)
            ran.append(args[0])
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=10)
    assert {"query", "serve", "sandbox", "pull", "diff", "push"} <= set(ran)


def start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    """A server command from the README, waited for until it answers on its port."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "orkg_sync", *args],
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"http://[\d.]+:(\d+)", line)
    assert match, f"{args}: {line!r}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{match.group(1)}/", timeout=2)
            return proc
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"{args} did not answer")


# ---- tables and help ------------------------------------------------------------------------------


def exit_codes_in_code() -> dict[int, str]:
    return {v: k for k, v in vars(errors).items() if k.startswith("EXIT_") and isinstance(v, int)}


def test_exit_codes_agree_in_code_readme_and_help() -> None:
    table = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    in_readme = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)}
    help_text = CliRunner().invoke(main, ["--help"]).stdout
    in_help = {int(m) for m in re.findall(r"^\s+(\d+)\s{2,}", help_text, re.M)}
    assert set(exit_codes_in_code()) == in_readme == in_help


def commands() -> list[click.Command]:
    ctx = click.Context(main)
    return [c for name in main.list_commands(ctx) if (c := main.get_command(ctx, name)) is not None]


def test_every_command_is_in_the_readme_table() -> None:
    table = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    for cmd in commands():
        assert f"`{cmd.name}" in table or f", `{cmd.name}`" in table, cmd.name


@pytest.mark.parametrize("cmd", commands(), ids=lambda c: c.name)
def test_every_option_says_what_it_does_and_its_default(cmd: click.Command) -> None:
    res = CliRunner().invoke(main, [str(cmd.name), "--help"])
    assert res.exit_code == 0 and cmd.help
    for param in cmd.params:
        if not isinstance(param, click.Option) or param.hidden or param.name == "help":
            continue
        assert param.help, f"{cmd.name} {param.opts[0]} has no help"
        default = param.get_default(click.Context(cmd), call=False)
        unset = type(default).__name__ == "Sentinel"  # click 8.3+: no default given
        has_default = not unset and default not in (None, False, (), "") and not param.is_flag
        assert not has_default or param.show_default, f"{cmd.name} {param.opts[0]} hides its default"


def test_importing_a_command_module_first_keeps_every_command() -> None:
    """The registration cycle: importing cli.build before cli.main once made `build` vanish."""
    code = (
        "import orkg_sync.cli.build, click\n"
        "from orkg_sync.cli.main import main\n"
        "print(','.join(main.list_commands(click.Context(main))))"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert "build" in out.stdout.split(",") and "validate" in out.stdout


def test_deprecated_aliases_still_work_but_are_not_advertised() -> None:
    serve_help = CliRunner().invoke(main, ["serve", "--help"]).stdout
    assert "--bind" in serve_help and "--host" not in serve_help
    pull_help = CliRunner().invoke(main, ["pull", "--help"]).stdout
    assert "--workspace" in pull_help and "--out" not in pull_help
    res = CliRunner().invoke(main, ["sandbox", "--host", "0.0.0.0"])
    assert res.exit_code == 2 and "loopback" in res.stderr
