"""Two concurrent pushers from separate workspaces adding the same and different models.

Usage: python bench/bench_concurrency.py [--runs N]   (default 20: the issue's target)
Each run pulls two fresh workspaces, both add "Shared <run>" (same date on even runs, different on odd
runs) and one model of their own, and push at the same moment. Counted on the sandbox afterwards:
duplicate models, dropped sources, duplicate values, and whether a differing overlapping cell was
reported as a conflict (exit 5) by one of the two.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import SandboxServer  # noqa: E402
from tests.sync.conftest import Workspace  # noqa: E402
from tests.sync.test_concurrency import add_model, paper_contributions, two_pushers  # noqa: E402


def one_run(srv: SandboxServer, tmp: Path, run: int) -> dict[str, int]:
    a, b = Workspace(srv, tmp / f"a{run}"), Workspace(srv, tmp / f"b{run}")
    for ws in (a, b):
        ws.root.mkdir()
        assert ws.cli("pull", "--quiet", creds=False).returncode == 0
    same = run % 2 == 0
    a.edit(add_model(f"shared-{run}", f"Shared {run}", "2025-01"))
    b.edit(add_model(f"shared-{run}", f"Shared {run}", "2025-01" if same else "2025-02"))
    a.edit(add_model(f"alpha-{run}", f"Alpha {run}", "2025-03"))
    b.edit(add_model(f"beta-{run}", f"Beta {run}", "2025-04"))
    pa, pb = two_pushers(a, b)
    codes = sorted((pa.returncode, pb.returncode))
    shared = paper_contributions(a, f"Shared {run}")
    sources = set(a.head_sources())
    dropped = sum(
        1
        for label in (f"Shared {run}", f"Alpha {run}", f"Beta {run}")
        if not set(paper_contributions(a, label)) & sources
    )
    dates = a.remote(shared[0]).get("Date", []) if shared else []
    return {
        "duplicate_models": max(0, len(shared) - 1),
        "dropped_sources": dropped,
        "duplicate_values": max(0, len(dates) - 1),
        "overlaps": 0 if same else 1,
        "overlaps_reported": int(not same and codes == [0, 5]),
        "clean_same": int(same and codes == [0, 0]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    totals: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        srv = SandboxServer(tmp / "s.sqlite")
        srv.start()
        try:
            for run in range(args.runs):
                for k, v in one_run(srv, tmp, run).items():
                    totals[k] = totals.get(k, 0) + v
        finally:
            srv.stop()
    same_runs = (args.runs + 1) // 2
    print("| measurement | value | target |\n|---|---|---|")
    print(f"| runs of two concurrent pushers | {args.runs} | 20 |")
    print(f"| duplicate models | {totals['duplicate_models']} | 0 |")
    print(f"| dropped sources | {totals['dropped_sources']} | 0 |")
    print(f"| duplicate values in the shared model's cell | {totals['duplicate_values']} | 0 |")
    print(
        f"| differing overlapping cells reported as a conflict by one pusher | "
        f"{totals['overlaps_reported']}/{totals['overlaps']} | all |"
    )
    print(f"| identical additions: both pushes exit 0 | {totals['clean_same']}/{same_runs} | all |")


if __name__ == "__main__":
    main()
