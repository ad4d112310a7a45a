"""publish/query against a real Oxigraph server process over loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from orkg_sync.cli.main import main
from orkg_sync.errors import InputError, RemoteError
from orkg_sync.publish.gsp import Endpoints, count_triples, publish_ntriples, rows_from_json, run_remote_query

G = "https://w3id.org/orkg-sync/r790020/"


@pytest.mark.parametrize("strategy", ["put", "move"])
def test_publish_replaces_graph_and_verifies(oxigraph_server: str, release: Path, strategy: str) -> None:
    ep = Endpoints.from_base(oxigraph_server)
    nt = (release / "data.nt").read_bytes()
    n = len(nt.splitlines())
    stale = b"<urn:x> <urn:p> <urn:o> .\n"
    assert publish_ntriples(ep, stale, G, strategy=strategy) == 1
    assert publish_ntriples(ep, nt, G, strategy=strategy) == n
    assert count_triples(ep, G) == n  # replaced, not appended
    rows = rows_from_json(
        run_remote_query(ep.query, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    )
    assert rows == [{"g": G, "n": str(n)}]  # no temporary graph left


@pytest.mark.parametrize("strategy", ["put", "move"])
def test_rejected_upload_leaves_target_untouched(oxigraph_server: str, release: Path, strategy: str) -> None:
    ep = Endpoints.from_base(oxigraph_server)
    publish_ntriples(ep, (release / "data.nt").read_bytes(), G)
    before = count_triples(ep, G)
    with pytest.raises(RemoteError, match="HTTP 400"):
        publish_ntriples(
            ep, b"<urn:a> <urn:b> <urn:c> .\n<urn:x> this is not n-triples\n", G, strategy=strategy
        )
    assert count_triples(ep, G) == before
    graphs = requests.post(
        ep.query,
        data={"query": "SELECT DISTINCT ?g { GRAPH ?g {?s ?p ?o} }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=5,
    ).json()
    assert [b["g"]["value"] for b in graphs["results"]["bindings"]] == [G]


def test_malformed_remote_query_is_input_error(oxigraph_server: str) -> None:
    with pytest.raises(InputError, match="HTTP 400"):
        run_remote_query(oxigraph_server + "/query", "SELEC nonsense", "json")


def test_cli_publish_and_unreachable(oxigraph_server: str, release: Path) -> None:
    from tests.publish.conftest import free_port

    r = CliRunner().invoke(
        main, ["publish", "--service", oxigraph_server, "--input", str(release / "data.nt")]
    )
    assert r.exit_code == 0, r.output
    assert "published" in r.output
    dead = f"http://127.0.0.1:{free_port()}"
    r = CliRunner().invoke(main, ["publish", "--service", dead, "--input", str(release / "data.nt")])
    assert r.exit_code == 3
    assert r.output.strip().startswith("error: upload: cannot reach")
    r = CliRunner().invoke(
        main, ["publish", "--service", "http://example.org/x", "--input", str(release / "data.nt")]
    )
    assert r.exit_code == 2 and "only allowed for loopback" in r.output
