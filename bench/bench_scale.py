"""Build and exports at 1M-10M triples: ours vs the floor vs the previous code, side by side in one run.

Usage: python bench/bench_scale.py [--sizes 1m,5m,10m] [--main DIR] [--nt FILE]
[--ops floor,build,build-disk,build-memory,exports and any of them + "-main", e.g. build-memory-main]
(``--main``: a checkout of the code to compare with, e.g. ``git archive 4838430 | tar -x -C DIR``, the
commit before the scale work)

floor = plain pyoxigraph: ``bulk_load`` of the same graph's N-Triples + ``dump`` of Turtle, N-Triples
and JSON-LD (unsorted, no mapping, no validation). build = ``orkg_sync.build.build`` + ``write`` from the
synthetic snapshot (bench/synth.py): mapping, SHACL validation, reports, every release file.
build-main (any op + "-main") = the same with the code in ``--main`` (the previous code). build-disk /
build-memory = the build with its store forced on disk / in memory (``build`` picks: on disk when memory
would be short, ``orkg_sync.build.store_on_disk``).
exports = our byte-stable Turtle / N-Triples / JSON-LD vs the store's own dump of each, on one store
(exports-main: the same with the code in ``--main``); wall and CPU seconds per format. ``--nt`` skips the
build that makes the N-Triples and uses that file (only for the exports ops).
Every measurement runs in its own process: peak RSS of the largest process (``getrusage``) and of the
process tree summed (the build, its JSON-LD process and GNU sort; /proc sampled every 50 ms). The load
average at the start and the end is printed beside each figure because the machine is shared.
Writes bench/out/scale-results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODELS = {"100k": 1400, "1m": 13600, "5m": 68000, "10m": 136000}  # synthetic models per size


def child_measure(op: str, snap: str, nt: str, out: str) -> dict[str, Any]:
    import pyoxigraph as ox

    res: dict[str, Any] = {}
    t0 = time.perf_counter()
    op = op.removesuffix("-main")  # the code is chosen by the import path (run_child)
    if op in ("build", "build-disk", "build-memory"):
        import inspect

        from orkg_sync import build as b

        kw: dict[str, Any] = {"build-disk": {"on_disk": True}, "build-memory": {"on_disk": False}}.get(op, {})
        if "out" in inspect.signature(b.build).parameters:  # stage beside the release (streaming code)
            kw["out"] = out
        result = b.build(snap, **kw)
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
        res.update(_exports(nt))
    res["seconds"] = time.perf_counter() - t0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    res["cpu_s"] = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime  # incl. GNU sort
    res["peak_mb"] = max(me.ru_maxrss, kids.ru_maxrss) / 1024
    return res


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _exports(nt: str) -> dict[str, float]:
    """Each format alone, then all three from one shared sort, then the store's own dumps; wall and CPU
    seconds (incl. GNU sort) of each."""
    import pyoxigraph as ox

    from orkg_sync import export

    store = ox.Store()
    store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
    res: dict[str, float] = {}

    def timed(key: str, fn: Any) -> Any:
        t, c = time.perf_counter(), _cpu()
        out = fn()
        res[f"{key}_s"], res[f"{key}_cpu"] = time.perf_counter() - t, _cpu() - c
        return out

    timed("ours_nt", lambda: export.to_ntriples(store))
    timed("ours_ttl", lambda: export.to_turtle(store))
    timed("ours_jsonld", lambda: export.to_jsonld(store, context_ref="context.jsonld"))
    t, c = time.perf_counter(), _cpu()
    with export.sorted_ntriples(store) as shared:  # what a build does: one sorted dump for all three
        timed("shared_nt", shared.read_bytes)
        res["shared_nt_s"], res["shared_nt_cpu"] = time.perf_counter() - t, _cpu() - c
        timed("shared_ttl", lambda: export.to_turtle(shared))
        timed("shared_jsonld", lambda: export.to_jsonld(shared, context_ref="context.jsonld"))
    res["ours_all_shared_s"] = time.perf_counter() - t
    for fmt, ext in (
        (ox.RdfFormat.TURTLE, "ttl"),
        (ox.RdfFormat.N_TRIPLES, "nt"),
        (ox.RdfFormat.JSON_LD, "jsonld"),
    ):
        timed(f"floor_{ext}", lambda fmt=fmt: store.dump(format=fmt, from_graph=ox.DefaultGraph()))
    res["triples"] = len(store)
    return res


def run_child(op: str, snap: Path, nt: Path, out: Path, main: Path) -> dict[str, Any]:
    """One operation in a process of its own; ``tree_mb``: the peak of the RSS summed over its process
    tree (the build, its JSON-LD process, GNU sort), sampled every 50 ms."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(main if op.endswith("-main") else ROOT)
    cmd = [sys.executable, __file__, "--child", op, str(snap), str(nt), str(out)]
    load0 = os.getloadavg()[0]
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(out.parent)
    ) as proc:
        peak = [0]
        sampler = threading.Thread(target=_sample_tree, args=(proc, peak), daemon=True)
        sampler.start()
        stdout, stderr = proc.communicate()
        sampler.join()
    if proc.returncode != 0:
        return {"error": stderr.strip().splitlines()[-1] if stderr.strip() else "failed"}
    res: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    res["load"] = os.getloadavg()[0]
    res["load_range"] = f"{min(load0, res['load']):.1f}-{max(load0, res['load']):.1f}"
    res["tree_mb"] = peak[0] / (1 << 20)
    return res


