"""Fault injection, request counters, concurrency and persistence across restarts."""

from __future__ import annotations

import concurrent.futures

import pytest
import requests


def test_faults_off_by_default_and_stats_count(fresh_sandbox):
    sb = fresh_sandbox
    sb.reset_stats()
    for _ in range(5):
        assert requests.get(f"{sb.url}/api/resources/R790020", timeout=10).status_code == 200
    stats = sb.stats()
    assert stats["endpoints"]["GET /api/resources/<rid>"] == 5
    assert stats["statuses"]["GET /api/resources/<rid> 200"] == 5
    assert stats["faults"]["error_rate"] == 0


def _statuses(sb, n):
    out = []
    for _ in range(n):
        r = requests.get(f"{sb.url}/api/predicates/P31", timeout=10)
        out.append((r.status_code, r.headers.get("Retry-After")))
    return out


def test_error_and_rate_limit_faults_are_deterministic(fresh_sandbox):
    sb = fresh_sandbox
    sb.set_faults(error_rate=0.3, rate_limit_rate=0.2, retry_after=3, seed=42)
    first = _statuses(sb, 40)
    sb.set_faults(error_rate=0.3, rate_limit_rate=0.2, retry_after=3, seed=42)
    assert _statuses(sb, 40) == first
    codes = {c for c, _ in first}
    assert {200, 429} <= codes and codes & {500, 503}
    assert all(ra == "3" for c, ra in first if c == 429)
    sb.clear_faults()
    assert requests.get(f"{sb.url}/api/predicates/P31", timeout=10).status_code == 200


def test_faults_can_be_limited_to_methods(fresh_sandbox):
    sb = fresh_sandbox
    sb.set_faults(error_rate=1.0, methods="POST")
    assert requests.get(f"{sb.url}/api/predicates/P31", timeout=10).status_code == 200
    r = requests.post(f"{sb.url}/api/predicates", json={"label": "x"}, headers=sb.auth(), timeout=10)
    assert r.status_code in (500, 503)
    assert r.headers["Content-Type"] == "application/problem+json"


def test_dropped_connection(fresh_sandbox):
    sb = fresh_sandbox
    sb.set_faults(drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{sb.url}/api/predicates/P31", timeout=10)
    sb.clear_faults()


def test_commit_then_drop_applies_the_write(fresh_sandbox):
    sb = fresh_sandbox
    headers = sb.auth()
    sb.set_faults(commit_drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        requests.post(
            f"{sb.url}/api/predicates", json={"label": "committed but lost"}, headers=headers, timeout=10
        )
    sb.clear_faults()
    found = requests.get(
        f"{sb.url}/api/predicates", params={"q": "committed but lost", "exact": "true"}, timeout=10
    ).json()["content"]
    assert len(found) == 1
    assert sb.stats()["faults_injected"]["commit_drop"] == 1


def test_bad_fault_setting_is_400(sandbox):
    r = requests.put(f"{sandbox.url}/_sandbox/faults", json={"nonsense": 1}, timeout=10)
    assert r.status_code == 400


def test_concurrent_writers_lose_nothing(fresh_sandbox):
    sb = fresh_sandbox
    headers = sb.auth()

    def write(i: int) -> str:
        r = requests.post(
            f"{sb.url}/api/statements",
            json={"subject_id": "R9000005", "predicate_id": "P32", "object_id": _lit(i)},
            headers=headers,
            timeout=30,
        )
        assert r.status_code == 201
        return r.headers["Location"]

    def _lit(i: int) -> str:
        r = requests.post(f"{sb.url}/api/literals", json={"label": f"c{i}"}, headers=headers, timeout=30)
        assert r.status_code == 201
        return r.headers["Location"].rsplit("/", 1)[1]

    def count() -> int:
        return int(
            requests.get(
                f"{sb.url}/api/statements",
                params={"subject_id": "R9000005", "predicate_id": "P32"},
                timeout=10,
            ).json()["page"]["total_elements"]
        )

    before = count()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        locs = list(pool.map(write, range(40)))
    assert len(set(locs)) == 40
    assert count() == before + 40


def test_restart_keeps_data(fresh_sandbox):
    sb = fresh_sandbox
    r = requests.post(f"{sb.url}/api/resources", json={"label": "survives"}, headers=sb.auth(), timeout=10)
    rid = r.headers["Location"].rsplit("/", 1)[1]
    requests.delete(f"{sb.url}/api/statements/S9000001", headers=sb.auth(), timeout=10)
    sb.restart()
    assert requests.get(f"{sb.url}/api/resources/{rid}", timeout=10).json()["label"] == "survives"
    assert requests.get(f"{sb.url}/api/statements/S9000001", timeout=10).status_code == 404  # not re-seeded
    r2 = requests.post(f"{sb.url}/api/resources", json={"label": "next"}, headers=sb.auth(), timeout=10)
    assert r2.headers["Location"].rsplit("/", 1)[1] != rid
