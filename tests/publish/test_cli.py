"""CLI edges of serve/publish and the snapshot-driven description inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from orkg_sync.cli.main import main
from orkg_sync.publish.metadata import info_from_snapshot
from orkg_sync.resources import default_snapshot
from orkg_sync.snapshot import Snapshot


def test_serve_bad_inputs_are_one_line(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["serve", "--input", str(tmp_path / "missing.ttl")])
    assert r.exit_code == 2 and r.output.startswith("error: --input") and "Traceback" not in r.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n")
    r = CliRunner().invoke(main, ["serve", "--input", str(bad)])
    assert r.exit_code == 2 and "not valid RDF" in r.output
    r = CliRunner().invoke(main, ["serve", "--input", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and "unknown RDF file type" in r.output


def test_publish_missing_input(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        main, ["publish", "--service", "http://127.0.0.1:9", "--input", str(tmp_path / "none.nt")]
    )
    assert r.exit_code == 2 and r.output.startswith("error: --input")


def test_info_from_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    snap = Snapshot.load(default_snapshot())
    info = info_from_snapshot(snap)
    assert info.source_comparison == "https://orkg.org/comparison/R790020"
    assert info.source_version == "R790020 (published version of R9000068)"
    # the seed has no retrieval time: its newest ORKG timestamp (2024-12-20T10:10:04+01:00), in UTC
    assert info.generated_at == info.collected_at == "2024-12-20T09:10:04Z"
    snap.source["retrieved_at"] = "2026-11-22T12:00:00+00:00"
    assert info_from_snapshot(snap).generated_at == "2026-11-22T12:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    info = info_from_snapshot(snap)
    assert (info.generated_at, info.collected_at) == ("2026-01-01T00:00:00Z", "2026-11-22T12:00:00Z")
    assert info_from_snapshot(snap, date="2026-12-01").generated_at == "2026-12-01T00:00:00Z"


def test_query_endpoint_gives_the_local_output(tmp_path: Path, oxigraph_server: str) -> None:
    """Build, publish into a real Oxigraph server, then every shipped query prints the same remotely."""
    from orkg_sync import queries
    from orkg_sync.build import build, write

    dist = write(build(validate=False), tmp_path / "dist")
    graph = "https://w3id.org/orkg-sync/r790020/"
    r = CliRunner().invoke(
        main, ["publish", "--service", oxigraph_server, "--graph", graph, "--input", str(dist / "data.nt")]
    )
    assert r.exit_code == 0, r.output
    for name in queries.list_queries():
        local = CliRunner().invoke(
            main, ["query", name, "--format", "csv", "--input", str(dist / "data.ttl")]
        )
        remote = CliRunner().invoke(
            main,
            ["query", name, "--format", "csv", "--query-url", oxigraph_server + "/query", "--graph", graph],
        )
        assert local.exit_code == 0 and remote.exit_code == 0, remote.output
        # same columns and rows; row order may differ where a query's ORDER BY leaves ties
        assert local.output.splitlines()[0] == remote.output.splitlines()[0], name
        assert sorted(local.output.splitlines()) == sorted(remote.output.splitlines()), name
    # every query form, JSON with typed numbers, gives the same output locally and remotely
    forms = {
        "ask.rq": "ASK { ?m a <https://w3id.org/orkg-sync/slm#LanguageModel> }",
        "construct.rq": "CONSTRUCT { ?m <urn:size> ?n } WHERE { ?m <https://w3id.org/orkg-sync/slm#"
        "maxNumberOfParameters> ?n }",
        "sizes.rq": "SELECT ?m ?n WHERE { ?m <https://w3id.org/orkg-sync/slm#maxNumberOfParameters> ?n }"
        " ORDER BY ?m",
    }
    for file, text in forms.items():
        (tmp_path / file).write_text(text)
        local = CliRunner().invoke(
            main, ["query", str(tmp_path / file), "--json", "--input", str(dist / "data.nt")]
        )
        remote = CliRunner().invoke(
            main,
            [
                "query",
                str(tmp_path / file),
                "--json",
                "--query-url",
                oxigraph_server + "/query",
                "--graph",
                graph,
            ],
        )
        assert local.exit_code == 0 and remote.exit_code == 0, (file, local.output, remote.output)
        assert json.loads(local.stdout) == json.loads(remote.stdout), file
    sizes = json.loads(local.stdout)
    assert sizes and all(isinstance(row["n"], int) for row in sizes)


def test_query_endpoint_errors_are_one_line(oxigraph_server: str) -> None:
    r = CliRunner().invoke(main, ["query", "attention", "--query-url", "http://127.0.0.1:9/query"])
    assert r.exit_code == 3 and r.output.startswith("error: ") and len(r.output.strip().splitlines()) == 1
    r = CliRunner().invoke(main, ["query", "attention", "--query-url", "http://example.org/query"])
    assert r.exit_code == 2 and "http" in r.output  # plain http only for loopback


def test_a_large_transactional_publish_points_to_bulk(
    tmp_path: Path, oxigraph_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Millions of triples in one transaction can exhaust the server's memory (bench/RESULTS.md): the
    default publish says so once, on stderr, and still publishes; --bulk gets no note."""
    from orkg_sync.cli import publish as publish_cmd

    data = tmp_path / "data.nt"
    data.write_text("".join(f'<https://ex.org/s{i}> <https://ex.org/p> "{i}" .\n' for i in range(50)))
    graph = "https://ex.org/g"
    monkeypatch.setattr(publish_cmd, "LARGE_TRANSACTION", 50)
    args = ["publish", "--service", oxigraph_server, "--graph", graph, "--input", str(data)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert r.stderr.count("note: 50 triples in one transaction") == 1 and "--bulk" in r.stderr
    assert "published 50 triples" in r.stdout
    r = CliRunner().invoke(main, [*args, "--bulk"])
    assert r.exit_code == 0 and "note:" not in r.stderr
    monkeypatch.setattr(publish_cmd, "LARGE_TRANSACTION", 51)
    assert "note:" not in CliRunner().invoke(main, args).stderr
