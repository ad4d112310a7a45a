"""`pull` against the ORKG sandbox over real HTTP: fidelity, request budget, faults, errors, safety."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import requests

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.hosts import resolve_host
from orkg_sync.client.transport import RetryPolicy, Transport
from orkg_sync.errors import RemoteError
from orkg_sync.mapping import load_mapping, snapshot_to_rdf
from orkg_sync.pull import SyncBase, pull
from orkg_sync.resources import default_snapshot
from orkg_sync.snapshot import Snapshot

SLM = "https://w3id.org/orkg-sync/slm#"
DCT = "http://purl.org/dc/terms/"
# ORKG stores neither our reconstruction's confidence nor its source notes, and the dataset node names
# the host it came from: the only differences a pull of the seeded sandbox may show (docs/pull.md).
NOT_IN_ORKG = {SLM + "confidence", DCT + "source", DCT + "description"}


def api_for(url: str, **policy: Any) -> OrkgApi:
    return OrkgApi(Transport(resolve_host(url), policy=RetryPolicy(**policy) if policy else None))


def comparable(quads: list[ox.Quad]) -> set[str]:
    return {str(q) for q in quads if q.predicate.value not in NOT_IN_ORKG}


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ORKG_")}
    full_env["ORKG_RETRY_DELAY"] = "0.01"  # retries as in production, without seconds of real back-off
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "orkg_sync", "pull", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
    )


def test_pull_reproduces_the_shipped_dataset(fresh_sandbox: Any, tmp_path: Path) -> None:
    api = api_for(fresh_sandbox.url)
    result = pull(api, "R790020", tmp_path / "out", host=fresh_sandbox.url)
    shipped = snapshot_to_rdf(Snapshot.load(default_snapshot()), load_mapping())
    assert len(result.mapped.models) == len(shipped.models) == 38
    assert comparable(result.mapped.quads) == comparable(shipped.quads)
    # the same ORKG statements, objects and datatypes as the seed: a push can write through them
    seed_base = SyncBase.from_snapshot(Snapshot.load(default_snapshot()), load_mapping())
    assert result.base.models == seed_base.models
    assert result.base.paper_id == seed_base.paper_id and result.base.head_id == "R9000068"
    assert result.requests <= len(shipped.models) + 5
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [
        "SHA256SUMS",
        "dataset.ttl",
        "snapshot.json",
        "syncbase.json",
        "validation-report.json",
        "workspace.json",
    ]


def test_pull_is_stable_and_reports_changes(fresh_sandbox: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    api = api_for(fresh_sandbox.url)
    pull(api, "R790020", out, host=fresh_sandbox.url)
    first = (out / "dataset.ttl").read_bytes()
    again = pull(api, "R790020", out, host=fresh_sandbox.url)
    assert (out / "dataset.ttl").read_bytes() == first and not (again.added or again.removed or again.changed)
    # a curator changes Phi-2's release date on ORKG; the next pull says which model changed
    base = SyncBase.load(out / "syncbase.json")
    phi = next(c for c, m in base.models.items() if m["label"] == "Phi-2")
    date = base.models[phi]["values"][SLM + "releaseDate"][0]
    r = requests.put(
        f"{fresh_sandbox.url}/api/literals/{date['object_id']}",
        json={"label": "2023.11", "datatype": date["datatype"]},
        headers=fresh_sandbox.auth(),
        timeout=10,
    )
    assert r.status_code in (200, 204), r.text
    changed = pull(api, "R790020", out, host=fresh_sandbox.url)
    assert [m.rsplit("/", 1)[-1] for m in changed.changed] == ["phi-2"]
    assert '"2023-11"^^xsd:gYearMonth' in (out / "dataset.ttl").read_text()


def test_pull_under_faults_gives_the_same_result(fresh_sandbox: Any, tmp_path: Path) -> None:
    clean = pull(api_for(fresh_sandbox.url), "R790020", tmp_path / "a", host=fresh_sandbox.url)
    fresh_sandbox.set_faults(
        latency_ms=5, error_rate=0.15, rate_limit_rate=0.1, retry_after=0, drop_rate=0.05, seed=11
    )
    try:
        faulty = pull(
            api_for(fresh_sandbox.url, base_delay=0.01, attempts=8),
            "R790020",
            tmp_path / "b",
            host=fresh_sandbox.url,
        )
    finally:
        fresh_sandbox.clear_faults()
    assert faulty.snapshot.statements == clean.snapshot.statements
    assert (tmp_path / "a" / "dataset.ttl").read_bytes() == (tmp_path / "b" / "dataset.ttl").read_bytes()
    assert faulty.requests > clean.requests  # the retries really happened


def test_small_pages_give_the_same_snapshot(fresh_sandbox: Any, tmp_path: Path) -> None:
    from orkg_sync.pull import read_comparison

    api = api_for(fresh_sandbox.url)
    big = read_comparison(api, "R790020", load_mapping(), host=fresh_sandbox.url)
    small = read_comparison(api, "R790020", load_mapping(), host=fresh_sandbox.url, page_size=2)
    assert small.statements == big.statements and small.resources == big.resources


def test_timeout_is_a_remote_error_and_nothing_is_written(fresh_sandbox: Any, tmp_path: Path) -> None:
    fresh_sandbox.set_faults(latency_ms=1500)
    try:
        with pytest.raises(RemoteError):
            pull(
                api_for(fresh_sandbox.url, read_timeout=0.3, attempts=2, total_time=2, base_delay=0.01),
                "R790020",
                tmp_path / "out",
                host=fresh_sandbox.url,
            )
    finally:
        fresh_sandbox.clear_faults()
    assert not (tmp_path / "out").exists()


def test_cli_errors_are_one_line_with_documented_codes(sandbox: Any, tmp_path: Path) -> None:
    missing = cli("--comparison", "R404404", "--host", sandbox.url, cwd=tmp_path)
    assert missing.returncode == 2 and "R404404" in missing.stderr and "Traceback" not in missing.stderr
    unreachable = cli("--host", "http://127.0.0.1:9", cwd=tmp_path)
    assert unreachable.returncode == 3 and len(unreachable.stderr.strip().splitlines()) == 1
    insecure = cli("--host", "http://orkg.example.org", cwd=tmp_path)
    assert insecure.returncode == 2 and "http" in insecure.stderr
    assert not (tmp_path / "data").exists()


class _Broken(http.server.BaseHTTPRequestHandler):
    mode = "html"

    def do_GET(self) -> None:
        if self.mode == "html":
            body = b"<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
        else:
            body = b'{"id": "R790020", "published": tr'
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.orkg.comparison.v3+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(params=["html", "json"])
def broken_server(request: Any) -> Iterator[str]:
    handler = type("Handler", (_Broken,), {"mode": request.param})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_proxy_pages_and_truncated_json_are_remote_errors(broken_server: str, tmp_path: Path) -> None:
    proc = cli("--host", broken_server, cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "data").exists()


def test_local_edits_are_not_overwritten(sandbox: Any, tmp_path: Path) -> None:
    assert cli("--host", sandbox.url, "--quiet", cwd=tmp_path).returncode == 0
    dataset = tmp_path / "data" / "pull" / "dataset.ttl"
    dataset.write_text(dataset.read_text() + "\n# my edit\n")
    refused = cli("--host", sandbox.url, cwd=tmp_path)
    assert refused.returncode == 2 and "local edits" in refused.stderr
    assert dataset.read_text().endswith("# my edit\n")
    assert cli("--host", sandbox.url, "--force", "--quiet", cwd=tmp_path).returncode == 0
    assert "# my edit" not in dataset.read_text()


def test_json_summary_and_no_token_anywhere(sandbox: Any, tmp_path: Path) -> None:
    token = sandbox.token()
    proc = cli("--host", sandbox.url, "--json", cwd=tmp_path, env={"ORKG_TOKEN": token})
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["models"] == 38 and summary["published_version"] and summary["head"] == "R9000068"
    assert summary["requests"] <= 38 + 5
    written = b"".join(p.read_bytes() for p in (tmp_path / "data" / "pull").iterdir())
    assert token not in proc.stdout + proc.stderr and token.encode() not in written


def test_against_published_shows_drift_and_writes_nothing(fresh_sandbox: Any, tmp_path: Path) -> None:
    clean = cli("--host", fresh_sandbox.url, "--against-published", "--exit-code", cwd=tmp_path)
    assert clean.returncode == 0 and "0 difference(s)" in clean.stdout
    base = SyncBase.from_snapshot(Snapshot.load(default_snapshot()), load_mapping())
    phi = next(c for c, m in base.models.items() if m["label"] == "Phi-2")
    date = base.models[phi]["values"][SLM + "releaseDate"][0]
    r = requests.put(
        f"{fresh_sandbox.url}/api/literals/{date['object_id']}",
        json={"label": "2023.11", "datatype": "xsd:string"},
        headers=fresh_sandbox.auth(),
        timeout=10,
    )
    assert r.status_code == 204
    proc = cli("--host", fresh_sandbox.url, "--against-published", "--exit-code", "--json", cwd=tmp_path)
    assert proc.returncode == 10
    drift = json.loads(proc.stdout)
    assert drift["published"] == "R790020" and drift["head"] == "R9000068"
    assert [(d["label"], d["column"], d["published"], d["live"]) for d in drift["drift"]] == [
        ("Phi-2", "Date", [date["label"]], ["2023.11"])
    ]
    assert not (tmp_path / "data").exists()
