"""Publish at size: `orkg-sync publish` vs a plain streaming HTTP upload (curl -T) vs `oxigraph load`.

Usage: python bench/bench_publish_scale.py FILE.nt [--repeat 1]
Each run gets a fresh, empty Oxigraph server (on-disk store, loopback). ours = the CLI end to end
(interpreter start, streamed PUT, verified count); alternative = ``curl -T FILE`` PUT of the same file
to the same Graph Store URL (no verification); bulk = ``oxigraph load`` of the file into a fresh
store directory with no server (the bulk path docs/publishing.md describes). Prints a table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
GRAPH = "https://w3id.org/orkg-sync/r790020/"


def oxigraph() -> str:
    return shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            requests.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            return proc, url
        except requests.RequestException:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("oxigraph did not start")


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


def one_run(nt: Path, tmp: Path, k: int) -> dict[str, float]:
    out: dict[str, float] = {}
    proc, url = serve(tmp / f"curl{k}")
    try:
        store = f"{url}/store?graph={GRAPH}"
        out["curl"] = timed(
            ["curl", "-sS", "--fail", "-T", str(nt), "-H", "Content-Type: application/n-triples", store]
        )
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    proc, url = serve(tmp / f"ours{k}")
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cmd = [
            sys.executable,
            "-m",
            "orkg_sync",
            "publish",
            "--endpoint",
            url,
            "--input",
            str(nt),
            "--graph",
            GRAPH,
        ]
        out["ours"] = timed(cmd, env)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    out["oxigraph load"] = timed(
        [oxigraph(), "load", "--location", str(tmp / f"bulk{k}"), "--file", str(nt), "--graph", GRAPH]
    )
    for name in ("curl", "ours", "bulk"):
        shutil.rmtree(tmp / f"{name}{k}", ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nt", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    with open(args.nt, "rb") as fh:
        lines = sum(1 for _ in fh)
    print(f"{args.nt}: {lines} triples, {args.nt.stat().st_size / 1e6:.0f} MB")
    print("| run | curl -T s | ours (orkg-sync publish) s | ours / curl | oxigraph load s | load |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-publish.", dir=args.nt.parent) as d:
        for k in range(args.repeat):
            r = one_run(args.nt, Path(d), k)
            print(
                f"| {k + 1} | {r['curl']:.1f} | {r['ours']:.1f} | {r['ours'] / r['curl']:.2f}x "
                f"| {r['oxigraph load']:.1f} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
