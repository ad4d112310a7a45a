"""Benchmark runner: pyoxigraph (ours) vs rdflib's memory store (baseline), side by side in one run.

Every measurement runs in its own subprocess so peak RSS is per operation. Writes bench/RESULTS.md.
Usage: ``python bench/run.py [--quick]`` (quick: scales 38 and 1000 only).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FIXTURE = ROOT / "tests" / "store" / "fixture.ttl"


# ---------------------------------------------------------------- data preparation
def dataset_turtle(models: int, out: Path) -> str:
    """Write the dataset for ``models`` synthetic models as Turtle; return how it was made.

    HOOK(build): once ``orkg_sync.mapping`` lands this uses snapshot -> mapping -> RDF; until then it
    replicates the contract-shaped test fixture (same triple shapes, renamed subjects).
    """
    import pyoxigraph as ox

    try:
        mapping = importlib.import_module("orkg_sync.mapping")
        import synth

        snap = synth.make(models)
        result = mapping.snapshot_to_rdf(snap, mapping.load_mapping())
        store = ox.Store()
        store.extend(result.quads)
        how = "synthetic snapshot (bench/synth.py) -> orkg_sync.mapping"
    except ImportError:
        text = FIXTURE.read_text(encoding="utf-8")
        head = "\n".join(line for line in text.splitlines() if line.startswith("@prefix"))
        body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
        copies = max(1, models // 4)  # the fixture has 4 models
        parts = [head] + [
            body.replace("r:model\\/", f"r:model\\/c{i}-").replace("r:record\\/", f"r:record\\/c{i}-")
            for i in range(copies)
        ]
        store = ox.Store()
        store.load("\n".join(parts).encode("utf-8"), ox.RdfFormat.TURTLE)
        how = "replicated tests/store/fixture.ttl (mapping not available yet)"
    data = store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    assert data is not None
    out.write_bytes(data)
    return f"{how}; {len(store)} triples"


# ---------------------------------------------------------------- one measurement (child process)
def measure(impl: str, op: str, ttl: str) -> dict[str, float]:
    from orkg_sync import queries

    data = Path(ttl).read_bytes()
    if impl == "pyoxigraph":
        import pyoxigraph as ox

        t0 = time.perf_counter()
        store = ox.Store()
        store.bulk_load(data, ox.RdfFormat.TURTLE)
        parse = time.perf_counter() - t0
        t0 = time.perf_counter()
        if op == "serialize":
            store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
        elif op.startswith("query:"):
            list(store.query(queries.load_query(op[6:])[1]))
    else:
        import rdflib

        t0 = time.perf_counter()
        graph = rdflib.Graph()
        graph.parse(data=data, format="turtle")
        parse = time.perf_counter() - t0
        t0 = time.perf_counter()
        if op == "serialize":
            graph.serialize(format="turtle")
        elif op.startswith("query:"):
            list(graph.query(queries.load_query(op[6:])[1]))
    elapsed = parse if op == "parse" else time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": elapsed, "peak_mb": rss_mb}


def child(impl: str, op: str, ttl: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", impl, op, ttl], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- report
def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    from importlib.metadata import version

    libs = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "rdflib", "pyshacl"))
    return (
        f"- nproc: {os.cpu_count()}\n- CPU: {cpu}\n- RAM: {mem_kb / 1024 / 1024:.1f} GiB\n"
        f"- Python {platform.python_version()} ({platform.platform()})\n- {libs}\n"
    )


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], sys.argv[3], sys.argv[4])))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small scales only")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = ap.parse_args()
    from orkg_sync import queries

    scales = [38, 1000] if args.quick else [38, 1000, 10000]
    ops = ["parse", "serialize"] + [f"query:{n}" for n in queries.list_queries()]
    # HOOK(build/validate): the coordinator adds "build" and "validate" (fast engine vs pyshacl defaults)
    # here once orkg_sync.build / orkg_sync.validate land, e.g. ops += ["build", "validate"].
    lines = [
        "# Benchmark results",
        "",
        "Generated by `python bench/run.py" + (" --quick" if args.quick else "") + "`.",
        "",
    ]
    lines += ["## Machine", "", machine(), ""]
    with tempfile.TemporaryDirectory() as tmp:
        for models in scales:
            ttl = Path(tmp) / f"d{models}.ttl"
            how = dataset_turtle(models, ttl)
            lines += [f"## {models} models: {how}", ""]
            lines += [
                "| operation | pyoxigraph s | rdflib s | pyoxigraph peak MB | rdflib peak MB |",
                "|---|---|---|---|---|",
            ]
            for op in ops:
                ours, base = child("pyoxigraph", op, str(ttl)), child("rdflib", op, str(ttl))
                lines.append(
                    f"| {op} | {ours['seconds']:.4f} | {base['seconds']:.4f} | "
                    f"{ours['peak_mb']:.0f} | {base['peak_mb']:.0f} |"
                )
                print(lines[-1], flush=True)
            lines.append("")
    lines.append("Peak MB is the peak RSS of the subprocess that ran the operation (including the parse).")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
