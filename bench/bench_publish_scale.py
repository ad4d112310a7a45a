"""Publish at size: `orkg-sync publish` vs a plain streaming HTTP upload (curl -T) vs `oxigraph load`.

Usage: python bench/bench_publish_scale.py FILE.nt [--paths bulk,put] [--repeat 1] [--replace] [--no-offline]

For each path, side by side in one run, each on a fresh, empty Oxigraph server (on-disk store, loopback):
ours = the CLI end to end (interpreter start, local syntax check, streamed PUT, verified count);
alternative = ``curl -T FILE`` PUT of the same file to the same Graph Store URL with the same parameters
(no verification). Paths: ``put`` = the default transactional PUT (``?graph=G``); ``bulk`` = ``publish
--bulk`` (``?graph=G&no_transaction&lenient``, the server's bulk loader). ``--replace`` first loads the
file into the target (untimed), so the timed upload replaces a full graph. offline = ``oxigraph load``
of the file into a fresh store directory with no server. CPU seconds: the client (curl, or our process
incl. its children) and the server process. The load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import os
import resource
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
PARAMS = {"put": "", "bulk": "&no_transaction&lenient"}


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


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(wall s, client CPU s, load average at the end)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed: {proc.stderr.decode(errors='replace')[-500:]}")
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, os.getloadavg()[0]


def on_server(location: Path, nt: Path, cmd_for: object, replace: bool) -> dict[str, float]:
    proc, url = serve(location)
    try:
        if replace:
            store = f"{url}/store?graph={GRAPH}&no_transaction&lenient"
            subprocess.run(["curl", "-sS", "--fail", "-T", str(nt), store], check=True, capture_output=True)
        cpu0 = proc_cpu(proc.pid)
        wall, cpu, load = timed(*cmd_for(url))  # type: ignore[operator]
        return {"wall": wall, "cpu": cpu, "server_cpu": proc_cpu(proc.pid) - cpu0, "load": load}
    finally:
        proc.terminate()
        proc.wait(timeout=600)
        shutil.rmtree(location, ignore_errors=True)


def one_path(nt: Path, tmp: Path, path: str, replace: bool) -> dict[str, dict[str, float]]:
    def curl(url: str) -> tuple[list[str]]:
        store = f"{url}/store?graph={GRAPH}{PARAMS[path]}"
        return (["curl", "-sS", "--fail", "-T", str(nt), "-H", "Content-Type: application/n-triples", store],)

    def ours(url: str) -> tuple[list[str], dict[str, str]]:
        cmd = [sys.executable, "-m", "orkg_sync", "publish", "--service", url, "--input", str(nt)]
        cmd += ["--graph", GRAPH] + (["--bulk"] if path == "bulk" else [])
        return cmd, {**os.environ, "PYTHONPATH": str(ROOT)}

    return {
        "curl": on_server(tmp / f"curl-{path}", nt, curl, replace),
        "ours": on_server(tmp / f"ours-{path}", nt, ours, replace),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nt", type=Path)
    ap.add_argument("--paths", default="bulk,put")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--replace", action="store_true", help="the target already holds the file's triples")
    ap.add_argument("--no-offline", action="store_true", help="skip the `oxigraph load` baseline")
    args = ap.parse_args()
    with open(args.nt, "rb") as fh:
        lines = sum(1 for _ in fh)
    print(f"{args.nt}: {lines} triples, {args.nt.stat().st_size / 1e6:.0f} MB, replace={args.replace}")
    print(
        "| run | path | curl -T s (CPU client / server) | load | ours s (CPU client / server) | load "
        "| ours / curl |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-publish.", dir=args.nt.parent) as d:
        for k in range(args.repeat):
            for path in args.paths.split(","):
                r = one_path(args.nt, Path(d), path, args.replace)
                c, o = r["curl"], r["ours"]
                print(
                    f"| {k + 1} | {path} | {c['wall']:.1f} ({c['cpu']:.1f} / {c['server_cpu']:.1f}) "
                    f"| {c['load']:.1f} | {o['wall']:.1f} ({o['cpu']:.1f} / {o['server_cpu']:.1f}) "
                    f"| {o['load']:.1f} | {o['wall'] / c['wall']:.2f}x |",
                    flush=True,
                )
            if not args.no_offline:
                cmd = [oxigraph(), "load", "--location", str(Path(d) / "offline"), "--file", str(args.nt)]
                wall, cpu, load = timed([*cmd, "--graph", GRAPH])
                shutil.rmtree(Path(d) / "offline", ignore_errors=True)
                print(f"| {k + 1} | offline `oxigraph load` | {wall:.1f} ({cpu:.1f}) | {load:.1f} | | | |")


if __name__ == "__main__":
    main()
