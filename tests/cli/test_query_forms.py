"""`query` runs every SPARQL form: rows for SELECT/ASK (numbers typed in JSON), RDF for CONSTRUCT/DESCRIBE."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from orkg_sync.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DATA = str(ROOT / "tests" / "store" / "fixture.ttl")
SLM = "https://w3id.org/orkg-sync/slm#"


def query(tmp_path: Path, text: str, *args: str) -> str:
    rq = tmp_path / "q.rq"
    rq.write_text(text)
    res = CliRunner().invoke(main, ["query", str(rq), "--input", DATA, *args])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_ask_in_every_tabular_format(tmp_path: Path) -> None:
    yes = f"ASK {{ ?m a <{SLM}LanguageModel> }}"
    no = f"ASK {{ ?m a <{SLM}Nothing> }}"
    assert query(tmp_path, yes) == "true\n" and query(tmp_path, no) == "false\n"
    assert query(tmp_path, yes, "--format", "csv") == "boolean\ntrue\n"
    assert json.loads(query(tmp_path, no, "--json")) == {"boolean": False}


@pytest.mark.parametrize(
    "fmt, rdf",
    [("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("json-ld", ox.RdfFormat.JSON_LD)],
)
def test_construct_prints_rdf_that_parses_back(tmp_path: Path, fmt: str, rdf: ox.RdfFormat) -> None:
    text = f"CONSTRUCT {{ ?m <urn:size> ?n }} WHERE {{ ?m <{SLM}maxNumberOfParameters> ?n }}"
    out = query(tmp_path, text, "--format", fmt)
    triples = set(ox.parse(out.encode(), rdf))
    store = ox.Store()
    store.load(path=DATA, format=ox.RdfFormat.TURTLE)
    expected = {
        ox.Triple(t.subject, ox.NamedNode("urn:size"), t.object)
        for t in store.quads_for_pattern(None, ox.NamedNode(f"{SLM}maxNumberOfParameters"), None)
    }
    assert {ox.Triple(t.subject, t.predicate, t.object) for t in triples} == expected and expected


def test_construct_defaults_to_turtle_and_json_means_jsonld(tmp_path: Path) -> None:
    text = f"CONSTRUCT {{ ?m a <{SLM}LanguageModel> }} WHERE {{ ?m a <{SLM}LanguageModel> }}"
    assert "@prefix" in query(tmp_path, text)
    assert "@graph" in json.loads(query(tmp_path, text, "--json"))


def test_describe_gives_the_model(tmp_path: Path) -> None:
    out = query(tmp_path, "DESCRIBE <https://w3id.org/orkg-sync/r790020/model/llama-3-2>", "--format", "nt")
    assert '<http://www.w3.org/2000/01/rdf-schema#label> "Llama 3.2"' in out


def test_json_numbers_are_numbers(tmp_path: Path) -> None:
    text = (
        f"SELECT ?m ?n (?n > 0 AS ?big) (STR(?n) AS ?s) WHERE {{ ?m <{SLM}maxNumberOfParameters> ?n }}"
        " ORDER BY ?m"
    )
    rows = json.loads(query(tmp_path, text, "--json"))
    assert rows and all(
        isinstance(r["n"], int) and r["big"] is True and isinstance(r["s"], str) for r in rows
    )
    assert query(tmp_path, text, "--format", "csv").splitlines()[1].split(",")[1] == str(rows[0]["n"])


def test_shipped_aggregates_are_numbers() -> None:
    res = CliRunner().invoke(main, ["query", "params-per-paradigm", "--json"])
    rows = json.loads(res.stdout)
    assert all(isinstance(r["models"], int) and isinstance(r["mean_max"], (int, float)) for r in rows)


def test_a_syntax_error_is_found_before_the_data_is_loaded(tmp_path: Path) -> None:
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?x WHERE { ?x\n")
    res = CliRunner().invoke(main, ["query", str(rq), "--query-url", "http://127.0.0.1:9/query"])
    assert res.exit_code == 2 and "bad.rq:" in res.stderr and "SPARQL syntax error" in res.stderr
