"""publish --service and query --query-url against a real Virtuoso: replace-not-append, verified counts."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from requests.auth import HTTPDigestAuth

from orkg_sync.cli.main import main
from orkg_sync.errors import AuthError, RemoteError
from orkg_sync.publish.gsp import Endpoints, count_triples, publish_ntriples, rows_from_json, run_remote_query
from tests.virtuoso.conftest import Virtuoso

G = "https://w3id.org/orkg-sync/r790020/"
OURS = (
    "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } FILTER(?g = <{g}> || STRSTARTS(STR(?g), 'urn:orkg-sync:')) }"
)


def endpoints(v: Virtuoso, password: str | None = None) -> Endpoints:
    return Endpoints(v.query, v.update, v.store, HTTPDigestAuth(v.user, password or v.password))


def our_graphs(v: Virtuoso, graph: str) -> list[str]:
    """Named graphs holding data that are the target or a leftover temporary graph of ours."""
    body = run_remote_query(v.query, OURS.replace("{g}", graph))
    return sorted(r["g"] for r in rows_from_json(body))


@pytest.mark.parametrize("strategy", ["put", "move"])
def test_publish_replaces_graph_and_verifies(virtuoso: Virtuoso, release: Path, strategy: str) -> None:
    graph = f"{G}{strategy}/"
    ep = endpoints(virtuoso)
    nt = (release / "data.nt").read_bytes()
    n = len(nt.splitlines())
    assert publish_ntriples(ep, b"<urn:x> <urn:p> <urn:o> .\n", graph, strategy=strategy) == 1
    assert publish_ntriples(ep, nt, graph, strategy=strategy) == n
    assert publish_ntriples(ep, nt, graph, strategy=strategy) == n  # twice: still n, not 2n
    assert count_triples(ep, graph) == n
    stale = run_remote_query(virtuoso.query, f"ASK {{ GRAPH <{graph}> {{ <urn:x> ?p ?o }} }}")
    assert rows_from_json(stale) == [{"boolean": "false"}]
    assert our_graphs(virtuoso, graph) == [graph]  # no temporary graph left behind


def test_move_leaves_the_target_untouched_when_an_upload_fails(virtuoso: Virtuoso, release: Path) -> None:
    graph = f"{G}rejected/"
    ep = endpoints(virtuoso)
    publish_ntriples(ep, (release / "data.nt").read_bytes(), graph, strategy="move")
    before = count_triples(ep, graph)
    late_error = b"".join(b'<urn:s%d> <urn:p> "%d" .\n' % (i, i) for i in range(2000))
    late_error += b'<urn:x> <urn:p> "unterminated .\n'
    with pytest.raises(RemoteError, match="HTTP 5"):
        publish_ntriples(ep, late_error, graph, strategy="move")
    assert count_triples(ep, graph) == before
    assert our_graphs(virtuoso, graph) == [graph]


def test_virtuoso_put_is_not_atomic_which_is_why_docs_say_move(virtuoso: Virtuoso, release: Path) -> None:
    """Evidence for docs/publishing.md: Virtuoso's GSP PUT keeps what it parsed before an error."""
    graph = f"{G}put-partial/"
    ep = endpoints(virtuoso)
    publish_ntriples(ep, b"<urn:old> <urn:p> <urn:o> .\n", graph, strategy="put")
    late_error = b"".join(b'<urn:s%d> <urn:p> "%d" .\n' % (i, i) for i in range(2000))
    late_error += b'<urn:x> <urn:p> "unterminated .\n'
    with pytest.raises(RemoteError, match="HTTP 5"):
        publish_ntriples(ep, late_error, graph, strategy="put")
    assert count_triples(ep, graph) not in {1}  # the old graph is gone although the upload failed


def test_wrong_password_is_an_auth_error_and_changes_nothing(virtuoso: Virtuoso) -> None:
    graph = f"{G}auth/"
    ep = endpoints(virtuoso)
    publish_ntriples(ep, b"<urn:a> <urn:b> <urn:c> .\n", graph)
    with pytest.raises(AuthError, match="HTTP 401"):
        publish_ntriples(endpoints(virtuoso, "wrong"), b"<urn:d> <urn:e> <urn:f> .\n", graph)
    anonymous = requests.put(
        virtuoso.url + "/sparql-graph-crud",
        params={"graph": graph},
        data=b"<urn:d> <urn:e> <urn:f> .\n",
        headers={"Content-Type": "application/n-triples"},
        timeout=30,
    )
    assert anonymous.status_code in {401, 403}
    assert count_triples(ep, graph) == 1


def cli_publish(v: Virtuoso, nt: Path, graph: str, password: str | None) -> object:
    env = {"ORKG_SYNC_SPARQL_PASSWORD": password} if password is not None else {}
    args = ["publish", "--service", v.url, "--graph", graph, "--input", str(nt), "--strategy", "move"]
    args += ["--query-url", v.query, "--update-url", v.update, "--store-url", v.store, "--user", v.user]
    return CliRunner().invoke(main, args, env=env)


def test_cli_publish_then_every_shipped_query_matches_local(virtuoso: Virtuoso, tmp_path: Path) -> None:
    from orkg_sync import queries
    from orkg_sync.build import build, write

    dist = write(build(validate=False), tmp_path / "dist")
    graph = f"{G}cli/"
    r = cli_publish(virtuoso, dist / "data.nt", graph, virtuoso.password)
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    n = len((dist / "data.nt").read_bytes().splitlines())
    assert f"published {n} triples" in r.output  # type: ignore[attr-defined]
    assert count_triples(endpoints(virtuoso), graph) == n
    for name in queries.list_queries():
        local = CliRunner().invoke(
            main, ["query", name, "--format", "csv", "--input", str(dist / "data.ttl")]
        )
        remote = CliRunner().invoke(
            main, ["query", name, "--format", "csv", "--query-url", virtuoso.query, "--graph", graph]
        )
        assert local.exit_code == 0 and remote.exit_code == 0, (name, remote.output)
        assert local.output.splitlines()[0] == remote.output.splitlines()[0], name
        assert rows(local.output) == rows(remote.output), name


def rows(csv_text: str) -> list[list[str]]:
    """CSV rows, sorted; non-integer numbers to 12 significant digits (Virtuoso's AVG keeps 15
    fractional digits, Oxigraph's 18: same value, other lexical form)."""
    import csv
    import io
    from decimal import Decimal, InvalidOperation

    def norm(cell: str) -> str:
        if "." not in cell:
            return cell
        try:
            return f"{Decimal(cell):.12g}"
        except InvalidOperation:
            return cell

    return sorted([norm(c) for c in row] for row in csv.reader(io.StringIO(csv_text)))


def test_cli_auth_errors_are_one_line_without_the_password(virtuoso: Virtuoso, release: Path) -> None:
    r = cli_publish(virtuoso, release / "data.nt", f"{G}cli-auth/", None)
    assert r.exit_code == 2 and "ORKG_SYNC_SPARQL_PASSWORD" in r.output  # type: ignore[attr-defined]
    secret = "not-the-password-" + "x" * 8
    r = cli_publish(virtuoso, release / "data.nt", f"{G}cli-auth/", secret)
    out = r.output  # type: ignore[attr-defined]
    assert r.exit_code == 4, out  # type: ignore[attr-defined]
    assert out.startswith("error: ") and len(out.strip().splitlines()) == 1
    assert secret not in out and virtuoso.password not in out
