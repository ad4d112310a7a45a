"""Benchmark runner: pyoxigraph (ours) vs rdflib's memory store (baseline), side by side in one run.

Every measurement runs in its own subprocess so peak RSS is per operation. Writes bench/out/run-results.md
(bench/RESULTS.md collects it with the other benchmarks' figures).
Usage: ``python bench/run.py [--quick]`` (full: 38 and 1400 models = ~103k triples; quick: 38 and 1000).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
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


# ---------------------------------------------------------------- data preparation
def dataset_turtle(models: int, out: Path) -> str:
    """Write the synthetic snapshot (``out`` with .json) and its dataset as Turtle; return a description."""
    import synth

    from orkg_sync import build as b

    snap_path = out.with_suffix(".json")
    synth.make(models).save(snap_path)
    store = b.build_dataset(snap_path)
    out.write_bytes(store.store.dump(format=ox_turtle(), from_graph=default_graph()) or b"")
    return f"synthetic snapshot (bench/synth.py) -> orkg_sync.mapping; {len(store)} triples"


def ox_turtle() -> object:
    import pyoxigraph as ox

    return ox.RdfFormat.TURTLE


def default_graph() -> object:
    import pyoxigraph as ox

    return ox.DefaultGraph()


# ---------------------------------------------------------------- one measurement (child process)
def measure(impl: str, op: str, ttl: str) -> dict[str, float]:
    from orkg_sync import queries

    if op in ("build", "validate", "validate:one-model") or op.startswith("export:"):
        return measure_pipeline(impl, op, ttl)
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


def measure_pipeline(impl: str, op: str, ttl: str) -> dict[str, float]:
    """build / export / validate: our pipeline vs the plain rdflib + pyshacl way of doing the same."""
    import pyoxigraph as ox
    import rdflib

    from orkg_sync import build as b
    from orkg_sync import export

    snap = Path(ttl).with_suffix(".json")
    t0 = time.perf_counter()
    if op == "build":
        if impl == "pyoxigraph":  # ours: map, validate (fast engine when present), render every release file
            b.build(snap, validate=importlib.util.find_spec("orkg_sync.validate") is not None)
        else:  # baseline: same mapping, rdflib graph, pyshacl defaults, rdflib serializers
            store = b.map_snapshot(snap)[2]
            graph = rdflib.Graph()
            graph.parse(data=export.to_ntriples(store), format="nt")
            baseline_validate(graph)
            for fmt in ("turtle", "nt", "json-ld"):
                graph.serialize(format=fmt)
    else:
        data = Path(ttl).read_bytes()
        if impl == "pyoxigraph":
            store = b.DatasetStore()
            store.store.bulk_load(data, ox.RdfFormat.TURTLE)
            t0 = time.perf_counter()
            if op == "export:jsonld":
                export.to_jsonld(store)
            elif op == "export:nt":
                export.to_ntriples(store)
            elif op == "validate:one-model":
                v = importlib.import_module("orkg_sync.validate")
                model = next(iter(store.query(FIRST_MODEL)))["m"].value  # type: ignore[index]
                v.validate(store)  # warm: shapes compiled, vocabulary present
                t0 = time.perf_counter()
                v.validate(store, focus=[model])
            else:
                importlib.import_module("orkg_sync.validate").validate(store)
        else:
            graph = rdflib.Graph()
            graph.parse(data=data, format="turtle")
            t0 = time.perf_counter()
            if op == "export:jsonld":
                graph.serialize(format="json-ld")
            elif op == "export:nt":
                graph.serialize(format="nt")
            elif op == "validate:one-model":
                model = next(iter(graph.query(FIRST_MODEL)))[0]  # type: ignore[index]
                t0 = time.perf_counter()
                baseline_validate(graph, focus=[model])
            else:
                baseline_validate(graph)
    elapsed = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": elapsed, "peak_mb": rss_mb}


FIRST_MODEL = "SELECT ?m WHERE { ?m a <https://w3id.org/orkg-sync/slm#LanguageModel> } ORDER BY ?m LIMIT 1"


def baseline_validate(graph: object, focus: list[object] | None = None) -> None:
    """pyshacl with its defaults on the shipped shapes (skipped when there are no shapes yet)."""
    import pyshacl

    from orkg_sync.resources import shapes_dir

    files = sorted(shapes_dir().glob("*.ttl"))
    if not files:
        return
    import rdflib

    shapes = rdflib.Graph()
    for f in files:
        shapes.parse(f, format="turtle")
    pyshacl.validate(graph, shacl_graph=shapes, focus_nodes=focus)  # type: ignore[arg-type]


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
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "run-results.md")
    args = ap.parse_args()
    from orkg_sync import queries

    scales = [38, 1000] if args.quick else [38, 1400]  # 1400 synthetic models = ~103k triples
    ops = ["build", "parse", "serialize", "export:nt", "export:jsonld"]
    if importlib.util.find_spec("orkg_sync.validate") is not None:
        ops += ["validate", "validate:one-model"]
    ops += [f"query:{n}" for n in queries.list_queries()]
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
                "| operation | ours s | baseline s | ours peak MB | baseline peak MB |",
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
    lines.append(
        "ours = pyoxigraph store, our serializers and (when present) our fast SHACL engine; "
        "baseline = rdflib's memory store, rdflib serializers and pyshacl with defaults. "
        "build = snapshot -> mapping -> validation -> every release file. "
        "Peak MB is the peak RSS of the subprocess that ran the operation (including loading)."
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
