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
        [sys.executable, "-m", "orkg_sync", "sandbox", "--port", "0", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_non_loopback_host_refused(tmp_path):
    r = _run("--bind", "0.0.0.0", "--db", str(tmp_path / "x.sqlite"))
    assert r.returncode == 2
    assert r.stderr.strip().startswith("error: --bind 0.0.0.0") and "Traceback" not in r.stderr


def test_unusable_db_path(tmp_path):
    r = _run("--db", str(tmp_path / "missing-dir" / "x.sqlite"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--db" in r.stderr


def test_bad_faults_json(tmp_path):
    r = _run("--db", str(tmp_path / "x.sqlite"), "--faults", '{"bogus": 1}')
    assert r.returncode == 2 and "--faults" in r.stderr and "Traceback" not in r.stderr


def test_missing_snapshot(tmp_path):
    r = _run("--db", str(tmp_path / "x.sqlite"), "--snapshot", str(tmp_path / "nope.json"))
    assert r.returncode == 2 and "nope.json: no such file" in r.stderr


def test_bad_accounts_file(tmp_path):
    bad = tmp_path / "accounts.json"
    bad.write_text("[{}]")
    r = _run("--db", str(tmp_path / "x.sqlite"), "--accounts", str(bad))
    assert r.returncode == 2 and "accounts file" in r.stderr and "Traceback" not in r.stderr


def test_custom_accounts_file(tmp_path):
    import json

    import requests

    from tests.conftest import SandboxServer

    acc = tmp_path / "accounts.json"
    acc.write_text(
        json.dumps([{"username": "a@b.c", "password": "pw", "id": "11111111-1111-4111-8111-111111111111"}])
    )
    srv = SandboxServer(tmp_path / "db.sqlite", extra_args=["--accounts", str(acc)])
    srv.start()
    try:
        tok = srv.token("a@b.c", "pw")
        r = requests.post(
            f"{srv.url}/api/predicates",
            json={"label": "x"},
            headers={"Authorization": f"Bearer {tok}"},
            timeout=10,
        )
        assert requests.get(r.headers["Location"], timeout=10).json()["created_by"].startswith("11111111")
        bad = requests.post(
            f"{srv.url}/realms/orkg/protocol/openid-connect/token",
            data={"grant_type": "password", "username": srv.username, "password": srv.password},
            timeout=10,
        )
        assert bad.status_code == 401  # the default accounts are replaced
    finally:
        srv.stop()


def _create(srv, label: str) -> str:
    import requests

    r = requests.post(f"{srv.url}/api/resources", json={"label": label}, headers=srv.auth(), timeout=10)
    assert r.status_code == 201
    return r.headers["Location"]


def test_reset_never_deletes_a_running_sandboxs_database(tmp_path):
    import requests

    from tests.conftest import SandboxServer

    db = tmp_path / "live.sqlite"
    srv = SandboxServer(db)
    srv.start()
    try:
        loc = _create(srv, "must survive")
        port = srv.url.rsplit(":", 1)[1]
        same_port = _run("--port", port, "--db", str(db), "--reset")  # the port-in-use case
        assert same_port.returncode == 8 and same_port.stderr.count("\n") == 1  # README: 8 = cannot listen
        assert same_port.stderr.startswith("error: ") and "cannot listen" in same_port.stderr
        other_port = _run("--db", str(db), "--reset")  # another port, same database: the lock
        assert other_port.returncode == 2 and other_port.stderr.count("\n") == 1
        assert "in use by a running sandbox" in other_port.stderr and "Traceback" not in other_port.stderr
        assert db.exists() and requests.get(loc, timeout=10).json()["label"] == "must survive"
    finally:
        srv.stop()
    fresh = SandboxServer(db, extra_args=["--reset"])  # once it has stopped, --reset works
    fresh.start()
    try:
        rid = loc.rsplit("/", 1)[1]
        assert requests.get(f"{fresh.url}/api/resources/{rid}", timeout=10).status_code == 404
    finally:
        fresh.stop()
