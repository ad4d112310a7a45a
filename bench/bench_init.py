"""init + pull + build of a comparison nobody hand-fitted: 1,000 sources x 20 columns at 50 ms latency.

Usage: python bench/bench_init.py [--sources 1000] [--latency 50]
Seeds a sandbox (on loopback) with the shipped snapshot plus a synthetic head comparison whose 20 columns
are 4 integer, 3 decimal, 3 date, 2 boolean, 2 URI, 2 string and 4 resource columns (shared resources,
~5% empty cells), injects the latency on every request, then runs the three commands as a user would
(subprocesses) and prints wall time per step and the peak RSS of the steps. Target: <= 20 s, <= 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from orkg_sync.snapshot import Snapshot  # noqa: E402
from tests.conftest import SandboxServer  # noqa: E402

KINDS = ["integer"] * 4 + ["decimal"] * 3 + ["date"] * 3 + ["boolean"] * 2 + ["uri"] * 2 + ["string"] * 2
KINDS += ["resource"] * 4
CMP = "R8000000"
STAMP = {"created_at": "2026-12-01T00:00:00Z", "created_by": "00000000-0000-0000-0000-000000000000"}


def _value(kind: str, rng: random.Random) -> tuple[str, str]:
    if kind == "integer":
        return str(rng.randint(1, 10**6)), "xsd:integer"
    if kind == "decimal":
        return f"{rng.random():.3f}", "xsd:decimal"
    if kind == "date":
        return f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "xsd:date"
    if kind == "boolean":
        return rng.choice(["true", "false"]), "xsd:boolean"
    if kind == "uri":
        return f"https://example.org/{rng.randint(1, 10**6)}", "xsd:anyURI"
    return rng.choice(["fast", "slow", "n/a", "see paper", "approx."]), "xsd:string"


def make(n: int, seed: int = 7) -> Snapshot:
    """The shipped snapshot plus comparison R8000000 with ``n`` sources and 20 columns."""
    rng = random.Random(seed)
    snap = Snapshot.load(ROOT / "data" / "r790020.snapshot.json")
    ids = iter(range(8_000_001, 9_000_000))

    def new(kind: str, label: str, **extra: Any) -> str:
        prefix = {"resource": "R", "literal": "L", "predicate": "P"}[kind]
        tid = f"{prefix}{next(ids)}"
        snap.add_thing({"_class": kind, "id": tid, "label": label, **STAMP, **extra})
        return tid

    sid = iter(range(8_000_001, 9_000_000))

    def link(s: str, p: str, o: str) -> None:
        st_id = f"S{next(sid)}"
        snap.statements[st_id] = {"id": st_id, "subject_id": s, "predicate_id": p, "object_id": o, **STAMP}

    snap.add_thing(
        {"_class": "resource", "id": CMP, "label": "Synthetic comparison", "classes": ["Comparison"], **STAMP}
    )
    paper = new("resource", "Synthetic paper", classes=["Paper"])
    preds = [new("predicate", f"{kind} column {i}", description=None) for i, kind in enumerate(KINDS)]
    pools = {
        p: [new("resource", f"{k} {j}", classes=[]) for j in range(12)]
        for p, k in zip(preds, KINDS, strict=True)
        if k == "resource"
    }
    for i in range(n):
        c = new("resource", f"Model {i:04d}", classes=["Contribution"])
        link(CMP, "compareContribution", c)
        link(paper, "P31", c)
        for p, kind in zip(preds, KINDS, strict=True):
            if rng.random() < 0.05:
                continue  # an empty cell
            if kind == "resource":
                link(c, p, rng.choice(pools[p]))
            else:
                label, dt = _value(kind, rng)
                link(c, p, new("literal", label, datatype=dt))
    paths = [
        {"id": p, "label": f"{k} column {i}", "description": None, "type": "PREDICATE", "children": []}
        for i, (p, k) in enumerate(zip(preds, KINDS, strict=True))
    ]
    snap.comparison_tables[CMP] = {"selected_paths": paths}
    return snap


def step(name: str, args: list[str], cwd: Path) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "orkg_sync", *args], cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed ({proc.returncode}): {proc.stderr.strip()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"step": name, "s": wall, "cpu": cpu, "peak_mb": after.ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--latency", type=float, default=50.0, help="ms per request")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        make(args.sources).save(tmp / "seed.json")
        srv = SandboxServer(tmp / "db.sqlite", extra_args=["--snapshot", str(tmp / "seed.json")])
        srv.start()
        try:
            srv.set_faults(latency_ms=args.latency)
            host = ["--host", srv.url]
            rows = [
                step("init", ["init", *host, "--comparison", CMP, "--out", "def"], tmp),
                step(
                    "pull",
                    [
                        "pull",
                        *host,
                        "--comparison",
                        CMP,
                        "--mapping",
                        "def/mapping.toml",
                        "--out",
                        "ws",
                        "--quiet",
                    ],
                    tmp,
                ),
                step(
                    "build",
                    [
                        "build",
                        "--snapshot",
                        "ws/snapshot.json",
                        "--mapping",
                        "def/mapping.toml",
                        "--out",
                        "dist",
                        "--json",
                    ],
                    tmp,
                ),
            ]
            report = json.loads((tmp / "dist" / "validation-report.json").read_text())
            rules = sorted(
                {
                    line.split("=", 1)[1].strip()
                    for line in (tmp / "def" / "mapping.toml").read_text().splitlines()
                    if line.startswith("rule =")
                }
            )
        finally:
            srv.stop()
    total = sum(r["s"] for r in rows)
    cpu = sum(r["cpu"] for r in rows)
    print("| step | wall s | CPU s (client) | peak RSS MB (max so far) |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r['step']} | {r['s']:.2f} | {r['cpu']:.2f} | {r['peak_mb']:.0f} |")
    print(f"| init + pull + build | {total:.2f} | {cpu:.2f} | {max(r['peak_mb'] for r in rows):.0f} |")
    print(f"\nload average during the run: {os.getloadavg()[0]:.1f} (wall time is shared with it)")
    print(
        f"\n{args.sources} sources x {len(KINDS)} columns at {args.latency:.0f} ms; "
        f"rules chosen: {', '.join(rules)}; "
        f"SHACL violations: {report.get('violations')}"
    )


if __name__ == "__main__":
    main()
