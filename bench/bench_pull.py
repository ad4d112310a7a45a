"""Pull: requests and wall time; ours (bundle) vs per-source reads vs naive vs the floor, same run.

Usage: python bench/bench_pull.py [--quick] [--sources 1000,5000]
Starts its own sandboxes on loopback (the shipped R790020 seed, and synthetic comparisons made by
bench/synth.py), injects 50 ms latency per request, and prints a table. floor = the same bundle
requests with plain `requests` + `json` and nothing else (no mapping, validation or writing).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from tests.conftest import SandboxServer  # noqa: E402


def naive_pull(url: str, comparison: str) -> tuple[int, float]:
    """One request per resource, sequentially: what a straightforward client does."""
    s = requests.Session()
    n = 0
    t0 = time.perf_counter()

    def get(path: str, **params: Any) -> Any:
        nonlocal n
        n += 1
        r = s.get(url + path, params=params, timeout=30, headers={"Accept": "application/json"})
        r.raise_for_status()
        return r.json()

    get(f"/api/resources/{comparison}")
    links = get("/api/statements", subject_id=comparison, predicate_id="compareContribution", size=2500)
    for link in links["content"]:
        cid = link["object"]["id"]
        get(f"/api/resources/{cid}")
        for st in get("/api/statements", subject_id=cid, size=2500)["content"]:
            get(f"/api/predicates/{st['predicate']['id']}")
            kind = st["object"]["_class"]
            get(f"/api/{'literals' if kind == 'literal' else 'resources'}/{st['object']['id']}")
    return n, time.perf_counter() - t0


def our_pull(url: str, comparison: str, out: Path) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "orkg_sync",
            "pull",
            "--host",
            url,
            "--comparison",
            comparison,
            "--out",
            str(out),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    summary = json.loads(proc.stdout)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "requests": summary["requests"],
        "pull_s": summary["seconds"],
        "wall_s": wall,
        "models": summary["models"],
        "peak_mb": max(peak, before) / 1024,
    }


def floor_pull(url: str, comparison: str) -> tuple[int, float]:
    """The physical limit: the comparison, its bundle(s) and the paper link, parsed and thrown away."""
    s = requests.Session()
    t0 = time.perf_counter()
    comp = s.get(f"{url}/api/comparisons/{comparison}", timeout=60).json()
    roots = sorted({comparison, comp.get("versions", {}).get("head", {}).get("id") or comparison})
    first = None
    for root in roots:
        doc = s.get(f"{url}/api/statements/{root}/bundle", params={"max_level": 2}, timeout=600).json()
        links = [st for st in doc["statements"] if st["predicate"]["id"] == "compareContribution"]
        first = first or min(st["object"]["id"] for st in links)
    s.get(f"{url}/api/statements", params={"object_id": first, "predicate_id": "P31"}, timeout=60).json()
    return 2 + len(roots), time.perf_counter() - t0


def per_source_pull(url: str, comparison: str) -> tuple[int, float]:
    """Our reader forced onto the per-source reads (what the bundle replaced), in-process."""
    from orkg_sync.client.api import OrkgApi
    from orkg_sync.client.hosts import resolve_host
    from orkg_sync.client.transport import Transport
    from orkg_sync.mapping import load_mapping
    from orkg_sync.pull.reader import read_comparison

    api = OrkgApi(Transport(resolve_host(url)))
    t0 = time.perf_counter()
    read_comparison(api, comparison, load_mapping(), host=url, bundle=False)
    return api.request_count, time.perf_counter() - t0


def run(label: str, srv: SandboxServer, comparison: str, tmp: Path, naive: bool = True) -> list[str]:
    srv.set_faults(latency_ms=50)
    ours = our_pull(srv.url, comparison, tmp / f"out-{label}")
    n_floor, s_floor = floor_pull(srv.url, comparison)
    n_alt, s_alt = per_source_pull(srv.url, comparison)
    load = os.getloadavg()[0]
    rows = [
        f"| {label} | ours: bundle (pull incl. map, validate, write) | {ours['models']} | {ours['requests']} "
        f"| {ours['pull_s']:.2f} | {ours['wall_s']:.2f} | {ours['peak_mb']:.0f} | "
        f"{ours['pull_s'] / s_floor:.2f}x floor, {ours['pull_s'] / s_alt:.2f}x per-source; load {load:.1f} |",
        f"| {label} | floor: the same bundle GETs, json only | {ours['models']} | {n_floor} | {s_floor:.2f} "
        "| - | - | |",
        f"| {label} | per-source reads (read only, N+4) | {ours['models']} | {n_alt} | {s_alt:.2f} "
        "| - | - | |",
    ]
    if naive:
        n, secs = naive_pull(srv.url, comparison)
        rows.append(
            f"| {label} | naive: sequential, per resource | {ours['models']} | {n} | {secs:.2f} "
            f"| {secs:.2f} | - | ours {secs / ours['pull_s']:.1f}x faster |"
        )
    srv.clear_faults()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="R790020 only (skip the synthetic comparisons)")
    ap.add_argument("--sources", default="1000,5000", help="synthetic comparison sizes, comma-separated")
    args = ap.parse_args()
    import synth

    lines = [
        "| comparison | client | sources | requests | pull s | wall s (incl. start) | peak MB | ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        srv = SandboxServer(tmp / "r.sqlite")
        srv.start()
        try:
            lines += run("R790020 (38 sources), 50 ms latency", srv, "R790020", tmp)
        finally:
            srv.stop()
        for n in [] if args.quick else [int(x) for x in args.sources.split(",")]:
            snap = synth.make(n)
            snap.save(tmp / f"big{n}.json")
            big = SandboxServer(tmp / f"big{n}.sqlite", extra_args=["--snapshot", str(tmp / f"big{n}.json")])
            big.start()
            try:
                label = f"synthetic, {n:,} sources, 50 ms latency"
                lines += run(label, big, str(snap.comparison["id"]), tmp, naive=False)
            finally:
                big.stop()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
