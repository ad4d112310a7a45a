"""Hostile load over real sockets: runaway queries are killed, others still answer; size limits hold."""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

import requests

from orkg_sync.server.sparql import Limits
from tests.server.conftest import Serve, alive, cpu_seconds, own_cpu_seconds, zygote_children

JSON = {"Accept": "application/sparql-results+json"}
# ~100 fixture triples to the 5th power: hours of work, and nothing is written until it is done
HOSTILE = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
SHIPPED_LIKE = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l "
    "{ ?m a <https://w3id.org/orkg-sync/slm#LanguageModel> ; rdfs:label ?l } ORDER BY ?l"
)


def _zpid(serve: Serve, url: str) -> int:
    requests.post(url + "/sparql", data={"query": "ASK {}"}, timeout=30).raise_for_status()
    pid = serve.zygote_pid(url)
    assert isinstance(pid, int)
    return pid


def test_runaway_query_is_killed_at_the_limit_and_its_cpu_stops(serve: Serve) -> None:
    url = serve(limits=Limits(seconds=1.0))
    zpid = _zpid(serve, url)
    used: dict[int, float] = {}

    def spy() -> None:  # which worker computes while the hostile query runs
        end = time.monotonic() + 0.8
        while time.monotonic() < end:
            for pid in zygote_children(zpid, state="R"):
                used[pid] = max(used.get(pid, 0.0), own_cpu_seconds(pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=spy)
    t0 = time.monotonic()
    watcher.start()
    r = requests.post(url + "/sparql", data={"query": HOSTILE}, headers=JSON, timeout=30)
    took = time.monotonic() - t0
    watcher.join()
    assert r.status_code == 503 and "time limit" in r.text
    assert took <= 1.0 + 1.0, took
    assert used  # the query ran in a worker process: the one that used the most CPU
    burning = {max(used, key=lambda pid: used[pid])}
    deadline = time.monotonic() + 1.0
    while any(alive(p) for p in burning) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(alive(p) for p in burning)  # killed, not merely abandoned
    c0 = cpu_seconds(zpid)
    time.sleep(0.5)
    assert cpu_seconds(zpid) - c0 < 0.1  # nothing of ours computes any more
    assert requests.post(url + "/sparql", data={"query": "ASK {}"}, timeout=30).status_code == 200


def test_simple_queries_answer_while_eight_hostile_ones_run(serve: Serve) -> None:
    url = serve(limits=Limits(seconds=4.0))
    zpid = _zpid(serve, url)
    results: list[int] = []

    def attack() -> None:
        r = requests.post(url + "/sparql", data={"query": HOSTILE}, headers=JSON, timeout=30)
        results.append(r.status_code)

    attackers = [threading.Thread(target=attack) for _ in range(8)]
    for t in attackers:
        t.start()
    deadline = time.monotonic() + 3
    while len(zygote_children(zpid, state="R")) < 8 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(zygote_children(zpid, state="R")) >= 8  # all eight are computing now
    r = requests.post(url + "/sparql", data={"query": "ASK {}"}, headers=JSON, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True
    r = requests.post(url + "/sparql", data={"query": SHIPPED_LIKE}, headers=JSON, timeout=30)
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
    page = requests.get(url + "/model/phi-2", headers={"Accept": "text/turtle"}, timeout=30)
    assert page.status_code == 200
    assert results == []  # answered while the hostile queries were still running
    for t in attackers:
        t.join()
    assert results == [503] * 8
    time.sleep(0.3)
    assert zygote_children(zpid, state="R") == []


def test_memory_hungry_query_is_stopped_and_the_server_lives_on(serve: Serve) -> None:
    url = serve(limits=Limits(seconds=20.0, max_memory=300_000_000))
    _zpid(serve, url)
    sort_all = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?d ?g ?j ?c ?f ?i ?l"
    t0 = time.monotonic()
    r = requests.post(url + "/sparql", data={"query": sort_all}, headers=JSON, timeout=60)
    assert r.status_code in {500, 503}, r.text[:200]
    assert time.monotonic() - t0 < 20  # the memory cap, not the time limit, stopped it
    ok = requests.post(url + "/sparql", data={"query": SHIPPED_LIKE}, headers=JSON, timeout=30)
    assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 3


def test_too_many_running_queries_get_503_not_a_hang(serve: Serve) -> None:
    url = serve(limits=Limits(seconds=3.0, max_running=2, queue_seconds=0.2))
    _zpid(serve, url)
    codes: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: codes.append(
                requests.post(url + "/sparql", data={"query": HOSTILE}, timeout=30).status_code
            )
        )
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    time.sleep(0.5)
    r = requests.post(url + "/sparql", data={"query": "ASK {}"}, timeout=30)
    assert r.status_code == 503 and "busy" in r.text
    for t in threads:
        t.join()
    assert requests.post(url + "/sparql", data={"query": "ASK {}"}, timeout=30).status_code == 200


def _raw(url: str, head: bytes, body: bytes, timeout: float = 10) -> bytes:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as s:
        s.sendall(head + body)
        return s.recv(65536)


def test_body_over_1_mb_is_refused_without_reading_it(serve: Serve) -> None:
    url = serve()
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 300000000\r\n\r\n"
    )
    t0 = time.monotonic()
    answer = _raw(url, head, b"#" * 65536)  # we never send the other 299.9 MB
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - t0 < 5
    r = requests.post(
        url + "/sparql",
        data=b"ASK {} #" + b"x" * 1_100_000,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert r.status_code == 413
    ok = requests.post(url + "/sparql", data={"query": "ASK {} #" + "x" * 50_000}, timeout=30)
    assert ok.status_code == 200  # a long but sane query is fine


def test_query_text_and_url_length_limits(serve: Serve) -> None:
    url = serve(limits=Limits(max_query_chars=10_000))
    r = requests.post(url + "/sparql", data={"query": "ASK {} #" + "x" * 20_000}, timeout=30)
    assert r.status_code == 413 and "query too long" in r.text
    r = requests.get(url + "/sparql", params={"query": "ASK {} #" + "x" * 200_000}, timeout=30)
    assert r.status_code in {413, 414, 431}
    assert requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200
