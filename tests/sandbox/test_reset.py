"""POST /_sandbox/reset: the test suite's way to a freshly seeded sandbox without a new process."""

from __future__ import annotations

import requests

from tests.conftest import SandboxServer


def test_reset_is_off_unless_the_test_flag_started_it(sandbox: SandboxServer) -> None:
    r = requests.post(f"{sandbox.url}/_sandbox/reset", json={}, headers=sandbox.control, timeout=10)
    assert r.status_code == 404
    assert requests.get(f"{sandbox.url}/api/statements/S9000001", timeout=10).status_code == 200


def test_reset_restores_data_ids_faults_counters_and_tokens(fresh_sandbox: SandboxServer) -> None:
    sb = fresh_sandbox
    old_token = sb.token()
    created = requests.post(f"{sb.url}/api/resources", json={"label": "gone"}, headers=sb.auth(), timeout=10)
    first_id = created.headers["Location"].rsplit("/", 1)[1]
    assert requests.delete(f"{sb.url}/api/statements/S9000001", headers=sb.auth()).status_code == 204
    sb.set_faults(error_rate=1.0, methods="POST")
    sb.reset()
    stats = sb.stats()
    assert stats["total"] == 0 and stats["faults"]["error_rate"] == 0
    assert requests.get(f"{sb.url}/api/resources/{first_id}", timeout=10).status_code == 404
    assert requests.get(f"{sb.url}/api/statements/S9000001", timeout=10).status_code == 200
    stale = {"Authorization": f"Bearer {old_token}"}
    assert requests.get(f"{sb.url}/api/resources/{first_id}", headers=stale, timeout=10).status_code == 401
    again = requests.post(f"{sb.url}/api/resources", json={"label": "again"}, headers=sb.auth(), timeout=10)
    assert again.headers["Location"].rsplit("/", 1)[1] == first_id  # the id counters were reset too


def test_reset_refuses_cross_origin_requests(fresh_sandbox: SandboxServer) -> None:
    r = requests.post(
        f"{fresh_sandbox.url}/_sandbox/reset",
        json={},
        headers={**fresh_sandbox.control, "Origin": "http://evil.example"},
        timeout=10,
    )
    assert r.status_code == 403
