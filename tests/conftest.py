"""Shared fixtures: a real ORKG sandbox server process on a free loopback port.

``sandbox`` (session-scoped) is shared by every test that only reads or tolerates others' writes;
``fresh_sandbox`` (function-scoped) gets the freshly seeded state: one process per session (per xdist
worker), reset through ``POST /_sandbox/reset`` before each test.
Both yield a :class:`SandboxServer`: ``.url``, ``.username``/``.password``/``.user_id`` of the seeded
curator account, ``.token()``, ``.set_faults(...)``, ``.clear_faults()``, ``.stats()``, ``.restart()``.
``invoke`` runs the CLI in this process (``CliRunner``) for tests where a subprocess proves nothing extra;
``cli_env`` is the environment for CLI calls (no stray ``ORKG_*``, no real back-off sleeps).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "r790020.snapshot.json"
CURATOR = ("curator@sandbox.orkg", "sandbox-curator", "5a1d0b0c-0000-4000-8000-000000790020")
RESET_ENV = "ORKG_SANDBOX_TEST_RESET"  # orkg_sync.sandbox.server.RESET_ENV
USER = ("user@sandbox.orkg", "sandbox-user", "5a1d0b0c-0000-4000-8000-000000000001")


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess: no stray ``ORKG_*`` settings, and no real back-off sleeps.

    ``ORKG_RETRY_DELAY=0`` keeps every retry (the same attempts against the same faults) but skips the
    exponential sleeps between them; tests about the delay itself pass ``--retry-delay``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORKG_")}
    env["ORKG_RETRY_DELAY"] = "0"
    return env | extra


def invoke(
    args: list[str], *, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in this process (click's ``CliRunner``), answering like ``subprocess.run`` would.

    For tests about what a command does to files and to ORKG, where a new interpreter per call
    proves nothing extra (about 0.3 s saved a call). What only a real process shows (signals,
    Ctrl-C, a pipe or a terminal, the interpreter's start) stays a subprocess. ``env`` replaces the
    environment for the call, as ``subprocess.run(env=...)`` does; an exception that escapes the CLI
    shows up as it would from a process: its traceback on stderr and exit code 1.
    """
    from click.testing import CliRunner

    from orkg_sync.cli.main import main

    full = cli_env() if env is None else env
    overrides: dict[str, str | None] = {k: None for k in os.environ if k not in full}
    overrides.update(full)
    before = os.getcwd()
    os.chdir(cwd)
    try:
        res = CliRunner(env=overrides).invoke(main, args, input=stdin, prog_name="python -m orkg_sync")
    finally:
        os.chdir(before)
    stderr, code = res.stderr, res.exit_code
    if res.exc_info is not None and not isinstance(res.exc_info[1], SystemExit):
        stderr += "".join(traceback.format_exception(*res.exc_info))
        code = 1
    return subprocess.CompletedProcess([*args], code, res.stdout, stderr)


