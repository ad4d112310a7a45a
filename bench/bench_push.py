"""Push: requests per plan, wall time at 50 ms latency, and a fault soak, against a local sandbox.

Usage: python bench/bench_push.py [--quick]   (quick: 10 soak runs instead of 50)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import SandboxServer  # noqa: E402
from tests.sync.conftest import Workspace, integer, set_value, ym  # noqa: E402
from tests.sync.test_faults import plan_changes  # noqa: E402


def model_slugs(ws: Workspace) -> list[str]:
    base = json.loads((ws.folder / "syncbase.json").read_text())
    import re

    return sorted(
        {re.sub(r"[^a-z0-9]+", "-", m["label"].lower()).strip("-") for m in base["models"].values()}
    )


def value_changes(ws: Workspace, k: int, run: int) -> int:
    """k value changes: every model's date, then parameter lists; returns the models touched."""
    slugs = model_slugs(ws)
    touched = set()
    for i in range(k):
        m = slugs[i % len(slugs)]
        if i < len(slugs):
            ws.edit(set_value(m, "releaseDate", ym(f"{2010 + (i + run) % 15}-{1 + (i + run) % 12:02d}")))
        else:
            n = 1_000_000_000 * (2 + (i + run) % 7)
            ws.edit(set_value(m, "numberOfParameters", integer(n)))
            ws.edit(set_value(m, "minNumberOfParameters", integer(n)))
            ws.edit(set_value(m, "maxNumberOfParameters", integer(n)))
        touched.add(m)
    return len(touched)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rows = ["| measurement | value | target |", "|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        srv = SandboxServer(tmp / "s.sqlite")
        srv.start()
        try:
            ws = Workspace(srv, tmp)
            assert ws.cli("pull", "--quiet", creds=False).returncode == 0
            for k in (1, 10, 50):
                m = value_changes(ws, k, k)
                srv.reset_stats()
                proc = ws.cli("push", "--yes", "--json")
                assert proc.returncode == 0, proc.stderr
                reqs = sum(n for key, n in srv.stats()["endpoints"].items() if "/api/" in key)
                rows.append(
                    f"| requests for k={k} value changes on {m} models | {reqs} | <= {k + 2 * m + 5} |"
                )
            srv.set_faults(latency_ms=50)
            m = value_changes(ws, 50, 99)
            t0 = time.perf_counter()
            proc = ws.cli("push", "--yes", "--json")
            wall = time.perf_counter() - t0
            assert proc.returncode == 0, proc.stderr
            srv.clear_faults()
            rows.append(
                f"| 50 value changes on {m} models, 50 ms latency: wall incl. interpreter start | "
                f"{wall:.2f} s | <= 3 s |"
            )
            runs = 10 if args.quick else 50
            ok = retries = verifications = resumes = 0
            for run in range(runs):
                plan_changes(ws, run)
                srv.set_faults(
                    error_rate=0.1,
                    drop_rate=0.05,
                    commit_drop_rate=0.05,
                    rate_limit_rate=0.0,
                    retry_after=0,
                    seed=1000 + run,
                )
                proc = ws.cli("push", "--yes", "--json")
                while proc.returncode in (3, 6):
                    resumes += 1
                    proc = ws.cli("push", "--yes", "--resume", "--json")
                srv.clear_faults()
                if proc.returncode == 0:
                    out = json.loads(proc.stdout.splitlines()[-1])
                    retries += out.get("retries", 0)
                    verifications += out.get("verifications", 0)
                    in_sync = ws.cli("diff", "--exit-code").returncode == 0
                    ok += int(in_sync)
            rows.append(
                f"| fault soak: runs ending in the planned state (20% faults) | {ok}/{runs} | {runs}/{runs} |"
            )
            rows.append(
                f"| fault soak: write retries / verification reads / resumes | {retries} / {verifications} / "
                f"{resumes} | |"
            )
        finally:
            srv.stop()
    print("\n".join(rows))


if __name__ == "__main__":
    main()
