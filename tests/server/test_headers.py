"""Response hardening over real sockets: security headers, CORS policy, safe links, no Host trust."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib
import requests

from orkg_sync.publish.metadata import DatasetInfo
from tests.publish.conftest import FIXTURE, free_port
from tests.server.conftest import Serve

ROOT = Path(__file__).resolve().parents[2]
MODEL = "https://w3id.org/orkg-sync/r790020/model/phi-2"
EVIL = "javascript:alert(document.domain)"


def test_security_headers_everywhere(serve: Serve) -> None:
    url = serve()
    for path, accept in [
        ("/", "text/html"),
        ("/model/phi-2", "text/html"),
        ("/model/phi-2", "text/turtle"),
        ("/ontology", "text/html"),
        ("/.well-known/void", "text/turtle"),
        ("/model/nope", "text/html"),
        ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
    ]:
        r = requests.get(url + path, headers={"Accept": accept}, timeout=10)
        h = r.headers
        assert h["X-Content-Type-Options"] == "nosniff", path
        assert h["Referrer-Policy"] == "no-referrer", path
        csp = h["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        if r.headers["Content-Type"].startswith("text/html"):
            nonce = re.search(r"'nonce-([^']+)'", csp)
            assert nonce, path
            scripts = re.findall(r"<script(?![^>]*application/(?:ld\+)?json)([^>]*)>", r.text)
            assert all(f'nonce="{nonce.group(1)}"' in s for s in scripts), path
        else:
            assert csp.startswith("default-src 'none'"), path


def test_cors_only_on_the_public_sparql_endpoint(serve: Serve) -> None:
    url = serve()
    origin = {"Origin": "https://evil.example"}
    r = requests.get(url + "/sparql", params={"query": "ASK {}"}, headers=origin, timeout=10)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in r.headers
    pre = requests.options(url + "/sparql", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204 and pre.headers["Access-Control-Allow-Origin"] == "*"
    for path in ("/", "/model/phi-2", "/.well-known/void", "/download/data.ttl"):
        assert "Access-Control-Allow-Origin" not in requests.get(url + path, headers=origin).headers


def test_only_http_iris_become_links(serve: Serve, store: ox.Store) -> None:
    hostile = ox.Store()
    hostile.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
    see_also = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    for iri in (
        EVIL,
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:x",
        "https://example.org/ok",
    ):
        hostile.add(ox.Quad(ox.NamedNode(MODEL), see_also, ox.NamedNode(iri)))
    info = DatasetInfo(source_comparison=EVIL)
    url = serve(hostile, info=info)
    page = requests.get(url + "/model/phi-2", headers={"Accept": "text/html"}, timeout=10).text
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert "https://example.org/ok" in hrefs
    assert not [h for h in hrefs if re.match(r"\s*(javascript|data|vbscript):", h, re.I)], hrefs
    assert "alert(document.domain)" in page  # still shown, as text
    landing = requests.get(url + "/", timeout=10).text
    assert not re.search(r'href="\s*javascript:', landing, re.I)


def test_void_uses_the_configured_url_never_the_host_header(serve: Serve) -> None:
    url = serve(public_url="https://data.example.org/slm/")
    r = requests.get(
        url + "/.well-known/void",
        headers={"Accept": "text/turtle", "Host": "evil.example", "X-Forwarded-Host": "evil.example"},
        timeout=10,
    )
    assert r.status_code == 200 and "evil.example" not in r.text
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert list(g.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#sparqlEndpoint"))) == [
        rdflib.URIRef("https://data.example.org/slm/sparql")
    ]
    bare = serve(public_url=None)
    r = requests.get(bare + "/.well-known/void", headers={"Accept": "text/turtle", "Host": "evil.example"})
    assert "evil.example" not in r.text


def _serve_cli(*args: str) -> tuple[subprocess.Popen[str], str, int]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "orkg_sync", "serve", "--input", str(FIXTURE), "--port", str(port), *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stderr is not None
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        if line.startswith("serving") or not line:
            break
    return proc, "".join(lines), port


def test_non_loopback_bind_prints_a_warning() -> None:
    proc, err, port = _serve_cli("--bind", "0.0.0.0")
    try:
        assert err.startswith("warning: binding 0.0.0.0, not loopback"), err
        assert len(err.splitlines()) == 2
        for _ in range(100):
            try:
                r = requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    proc, err, _ = _serve_cli("--bind", "127.0.0.1")
    proc.terminate()
    proc.wait(timeout=10)
    assert "warning" not in err and err.startswith("serving")
