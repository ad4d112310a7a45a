"""Pull: requests and wall time, ours (N+4 requests, concurrent) vs a naive sequential pull, same run.

Usage: python bench/bench_pull.py [--quick]
Starts its own sandboxes on loopback (the shipped R790020 seed, and a synthetic comparison with
1,000 sources made by bench/synth.py), injects 50 ms latency per request, and prints a table.
"""

from __future__ import annotations

import argparse
import json
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


def run(label: str, srv: SandboxServer, comparison: str, tmp: Path, naive: bool = True) -> list[str]:
    srv.set_faults(latency_ms=50)
    ours = our_pull(srv.url, comparison, tmp / f"out-{label}")
    rows = [
        f"| {label} | ours: concurrent, N+4 | {ours['models']} | {ours['requests']} | {ours['pull_s']:.2f} "
        f"| {ours['wall_s']:.2f} | {ours['peak_mb']:.0f} |"
    ]
    if naive:
        n, secs = naive_pull(srv.url, comparison)
        rows.append(
            f"| {label} | naive: sequential, per resource | {ours['models']} | {n} | {secs:.2f} "
            f"| {secs:.2f} | - |"
        )
        rows.append(f"| {label} | speed-up | | | {secs / ours['pull_s']:.1f}x | | |")
    srv.clear_faults()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="R790020 only (skip the 1,000-source comparison)")
    args = ap.parse_args()
    import synth

    lines = [
        "| comparison | client | sources | requests | pull s | wall s (incl. start) | peak MB |",
        "|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        srv = SandboxServer(tmp / "r.sqlite")
        srv.start()
        try:
            lines += run("R790020 (38 sources), 50 ms latency", srv, "R790020", tmp)
        finally:
            srv.stop()
        if not args.quick:
            snap = synth.make(1000)
            snap.save(tmp / "big.json")
            big = SandboxServer(tmp / "big.sqlite", extra_args=["--snapshot", str(tmp / "big.json")])
            big.start()
            try:
                lines += run(
                    "synthetic, 1,000 sources, 50 ms latency",
                    big,
                    str(snap.comparison["id"]),
                    tmp,
                    naive=False,
                )
            finally:
                big.stop()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
