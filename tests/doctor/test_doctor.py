"""doctor: passes on the sandbox, and fails clearly (one line, documented exit code) on each problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from orkg_sync.resources import ontology_dir

ROOT = Path(__file__).resolve().parents[2]


def doctor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ORKG_")}
    base["PYTHONPATH"] = str(ROOT) + os.pathsep + base.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "orkg_sync", "doctor", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={**base, **(env or {})})


def statuses(out: str) -> dict[str, str]:
    return {line[6:].split(":", 1)[0]: line.split()[0] for line in out.splitlines() if line.strip()}


def test_passes_on_the_sandbox(sandbox: Any) -> None:
    mapping = str(ontology_dir() / "mapping" / "r790020.toml")
    creds = {"ORKG_USERNAME": sandbox.username, "ORKG_PASSWORD": sandbox.password}
    proc = doctor("--host", sandbox.url, "--comparison", "R790020", "--mapping", mapping, env=creds)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = statuses(proc.stdout)
    assert got == {
        "reachable": "ok",
        "TLS": "warn",  # plain http on loopback
        "media types": "ok",
        "credentials": "ok",
        "comparison": "ok",
        "publish": "ok",
        "predicates": "ok",
        "datatypes": "ok",
    }
    assert sandbox.password not in proc.stdout + proc.stderr


def test_unreachable_host_exits_3() -> None:
    proc = doctor("--host", "http://127.0.0.1:9")
    assert proc.returncode == 3
    assert statuses(proc.stdout)["reachable"] == "fail"
    assert "media types" not in statuses(proc.stdout)  # nothing more is tried against a dead host
    assert "Traceback" not in proc.stderr


def test_refused_credentials_exit_4(sandbox: Any) -> None:
    proc = doctor("--host", sandbox.url, env={"ORKG_USERNAME": sandbox.username, "ORKG_PASSWORD": "wrong"})
    assert proc.returncode == 4, proc.stdout
    assert statuses(proc.stdout)["credentials"] == "fail"
    assert "wrong" not in proc.stdout + proc.stderr


def test_literal_datatype_that_rejects_our_rendering_exits_1(sandbox: Any, tmp_path: Path) -> None:
    # the parameter rule writes "1B; 3B": a column declared xsd:integer would get 400 invalid_literal_label
    text = (ontology_dir() / "mapping" / "r790020.toml").read_text()
    bad = text.replace(
        'datatype = "xsd:string"\nrule = "parameter_counts"',
        'datatype = "xsd:integer"\nrule = "parameter_counts"',
    )
    assert bad != text
    (tmp_path / "bad.toml").write_text(bad)
    proc = doctor("--host", sandbox.url, "--mapping", str(tmp_path / "bad.toml"))
    assert proc.returncode == 1, proc.stdout
    line = next(x for x in proc.stdout.splitlines() if x.startswith("fail  datatypes"))
    assert "number of parameters" in line and "xsd:integer" in line


def test_missing_comparison_exits_1(sandbox: Any) -> None:
    proc = doctor("--host", sandbox.url, "--comparison", "R404404404")
    assert proc.returncode == 1
    assert statuses(proc.stdout)["comparison"] == "fail"


class _OldBackend(BaseHTTPRequestHandler):
    """A host that serves pages but not ORKG's vendor media types (406, as Spring answers)."""

    def do_GET(self) -> None:
        accept = self.headers.get("Accept", "")
        if accept.startswith("application/vnd.orkg"):
            body = {
                "type": "orkg:problem:http_media_type_not_acceptable",
                "status": 406,
                "title": "Not Acceptable",
            }
            self._send(406, body, "application/problem+json")
        elif self.path.startswith("/api/predicates/"):
            self._send(200, {"id": "P31", "label": "has contribution", "_class": "predicate"})
        else:
            self._send(200, {"content": [], "page": {"size": 1, "number": 0, "total_elements": 0}})

    def _send(self, status: int, body: dict[str, Any], ctype: str = "application/json") -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def old_backend() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OldBackend)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_wrong_media_type_exits_3(old_backend: str) -> None:
    proc = doctor("--host", old_backend)
    assert proc.returncode == 3, proc.stdout
    line = next(x for x in proc.stdout.splitlines() if x.startswith("fail  media types"))
    assert "paper v2" in line and "406" in line


def test_sandbox_fault_406_on_paper_v2_exits_3(fresh_sandbox: Any) -> None:
    fresh_sandbox.set_faults(reject_media_types="application/vnd.orkg.paper.v2+json")
    proc = doctor("--host", fresh_sandbox.url, "--comparison", "R790020")
    assert proc.returncode == 3, proc.stdout
    line = next(x for x in proc.stdout.splitlines() if x.startswith("fail  media types"))
    assert "paper v2" in line and "406" in line
    assert statuses(proc.stdout)["comparison"] == "ok"  # the other checks still say what they can
