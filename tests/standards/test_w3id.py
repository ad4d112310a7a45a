"""The w3id.org redirect rules of docs/w3id.md against our server: every IRI we mint resolves to RDF.

The rules are read from the documentation (the block that goes into perma-id/w3id.org), so the test checks
what we would register. The evaluator implements the mod_rewrite subset the rules use, nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "https://w3id.org/orkg-sync/"
BASE = PREFIX + "r790020/"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


@dataclass
class Rule:
    conds: list[re.Pattern[str]]
    pattern: re.Pattern[str]
    target: str
    status: int


def read_rules(host: str) -> list[Rule]:
    text = (ROOT / "docs" / "w3id.md").read_text(encoding="utf-8")
    block = re.search(r"```apache\n(.*?)```", text, re.S)
    assert block, "docs/w3id.md has no ```apache block"
    rules: list[Rule] = []
    conds: list[re.Pattern[str]] = []
    for line in block.group(1).splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#") or parts[0] in ("Options", "RewriteEngine"):
            continue
        if parts[0] == "RewriteCond":
            assert parts[1] == "%{HTTP_ACCEPT}", line
            conds.append(re.compile(parts[2]))
        elif parts[0] == "RewriteRule":
            flags = dict(f.split("=") if "=" in f else (f, "") for f in parts[3].strip("[]").split(","))
            assert set(flags) == {"R", "L"}, line
            rules.append(Rule(conds, re.compile(parts[1]), parts[2].replace("HOST", host), int(flags["R"])))
            conds = []
        else:
            raise AssertionError(f"unsupported directive: {line}")
    return rules


def redirect(rules: list[Rule], iri: str, accept: str) -> tuple[int, str] | None:
    """(status, Location) the rules give for a request of ``iri`` (fragment dropped), or None (404)."""
    path = iri.split("#", 1)[0][len(PREFIX) :]
    for r in rules:
        m = r.pattern.search(path)
        if m and all(c.search(accept) for c in r.conds):
            return r.status, m.expand(r.target.replace("$", "\\"))
    return None


@pytest.fixture(scope="module")
def rules(served: str) -> list[Rule]:
    return read_rules(served.removeprefix("http://") + "/__https__")


def fetch(served: str, location: str, accept: str) -> requests.Response:
    # HOST stands for an HTTPS host; here it is our loopback server (marker removed)
    url = location.replace("https://" + served.removeprefix("http://") + "/__https__", served)
    return requests.get(url, headers={"Accept": accept}, timeout=10, allow_redirects=False)


def minted(dist: Path) -> list[str]:
    void = rdflib.Graph().parse(dist / "void.ttl", format="turtle")
    iris = {str(t) for triple in void for t in triple if isinstance(t, rdflib.URIRef)}
    for name in ("data.ttl", "validation-report.ttl"):
        g = rdflib.Graph().parse(dist / name, format="turtle")
        iris |= {str(s) for s in g.subjects() if isinstance(s, rdflib.URIRef)}
    return sorted(i for i in iris if i.startswith(PREFIX))


def test_every_minted_iri_resolves_to_rdf(dist: Path, served: str, rules: list[Rule]) -> None:
    iris = minted(dist)
    assert len(iris) > 500
    kinds = {i[len(BASE) :].split("/", 1)[0] for i in iris if i.startswith(BASE)}
    assert {"model", "record", "distribution", "void", "activity", "agent", "validation", "download"} <= kinds
    failures = []
    for iri in iris:
        status, location = redirect(rules, iri, "text/turtle") or (404, "")
        r = fetch(served, location, "text/turtle") if status in (303, 307) else None
        if r is None or r.status_code != 200:
            failures.append((iri, status, r.status_code if r is not None else None))
            continue
        if "/download/" in location and not location.endswith(".ttl"):
            continue  # a JSON/HTML/TOML file: 200 is the answer
        g = rdflib.Graph().parse(data=r.content, format="turtle", publicID=iri)
        if len(g) == 0:
            failures.append((iri, "empty", location))
    assert failures == []


@pytest.mark.parametrize("accept", sorted(RDF_TYPES))
def test_each_rdf_type_for_each_kind_of_iri(served: str, rules: list[Rule], accept: str) -> None:
    for iri in (
        BASE,
        BASE + "model/phi-2",
        BASE + "distribution/data.ttl",
        BASE + "activity/orkg-sync-0.1.0",
        BASE + "agent/0",
        BASE + "sparql",
        PREFIX + "slm/vocab/attention/gqa",
        PREFIX + "slm#LanguageModel",
    ):
        status, location = redirect(rules, iri, accept) or (404, "")
        r = fetch(served, location, accept)
        assert status in (303, 307) and r.status_code == 200, (iri, location, r.status_code)
        assert r.headers["Content-Type"].split(";")[0] == accept, (iri, r.headers["Content-Type"])
        fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}.get(
            accept, ox.RdfFormat.N_TRIPLES if accept == "application/n-triples" else ox.RdfFormat.RDF_XML
        )
        assert list(ox.parse(r.content, format=fmt, base_iri=iri)), iri


def test_rules_separate_the_ontology_file_from_its_page(rules: list[Rule]) -> None:
    turtle = redirect(rules, PREFIX + "slm#releaseDate", "text/turtle")
    page = redirect(rules, PREFIX + "slm#releaseDate", "text/html")
    assert turtle and turtle[1].endswith("/download/ontology/slm.ttl") and turtle[0] == 303
    assert page and page[1].endswith("/ontology") and page[0] == 303
    assert redirect(rules, PREFIX + "unregistered/x", "text/turtle") is None
