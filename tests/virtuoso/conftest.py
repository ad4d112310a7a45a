"""A real Virtuoso Open Source server (Debian's ``virtuoso-opensource``) on free loopback ports.

Each test module gets its own server with a temporary database folder and config (like the Oxigraph
fixture in tests/publish/conftest.py). The ``dba`` password is replaced by a random one before any test
runs; it travels only in the environment and in HTTP digest auth, never on a command line.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.publish.conftest import free_port, release, store  # noqa: F401 (fixtures)

VAD = Path("/usr/share/virtuoso-opensource-7/vad")
INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}
VADInstallDir = {vad}/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
MaxClientConnections = 10
ServerThreads = 10
EnabledDavVSP = 0
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    """A running server: ``url`` (HTTP root), ``user``/``password`` (dba, random), ``log`` (its error log)."""

    url: str
    user: str
    password: str = field(repr=False)
    log: Path

    @property
    def query(self) -> str:
        return self.url + "/sparql"  # anonymous, read-only

    @property
    def update(self) -> str:
        return self.url + "/sparql-auth"  # digest auth; dba may update

    @property
    def store(self) -> str:
        return self.url + "/sparql-graph-crud-auth"  # Graph Store Protocol, digest auth


def _binary() -> str:
    exe = shutil.which("virtuoso-t")
    if not exe or not shutil.which("isql-vt"):
        pytest.skip(
            "virtuoso-t/isql-vt not installed "
            "(./dev test installs Debian's virtuoso-opensource-7-bin as root)"
        )
    return exe


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    exe = _binary()
    db = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(INI.format(db=db, sql_port=sql_port, http_port=http_port, vad=VAD))
    proc = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(ini)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=db,
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"virtuoso-t exited ({proc.returncode}); see {db / 'virtuoso.log'}")
            try:
                if requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("virtuoso-t did not answer within 120 s")
        password = secrets.token_urlsafe(18)
        subprocess.run(  # the new password goes over stdin, not argv
            ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba"],
            input=f"USER_SET_PASSWORD('dba', '{password}');\n",
            text=True,
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield Virtuoso(url, "dba", password, db / "virtuoso.log")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
