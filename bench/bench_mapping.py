"""Time snapshot_to_rdf on a synthetic snapshot: the shipped 38 contributions cloned N times.

Usage: python bench/bench_mapping.py [--quick] [--models 10000]
"""

from __future__ import annotations

import argparse
import copy
import time

from orkg_sync.mapping import load_mapping, snapshot_to_rdf
from orkg_sync.resources import default_snapshot
from orkg_sync.snapshot import Snapshot


def synthetic(n_models: int) -> Snapshot:
    """Clone the seed's contributions (same values and oddities) until there are ``n_models``."""
    seed = Snapshot.load(default_snapshot())
    snap = copy.deepcopy(seed)
    comp = str(seed.comparison.get("head_id") or seed.comparison["id"])
    contribs = seed.sources_of(comp)
    outgoing = {c: seed.statements_from(c) for c in contribs}
    k, count = 0, len(contribs)
    while count < n_models:
        k += 1
        for c in contribs:
            new = f"R{8000000 + k * 1000 + contribs.index(c)}"
            res = dict(seed.resources[c], id=new, label=f"{seed.resources[c]['label']} x{k}")
            snap.resources[new] = res
            sid = f"S{80000000 + k * 1000 + contribs.index(c) * 20}"
            snap.statements[sid] = {
                "id": sid,
                "subject_id": comp,
                "predicate_id": "compareContribution",
                "object_id": new,
            }
            for j, st in enumerate(outgoing[c]):
                s2 = f"S{80000000 + k * 1000 + contribs.index(c) * 20 + j + 1}"
                snap.statements[s2] = dict(st, id=s2, subject_id=new)
            count += 1
            if count >= n_models:
                break
    return snap


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="1,000 models instead of 10,000")
    ap.add_argument("--models", type=int, default=10_000)
    args = ap.parse_args()
    n = 1_000 if args.quick else args.models
    snap = synthetic(n)
    mapping = load_mapping()
    t0 = time.perf_counter()
    res = snapshot_to_rdf(snap, mapping)
    dt = time.perf_counter() - t0
    print(
        f"snapshot_to_rdf: {len(res.models)} models, {len(res.quads)} quads, "
        f"{len(res.warnings)} warnings in {dt:.3f} s"
    )


if __name__ == "__main__":
    main()
