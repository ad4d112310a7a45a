"""Benchmarks for issue 6: serve latency per shipped query, 8-client soak, publish into Oxigraph.

Targets: each shipped query over HTTP <= 100 ms on a 100k-triple synthetic graph; 8 concurrent clients
for 30 s without errors; publish of the 100k triples into an Oxigraph server <= 5 s.
Run: ``python bench/bench_publish.py [--quick]`` (quick: 20k triples, 5 s soak). Servers bind loopback only.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

SLM = "https://w3id.org/orkg-sync/slm#"
BASE = "https://w3id.org/orkg-sync/r790020/"
VOCAB = "https://w3id.org/orkg-sync/slm/vocab/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ATTN = ["gqa", "mha", "mqa", "sliding-window", "flash"]


def synthetic_ntriples(target: int) -> bytes:
    """The real pipeline's output for a synthetic comparison (bench/synth.py) of about ``target`` triples."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import synth

    from orkg_sync import export
    from orkg_sync.build import build_dataset

    models = max(2, target * 1400 // 103_000)  # ~74 triples per model, vocabularies included
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.json"
        synth.make(models).save(path)
        return export.to_ntriples(build_dataset(path))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str) -> None:
    for _ in range(600):
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def shipped_queries() -> dict[str, str]:
    from orkg_sync.server.app import _examples

    return _examples()


def bench_serve(nt: Path, soak_s: float) -> bool:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "orkg_sync", "serve", "--input", str(nt), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    ok = True
    model_type = f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SLM}LanguageModel> ."
    pages = [
        line.split(" ", 1)[0][1:-1].removeprefix(BASE)
        for line in nt.read_text(encoding="utf-8").splitlines()
        if line.endswith(model_type)
    ][:100]
    try:
        wait(url + "/sparql?query=ASK%7B%7D")
        s = requests.Session()
        for name, q in shipped_queries().items():
            times = []
            for _ in range(10):
                t0 = time.perf_counter()
                r = s.post(
                    url + "/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+json"}
                )
                times.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
            med, worst = statistics.median(times), max(times)
            ok &= med <= 100
            print(f"serve query {name}: median {med:.1f} ms, max {worst:.1f} ms (target <= 100 ms)")
        errors, done = [0], [0]
        stop = time.monotonic() + soak_s
        queries = [*shipped_queries().values(), "__page__"]

        def client(k: int) -> None:
            sess = requests.Session()
            j = k
            while time.monotonic() < stop:
                q = queries[j % len(queries)]
                j += 1
                try:
                    if q == "__page__":
                        r = sess.get(f"{url}/{pages[j % len(pages)]}", headers={"Accept": "text/turtle"})
                    else:
                        r = sess.post(url + "/sparql", data={"query": q})
                    if r.status_code != 200:
                        errors[0] += 1
                except requests.RequestException:
                    errors[0] += 1
                done[0] += 1

        threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ok &= errors[0] == 0
        print(f"soak: 8 clients x {soak_s:.0f} s: {done[0]} requests, {errors[0]} errors")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return ok


def bench_publish(nt: Path, tmp: Path) -> bool:
    from orkg_sync.publish.gsp import Endpoints, publish_ntriples

    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(tmp / "oxi"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait(base + "/query?query=ASK%7B%7D")
        data = nt.read_bytes()
        t0 = time.perf_counter()
        n = publish_ntriples(Endpoints.from_base(base), data, BASE)
        dt = time.perf_counter() - t0
        print(f"publish: {n} triples into Oxigraph in {dt:.2f} s (target <= 5 s)")
        return dt <= 5
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="20k triples and a 5 s soak (smoke run)")
    args = ap.parse_args()
    triples, soak = (20_000, 5.0) if args.quick else (100_000, 30.0)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        nt = tmp / "synthetic.nt"
        data = synthetic_ntriples(triples)
        nt.write_bytes(data)
        n = len(data.splitlines())
        print(f"synthetic graph (bench/synth.py through the mapping): {n} triples")
        ok = bench_serve(nt, soak)
        ok &= bench_publish(nt, tmp)
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
