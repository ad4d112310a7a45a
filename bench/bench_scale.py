"""Build and exports at 1M-10M triples: ours vs the floor vs the previous code, side by side in one run.

Usage: python bench/bench_scale.py [--sizes 1m,5m,10m] [--main DIR]
[--ops floor,build,build-disk,build-memory,exports,build-main]
(``--main``: a checkout of the code to compare with, e.g. ``git archive 4838430 | tar -x -C DIR``, the
commit before the scale work)

floor = plain pyoxigraph: ``bulk_load`` of the same graph's N-Triples + ``dump`` of Turtle, N-Triples
and JSON-LD (unsorted, no mapping, no validation). build = ``orkg_sync.build.build`` + ``write`` from the
synthetic snapshot (bench/synth.py): mapping, SHACL validation, reports, every release file.
build-main = the same with the code in ``--main`` (the previous code). build-disk / build-memory = the
build with its store forced on disk / in memory (``build`` picks: on disk when memory would be
short, ``orkg_sync.build.store_on_disk``).
exports = our byte-stable Turtle / N-Triples / JSON-LD vs the store's own dump of each, on one store.
Every measurement runs in its own process (peak RSS per operation); the load average is printed beside
each figure because the machine is shared. Writes bench/out/scale-results.md.
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

ROOT = Path(__file__).resolve().parent.parent
MODELS = {"100k": 1400, "1m": 13600, "5m": 68000, "10m": 136000}  # synthetic models per size


def child_measure(op: str, snap: str, nt: str, out: str) -> dict[str, Any]:
    import pyoxigraph as ox

    res: dict[str, Any] = {}
    t0 = time.perf_counter()
    if op in ("build", "build-main", "build-disk", "build-memory"):
        from orkg_sync import build as b

        kw = {"build-disk": {"on_disk": True}, "build-memory": {"on_disk": False}}.get(op, {})
        result = b.build(snap, **kw)  # type: ignore[arg-type]
        b.write(result, out)
        res["triples"] = result.triples
    elif op == "floor":
        store = ox.Store()
        store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
        res["load_s"] = time.perf_counter() - t0
        for fmt, ext in (
            (ox.RdfFormat.TURTLE, "ttl"),
            (ox.RdfFormat.N_TRIPLES, "nt"),
            (ox.RdfFormat.JSON_LD, "jsonld"),
        ):
            t = time.perf_counter()
            store.dump(f"{out}.{ext}", format=fmt, from_graph=ox.DefaultGraph())
            res[f"dump_{ext}_s"] = time.perf_counter() - t
        res["triples"] = len(store)
    elif op == "exports":
        from orkg_sync import export

        store = ox.Store()
        store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
        t0 = time.perf_counter()
        for name, fn in (
            ("nt", lambda: export.to_ntriples(store)),
            ("ttl", lambda: export.to_turtle(store)),
            ("jsonld", lambda: export.to_jsonld(store, context_ref="context.jsonld")),
        ):
            t = time.perf_counter()
            fn()
            res[f"ours_{name}_s"] = time.perf_counter() - t
        t = time.perf_counter()
        with export.sorted_ntriples(store) as shared:  # what a build does: one sorted dump for all three
            shared.read_bytes()
            res["shared_nt_s"] = time.perf_counter() - t
            t1 = time.perf_counter()
            export.to_turtle(shared)
            res["shared_ttl_s"] = time.perf_counter() - t1
            t1 = time.perf_counter()
            export.to_jsonld(shared, context_ref="context.jsonld")
            res["shared_jsonld_s"] = time.perf_counter() - t1
        res["ours_all_shared_s"] = time.perf_counter() - t
        for fmt, ext in (
            (ox.RdfFormat.TURTLE, "ttl"),
            (ox.RdfFormat.N_TRIPLES, "nt"),
            (ox.RdfFormat.JSON_LD, "jsonld"),
        ):
            t = time.perf_counter()
            store.dump(format=fmt, from_graph=ox.DefaultGraph())
            res[f"floor_{ext}_s"] = time.perf_counter() - t
        res["triples"] = len(store)
    res["seconds"] = time.perf_counter() - t0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    res["cpu_s"] = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime  # incl. GNU sort
    res["peak_mb"] = max(me.ru_maxrss, kids.ru_maxrss) / 1024
    return res


def run_child(op: str, snap: Path, nt: Path, out: Path, main: Path) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(main if op == "build-main" else ROOT)
    cmd = [sys.executable, __file__, "--child", op, str(snap), str(nt), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=str(out.parent), check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    res: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    res["load"] = os.getloadavg()[0]
    return res


def prepare(size: str, tmp: Path, need_nt: bool = True) -> tuple[Path, Path]:
    """The synthetic snapshot and the N-Triples of its dataset (made by our build, reused by all ops;
    skipped when only builds are measured: at 10M that build alone takes minutes)."""
    snap = tmp / f"snap-{size}.json"
    # in a child process: at 10M the generator peaks at ~5 GB, which this process must not keep
    cmd = [sys.executable, str(ROOT / "bench" / "synth.py"), "--models", str(MODELS[size]), str(snap)]
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if not need_nt:
        return snap, tmp / "none.nt"
    dist = tmp / f"dist-{size}"
    res = run_child(
        "build-memory", snap, tmp / "none.nt", dist, ROOT
    )  # the faster path: only its data.nt is used
    if "error" in res:
        raise SystemExit(f"build failed at {size}: {res['error']}")
    return snap, dist / "data.nt"


def row(size: str, name: str, res: dict[str, Any], floor: dict[str, Any], alt: dict[str, Any]) -> str:
    """Wall and CPU seconds with their ratios (CPU time is the fairer one on a shared machine)."""
    if "error" in res:
        return f"| {size} | {name} | failed: {res['error'][:80]} | | | | | | |"

    def ratio(other: dict[str, Any], key: str) -> str:
        return f"{res[key] / other[key]:.2f}x" if other.get(key) else "-"

    return (
        f"| {size} | {name} | {res['seconds']:.1f} | {res['cpu_s']:.1f} | {res['peak_mb']:.0f} "
        f"| {ratio(floor, 'seconds')} / {ratio(floor, 'cpu_s')} "
        f"| {ratio(alt, 'seconds')} / {ratio(alt, 'cpu_s')} "
        f"| {res['load']:.1f} |"
    )


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        print(json.dumps(child_measure(*sys.argv[2:6])))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1m,5m")
    ap.add_argument("--ops", default="floor,build,exports,build-main")
    ap.add_argument("--main", type=Path, default=Path("/work/main"))
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "scale-results.md")
    args = ap.parse_args()
    ops = args.ops.split(",")
    lines = [
        "| size | operation | wall s | CPU s | peak MB | vs floor (wall / CPU) "
        "| vs previous code (wall / CPU) "
        "| load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    exports = [
        "| size | format | ours s | floor (store dump) s | ratio | load |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-scale.") as tmp_name:
        tmp = Path(tmp_name)
        for size in args.sizes.split(","):
            snap, nt = prepare(size, tmp, need_nt=bool({"floor", "exports"} & set(ops)))
            got = {op: run_child(op, snap, nt, tmp / f"{op}-{size}", args.main) for op in ops}
            floor, alt = got.get("floor", {}), got.get("build-main", {})
            for op in ops:
                if op != "exports":
                    lines.append(
                        row(size, op, got[op], floor if op != "floor" else {}, alt if op == "build" else {})
                    )
                    print(lines[-1], flush=True)
            ex = got.get("exports", {})
            for fmt in ("nt", "ttl", "jsonld"):
                if f"ours_{fmt}_s" in ex:
                    o, f = ex[f"ours_{fmt}_s"], ex[f"floor_{fmt}_s"]
                    exports.append(
                        f"| {size} | {fmt} (alone) | {o:.2f} | {f:.2f} | {o / f:.2f}x | {ex['load']:.1f} |"
                    )
            for fmt in ("nt", "ttl", "jsonld"):
                if f"shared_{fmt}_s" in ex:
                    o, f = ex[f"shared_{fmt}_s"], ex[f"floor_{fmt}_s"]
                    exports.append(
                        f"| {size} | {fmt} (in a build: one shared sort) | {o:.2f} | {f:.2f} | {o / f:.2f}x "
                        f"| {ex['load']:.1f} |"
                    )
            if "ours_all_shared_s" in ex:
                o = ex["ours_all_shared_s"]
                f = sum(ex[f"floor_{x}_s"] for x in ("nt", "ttl", "jsonld"))
                exports.append(
                    f"| {size} | all three, one shared sort | {o:.2f} | {f:.2f} | {o / f:.2f}x "
                    f"| {ex['load']:.1f} |"
                )
            print("\n".join(exports[-7:]), flush=True)
    text = "\n".join(lines) + "\n\n" + "\n".join(exports) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
