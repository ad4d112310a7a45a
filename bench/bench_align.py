"""Time the alignment materialisation (orkg_sync.publish.align.materialise) on a synthetic dataset.

python bench/bench_align.py [N_MODELS]   (default 5000: ~100k data triples)
"""

from __future__ import annotations

import sys
import time

from bench.synth import make
from orkg_sync.build import vocabulary_quads
from orkg_sync.mapping import load_mapping, snapshot_to_rdf
from orkg_sync.publish.align import materialise
from orkg_sync.store import DatasetStore


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    store = DatasetStore()
    store.add_quads(snapshot_to_rdf(make(n), load_mapping()).quads)
    store.add_quads(vocabulary_quads())
    before = len(store.store)
    start = time.perf_counter()
    added = materialise(store.store)
    took = time.perf_counter() - start
    print(f"{n} models, {before} triples: {added} aligned triples in {took:.2f} s")


if __name__ == "__main__":
    main()
