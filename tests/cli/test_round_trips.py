"""Every file a command writes, every command that takes that kind of file reads (offline)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from orkg_sync.cli.main import main


def run(*args: str) -> str:
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 0, (args, res.output)
    return res.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "dist"
    run("build", "--out", str(out), "--no-validate")
    return out


def sorted_nt(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.strip())


@pytest.mark.parametrize("name", ["data.ttl", "data.nt", "data.jsonld"])
def test_release_files_read_back_as_the_same_graph(dist: Path, name: str) -> None:
    expected = sorted_nt((dist / name.replace(name, "data.nt")).read_text())
    assert sorted_nt(run("export", "--format", "nt", "--input", str(dist / name))) == expected
    report = json.loads(run("validate", "--json", str(dist / name)))
    assert report["violations"] == 0
    assert run("query", "timeline", "--format", "csv", "--input", str(dist / name)).startswith("year,")


@pytest.mark.parametrize(
    "ref", ["https://w3id.org/orkg-sync/r790020/download/context.jsonld", "context.jsonld"]
)
def test_jsonld_referencing_our_context_reads_offline(dist: Path, tmp_path: Path, ref: str) -> None:
    """A data.jsonld that references our context (by its URL, or beside it) reads without network."""
    doc = json.loads((dist / "data.jsonld").read_text())
    doc["@context"] = ref
    alone = tmp_path / "copy.jsonld"
    alone.write_text(json.dumps(doc))
    if ref == "context.jsonld":
        (tmp_path / "context.jsonld").write_bytes((dist / "context.jsonld").read_bytes())
    assert sorted_nt(run("export", "--format", "nt", "--input", str(alone))) == sorted_nt(
        (dist / "data.nt").read_text()
    )


def test_unknown_remote_context_is_one_clear_line(tmp_path: Path) -> None:
    doc = tmp_path / "x.jsonld"
    doc.write_text(json.dumps({"@context": "https://example.org/ctx.jsonld", "@id": "https://e.org/a"}))
    res = CliRunner().invoke(main, ["validate", str(doc)])
    assert res.exit_code == 2 and "cannot be read offline" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt, suffix", [("turtle", ".ttl"), ("nt", ".nt"), ("json-ld", ".jsonld")])
def test_export_output_reads_back(dist: Path, tmp_path: Path, fmt: str, suffix: str) -> None:
    out = tmp_path / f"x{suffix}"
    unrelated = tmp_path / "context.jsonld"
    unrelated.write_text("{}\n")
    run("export", "--format", fmt, "--input", str(dist / "data.ttl"), "--out", str(out))
    assert unrelated.read_text() == "{}\n" and sorted(p.name for p in tmp_path.iterdir()) == [
        "context.jsonld",
        out.name,
    ]
    again = run("export", "--format", "nt", "--input", str(out))
    assert sorted_nt(again) == sorted_nt((dist / "data.nt").read_text())


def test_serve_loads_release_jsonld(dist: Path) -> None:
    from orkg_sync.cli.serve import load_store

    assert len(load_store([dist / "data.jsonld"])) == len(load_store([dist / "data.nt"]))
