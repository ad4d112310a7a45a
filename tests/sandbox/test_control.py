"""The /_sandbox control routes refuse other origins (issue 11) and offer a 406 fault (issue 10)."""

from __future__ import annotations

import requests

from tests.conftest import SandboxServer

PAPER = "application/vnd.orkg.paper.v2+json"
CMP = "application/vnd.orkg.comparison.v3+json"


def test_cross_origin_and_text_plain_writes_are_refused(fresh_sandbox):
    sb, url = fresh_sandbox, f"{fresh_sandbox.url}/_sandbox/faults"
    csrf = requests.post(  # what a web page can send without a preflight
        url,
        data='{"error_rate": 1}',
        headers={"Content-Type": "text/plain", "Origin": "http://evil.example"},
        timeout=10,
    )
    assert csrf.status_code == 403 and csrf.json()["type"] == "orkg:problem:cross_origin_refused"
    plain = requests.post(url, data='{"error_rate": 1}', headers={"Content-Type": "text/plain"}, timeout=10)
    assert plain.status_code == 415
    site = requests.put(url, json={"error_rate": 1}, headers={"Sec-Fetch-Site": "cross-site"}, timeout=10)
    assert site.status_code == 403
    assert requests.get(url, timeout=10).json()["error_rate"] == 0.0  # nothing changed
    read = requests.get(f"{sb.url}/_sandbox/stats", headers={"Origin": "http://evil.example"}, timeout=10)
    assert read.status_code == 403
    stats = requests.get(f"{sb.url}/_sandbox/stats", timeout=10)
    assert stats.status_code == 200 and "Access-Control-Allow-Origin" not in stats.headers
    assert requests.get(f"{sb.url}/api/version", timeout=10).headers["Access-Control-Allow-Origin"] == "*"
    same = requests.put(url, json={"latency_ms": 1}, headers={"Origin": sb.url}, timeout=10)
    assert same.status_code == 200 and same.json()["latency_ms"] == 1


def test_control_token_when_configured(tmp_path):
    srv = SandboxServer(tmp_path / "t.sqlite", env={"ORKG_SANDBOX_CONTROL_TOKEN": "s3cret-control"})
    srv.start()
    try:
        url = f"{srv.url}/_sandbox/faults"
        missing = requests.put(url, json={"error_rate": 1}, timeout=10)
        assert missing.status_code == 403 and missing.json()["type"] == "orkg:problem:control_token_required"
        wrong = requests.put(url, json={"error_rate": 1}, headers={"X-Sandbox-Token": "guess"}, timeout=10)
        assert wrong.status_code == 403
        assert requests.delete(f"{srv.url}/_sandbox/stats", timeout=10).status_code == 403
        assert srv.set_faults(latency_ms=2)["latency_ms"] == 2  # the helper sends the token
        srv.reset_stats()
        assert "s3cret-control" not in requests.get(url, timeout=10).text
    finally:
        srv.stop()


def test_406_fault_mode_for_a_chosen_media_type(fresh_sandbox):
    sb = fresh_sandbox
    assert sb.set_faults(reject_media_types=PAPER)["reject_media_types"] == PAPER
    r = requests.get(f"{sb.url}/api/papers/R9000003", headers={"Accept": PAPER}, timeout=10)
    assert r.status_code == 406 and r.json()["type"] == "orkg:problem:http_media_type_not_acceptable"
    assert PAPER in r.json()["detail"]
    ok = requests.get(f"{sb.url}/api/comparisons/R790020", headers={"Accept": CMP}, timeout=10)
    assert ok.status_code == 200
    assert sb.stats()["faults_injected"] == {"406": 1}
    sb.clear_faults()
    assert requests.get(f"{sb.url}/api/papers/R9000003", headers={"Accept": PAPER}, timeout=10).ok
