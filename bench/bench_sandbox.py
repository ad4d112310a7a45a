"""Sandbox throughput: sequential small GETs and concurrent writers (no errors, no lost writes).

Usage: python bench/bench_sandbox.py [--quick]   (starts its own sandbox on a free loopback port)
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer writes per client")
    args = ap.parse_args()
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