class SandboxServer:
    """Handle on a running ``orkg-sync sandbox`` process."""

    def __init__(
        self, db: Path, *, extra_args: list[str] | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.db = db
        self.extra_args = extra_args or []
        self.env = env or {}
        token = self.env.get("ORKG_SANDBOX_CONTROL_TOKEN") or os.environ.get("ORKG_SANDBOX_CONTROL_TOKEN")
        self.control = {"X-Sandbox-Token": token} if token else {}  # header for /_sandbox writes
        self.username, self.password, self.user_id = CURATOR
        self.other_username, self.other_password, self.other_user_id = USER
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""
        self._token: str | None = None

    def start(self) -> None:
        env = dict(os.environ) | self.env
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        cmd = [
            sys.executable,
            "-m",
            "orkg_sync",
            "sandbox",
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--db",
            str(self.db),
            "--snapshot",
            str(SEED),
            *self.extra_args,
        ]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        m = re.search(r"http://[\d.]+:(\d+)", line)
        if not m:
            self.stop()
            raise RuntimeError(f"sandbox did not start: {line!r}")
        self.url = f"http://127.0.0.1:{m.group(1)}"
        self._token = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def restart(self) -> None:
        """Stop and start on the same database (the port may change)."""
        self.stop()
        self.start()

    # ---- auth -------------------------------------------------------------------------
    def token(self, username: str | None = None, password: str | None = None) -> str:
        """A fresh access token (cached for the default curator account)."""
        if username is None and self._token:
            return self._token
        r = requests.post(
            f"{self.url}/realms/orkg/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "orkg-client",
                "username": username or self.username,
                "password": password or self.password,
            },
            timeout=10,
        )
        r.raise_for_status()
        tok = str(r.json()["access_token"])
        if username is None:
            self._token = tok
        return tok

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    # ---- faults / stats ---------------------------------------------------------------
    def set_faults(self, **settings: Any) -> dict[str, Any]:
        """Replace the fault settings, e.g. ``set_faults(error_rate=0.2, seed=7)``."""
        r = requests.put(f"{self.url}/_sandbox/faults", json=settings, headers=self.control, timeout=10)
        r.raise_for_status()
        return dict(r.json())

    def clear_faults(self) -> None:
        self.set_faults()

    def stats(self) -> dict[str, Any]:
        return dict(requests.get(f"{self.url}/_sandbox/stats", timeout=10).json())

    def reset_stats(self) -> None:
        requests.delete(f"{self.url}/_sandbox/stats", headers=self.control, timeout=10).raise_for_status()

    def reset(self) -> None:
        """Back to the seeded state (database, faults, counters, tokens): ``POST /_sandbox/reset``,
        which answers only when the process was started with ``ORKG_SANDBOX_TEST_RESET=1``."""
        r = requests.post(f"{self.url}/_sandbox/reset", json={}, headers=self.control, timeout=30)
        r.raise_for_status()
        self._token = None

    @property
    def pid(self) -> int | None:
        """The running process's id (None once stopped or exited)."""
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None


def _server(tmp: Path) -> SandboxServer:
    srv = SandboxServer(tmp / "sandbox.sqlite")
    srv.start()
    return srv


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    """One seeded server for the session; tests must not rely on others not writing."""
    with tempfile.TemporaryDirectory(prefix="orkg-sandbox-") as tmp:
        srv = _server(Path(tmp))
        try:
            yield srv
        finally:
            srv.stop()


class _Resettable:
    """One sandbox process per session (per xdist worker) that ``fresh_sandbox`` resets per test."""

    def __init__(self, tmp: Path) -> None:
        self.srv = SandboxServer(tmp / "fresh.sqlite", env={RESET_ENV: "1"})
        self.pid: int | None = None

    def ready(self) -> SandboxServer:
        """The server in its seeded state; a new process if a test stopped or restarted it."""
        if self.pid is None or self.srv.pid != self.pid:
            self.srv.stop()  # restarted by a test: its start-up state is that test's data
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.srv.db}{suffix}").unlink(missing_ok=True)
            self.srv.start()
            self.pid = self.srv.pid
        else:
            self.srv.reset()
        return self.srv


@pytest.fixture(scope="session")
def _resettable() -> Iterator[_Resettable]:
    with tempfile.TemporaryDirectory(prefix="orkg-fresh-sandbox-") as tmp:
        pool = _Resettable(Path(tmp))
        try:
            yield pool
        finally:
            pool.srv.stop()


@pytest.fixture()
def fresh_sandbox(_resettable: _Resettable) -> SandboxServer:
    """A sandbox in its freshly seeded state, for tests that change seeded data, set faults or restart.

    Not a new process per test (about 0.4 s each): one per session, put back to the seeded database,
    default faults, zero counters and no valid token by ``POST /_sandbox/reset`` before every test; a
    test that stops or restarts it gets a new process next time. The same ids are minted as by a new
    process (the id counters are part of the database)."""
    return _resettable.ready()


@pytest.fixture(autouse=False)
def no_faults(sandbox: SandboxServer) -> Iterator[SandboxServer]:
    sandbox.clear_faults()
    yield sandbox
    sandbox.clear_faults()