def _sample_tree(proc: subprocess.Popen[str], peak: list[int]) -> None:
    while proc.poll() is None:
        peak[0] = max(peak[0], _tree_rss(proc.pid))
        time.sleep(0.05)


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants (from /proc; 0 where it cannot be read)."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parents[int(name)] = int(stat[1])
    tree, todo = {root}, [root]
    while todo:
        pid = todo.pop()
        kids = [p for p, pp in parents.items() if pp == pid and p not in tree]
        tree.update(kids)
        todo.extend(kids)
    total = 0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


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
        return f"| {size} | {name} | failed: {res['error'][:80]} | | | | | | | |"

    def ratio(other: dict[str, Any], key: str) -> str:
        return f"{res[key] / other[key]:.2f}x" if other.get(key) else "-"

    return (
        f"| {size} | {name} | {res['seconds']:.1f} | {res['cpu_s']:.1f} | {res['peak_mb']:.0f} "
        f"| {res['tree_mb']:.0f} "
        f"| {ratio(floor, 'seconds')} / {ratio(floor, 'cpu_s')} "
        f"| {ratio(alt, 'seconds')} / {ratio(alt, 'cpu_s')} / {ratio(alt, 'tree_mb')} "
        f"| {res['load_range']} |"
    )


def export_rows(size: str, code: str, ex: dict[str, Any]) -> list[str]:
    """One row per format alone and in a build (shared sort), with the ratio to the store's own dump."""
    if "error" in ex:
        return [f"| {size} | {code} | failed: {ex['error'][:80]} | | | | | |"]
    out = []
    for how, label in (("ours", "alone"), ("shared", "in a build: one shared sort")):
        for fmt in ("nt", "ttl", "jsonld"):
            o, oc = ex[f"{how}_{fmt}_s"], ex[f"{how}_{fmt}_cpu"]
            f, fc = ex[f"floor_{fmt}_s"], ex[f"floor_{fmt}_cpu"]
            out.append(
                f"| {size} | {code} | {fmt} ({label}) | {o:.2f} | {oc:.2f} | {f:.2f} ({fc:.2f}) "
                f"| {o / f:.2f}x / {oc / fc:.2f}x | {ex['load']:.1f} |"
            )
    o, f = ex["ours_all_shared_s"], sum(ex[f"floor_{x}_s"] for x in ("nt", "ttl", "jsonld"))
    out.append(
        f"| {size} | {code} | all three, one shared sort | {o:.2f} | | {f:.2f} | {o / f:.2f}x "
        f"| {ex['load']:.1f} |"
    )
    return out


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        print(json.dumps(child_measure(*sys.argv[2:6])))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1m,5m")
    ap.add_argument("--ops", default="floor,build,exports,build-main")
    ap.add_argument("--main", type=Path, default=Path("/work/main"))
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "scale-results.md")
    ap.add_argument("--nt", type=Path, default=None, help="N-Triples to export (one size, exports ops only)")
    args = ap.parse_args()
    ops = args.ops.split(",")
    lines = [
        "| size | operation | wall s | CPU s | peak MB (largest process) | peak MB (process tree) "
        "| vs floor (wall / CPU) | vs previous code (wall / CPU / tree peak) | load (start-end) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    exports = [
        "| size | code | format | s | CPU s | store's dump s (CPU s) | ratio wall / CPU | load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-scale.") as tmp_name:
        tmp = Path(tmp_name)
        for size in args.sizes.split(","):
            need_nt = bool({"floor", "exports", "exports-main"} & set(ops))
            snap, nt = (tmp / "none.json", args.nt.resolve()) if args.nt else prepare(size, tmp, need_nt)
            runs = [(op, run_child(op, snap, nt, tmp / f"{op}-{size}", args.main)) for op in ops]
            got = dict(runs)  # an op given twice (alternating runs on a shared machine): one row per run
            floor = got.get("floor", {})
            for op, res in runs:
                if op != "exports":
                    alt = got.get(f"{op}-main", {})  # the same operation with the previous code
                    lines.append(row(size, op, res, floor if op != "floor" else {}, alt))
                    print(lines[-1], flush=True)
            for op in ("exports", "exports-main"):
                if op in got:
                    exports += export_rows(size, "ours" if op == "exports" else "previous code", got[op])
                    print("\n".join(exports[-7:]), flush=True)
    text = "\n".join(lines) + "\n\n" + "\n".join(exports) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
