"""Sandbox throughput: sequential small GETs and concurrent writers (no errors, no lost writes),
and with ``--scale 1000,5000`` the cost of statement reads on synthetic comparisons of that size.

Usage: python bench/bench_sandbox.py [--quick] [--scale 1000,5000]
(starts its own sandboxes on free loopback ports)
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.conftest import SandboxServer


def sequential_gets(url: str, n: int) -> float:
    session = requests.Session()
    paths = [
        "/api/resources/R790020",
        "/api/predicates/P9000001",
        "/api/literals/L9000001",
        "/api/statements/S9000001",
        "/api/things/R9000005",
    ]
    t0 = time.perf_counter()
    for i in range(n):
        r = session.get(url + paths[i % len(paths)], timeout=10)
        if r.status_code != 200:
            raise SystemExit(f"GET failed: {r.status_code}")
    return time.perf_counter() - t0


def concurrent_writes(srv: SandboxServer, clients: int, per_client: int) -> tuple[float, int, int]:
    headers = srv.auth()

    def client(k: int) -> list[str]:
        s = requests.Session()
        out = []
        for i in range(per_client):
            r = s.post(
                f"{srv.url}/api/literals", json={"label": f"bench {k}-{i}"}, headers=headers, timeout=30
            )
            r.raise_for_status()
            lit = r.headers["Location"].rsplit("/", 1)[1]
            r = s.post(
                f"{srv.url}/api/statements",
                json={"subject_id": "R9000005", "predicate_id": "P32", "object_id": lit},
                headers=headers,
                timeout=30,
            )
            r.raise_for_status()
            out.append(r.headers["Location"])
            s.get(
                f"{srv.url}/api/statements", params={"subject_id": "R9000005"}, timeout=30
            ).raise_for_status()
        return out

    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        results = [loc for locs in pool.map(client, range(clients)) for loc in locs]
    elapsed = time.perf_counter() - t0
    found = 0
    for loc in results:
        found += requests.get(loc, timeout=10).status_code == 200
    return elapsed, len(set(results)), found


def _ms_per_request(session: requests.Session, urls: list[str]) -> float:
    t0 = time.perf_counter()
    for u in urls:
        r = session.get(u, timeout=120)
        if r.status_code != 200:
            raise SystemExit(f"GET {u} failed: {r.status_code}")
    return round((time.perf_counter() - t0) * 1000 / len(urls), 2)


def at_scale(models: int, tmp: Path) -> dict[str, object]:
    """Per-request cost of what pull and push read, on a synthetic comparison with ``models`` sources."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import synth

    snap = synth.make(models)
    snap.save(tmp / f"synth{models}.json")
    srv = SandboxServer(
        tmp / f"synth{models}.sqlite", extra_args=["--snapshot", str(tmp / f"synth{models}.json")]
    )
    t0 = time.perf_counter()
    srv.start()
    started = time.perf_counter() - t0
    try:
        s, base = requests.Session(), srv.url
        head = str(snap.comparison["head_id"])
        sources = [
            st["object_id"] for st in snap.statements.values() if st["predicate_id"] == "compareContribution"
        ]
        picks = sources[:: max(1, len(sources) // 200)][:200]
        return {
            "sources": models,
            "statements": len(snap.statements),
            "start_and_seed_s": round(started, 2),
            "statements_by_subject_ms": _ms_per_request(
                s, [f"{base}/api/statements?subject_id={c}&size=2500" for c in picks]
            ),
            "statements_first_page_ms": _ms_per_request(s, [f"{base}/api/statements?size=20"] * 20),
            "resource_by_id_ms": _ms_per_request(s, [f"{base}/api/resources/{c}" for c in picks]),
            "resources_first_page_ms": _ms_per_request(s, [f"{base}/api/resources?size=20"] * 20),
            "head_sources_ms": _ms_per_request(
                s, [f"{base}/api/statements?subject_id={head}&predicate_id=compareContribution&size=2500"] * 5
            ),
            "bundle_head_level2_ms": _ms_per_request(
                s, [f"{base}/api/statements/{head}/bundle?maxLevel=2"] * 2
            ),
        }
    finally:
        srv.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer writes per client")
    ap.add_argument("--scale", default="", help="comma-separated source counts, e.g. 1000,5000")
    args = ap.parse_args()
    if args.scale:
        with tempfile.TemporaryDirectory() as tmp:
            rows = [at_scale(int(n), Path(tmp)) for n in args.scale.split(",")]
        print(json.dumps(rows, indent=2))
        return
    with tempfile.TemporaryDirectory() as tmp:
        srv = SandboxServer(Path(tmp) / "bench.sqlite")
        srv.start()
        try:
            gets = sequential_gets(srv.url, 500)
            per_client = 5 if args.quick else 25
            elapsed, unique, found = concurrent_writes(srv, 8, per_client)
            expected = 8 * per_client
            report = {
                "sequential_500_gets_s": round(gets, 3),
                "gets_per_s": round(500 / gets),
                "concurrent_clients": 8,
                "writes_expected": expected,
                "writes_unique": unique,
                "writes_found": found,
                "concurrent_s": round(elapsed, 3),
                "target_500_gets_le_2s": gets <= 2.0,
                "no_lost_writes": unique == found == expected,
            }
            print(json.dumps(report, indent=2))
            if not report["no_lost_writes"]:
                raise SystemExit(1)
        finally:
            srv.stop()


if __name__ == "__main__":
    main()
