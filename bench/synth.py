"""Synthetic ORKG-native snapshots at scale, with the real table's value distributions and oddities.

Each column of ``data/reconstruction/r790020.csv`` is sampled independently from its real cells
(so empty cells, unknown markers, case variants, unpadded dates and messy parameter styles keep
their frequencies); extra noise adds re-styled sizes (``500M`` vs ``0.5B``, ranges), duplicate
labels and out-of-range sizes. The rows go through the same builder as the shipped snapshot
(``make_snapshot.build``), so the output has exactly the shipped structure. Deterministic per seed.

Usage: ``python bench/synth.py --models 1000 --seed 7 OUT.json``
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "data" / "reconstruction"))
sys.path.insert(0, str(ROOT))

import make_snapshot  # noqa: E402

from orkg_sync.snapshot import Snapshot  # noqa: E402

REAL_CSV = ROOT / "data" / "reconstruction" / "r790020.csv"
SCALES = {"real": 38, "medium": 1000, "large": 10000}


def _restyle_size(rng: random.Random) -> str:
    """A size written the ways the real table writes them (lists, ranges, mixed units, outliers)."""
    style = rng.random()
    millions = rng.choice([125, 135, 350, 360, 500, 1100, 1700, 2700, 3800, 7000, 13000])
    as_b = f"{millions / 1000:g}B"
    as_m = f"{millions}M"
    if style < 0.3:
        return as_b if millions >= 1000 else as_m
    if style < 0.45:
        return as_b  # 0.5B instead of 500M
    if style < 0.65:
        return f"{as_m}; {rng.choice(['1B', '3B', '4B'])}"
    if style < 0.8:
        return f"{as_m}, {rng.choice(['360M', '1.7B'])}, {rng.choice(['3B', '7B'])}"
    if style < 0.9:
        return f"{as_m}-{rng.choice(['2.7B', '13B'])}"
    return rng.choice(["20M", "70B", "175B", "unknown", "~1B"])  # out of range / unparseable


def synth_rows(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    with REAL_CSV.open(encoding="utf-8", newline="") as fh:
        real = list(csv.DictReader(fh))
    cols = list(real[0].keys())
    rows: list[dict[str, str]] = []
    for i in range(n):
        row = {c: rng.choice(real)[c] for c in cols}
        base = rng.choice(real)["model"]
        # about 2% duplicate labels on purpose; otherwise a unique numbered variant
        row["model"] = base if rng.random() < 0.02 else f"{base} S{i:05d}"
        if rng.random() < 0.5:
            row["parameters"] = _restyle_size(rng)
        if rng.random() < 0.1 and row["paradigm"]:
            row["paradigm"] = rng.choice([row["paradigm"].lower(), row["paradigm"].upper()])
        if rng.random() < 0.2:
            year, month = rng.randint(2019, 2025), rng.randint(1, 12)
            row["date"] = f"{year}.{month}"  # unpadded, 2023.1 vs 2023.10 as in the real table
            row["date_iso"] = f"{year}-{month:02d}"
        rows.append(row)
    return rows


def make(n: int, seed: int = 7) -> Snapshot:
    """Build a synthetic snapshot with ``n`` models."""
    rows = synth_rows(n, seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synth.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
        return make_snapshot.build(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--models", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    snap = make(args.models, args.seed)
    snap.save(args.out)
    print(f"wrote {args.out}: {len(snap.statements)} statements")


if __name__ == "__main__":
    main()
