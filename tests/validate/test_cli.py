"""`orkg-sync validate` as a user runs it: a real subprocess, exit codes, formats, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import rdflib

FIXTURE = Path(__file__).with_name("fixture_shapes.ttl")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orkg_sync", "validate", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def test_shipped_dataset_conforms_with_warnings() -> None:
    proc = run()
    assert proc.returncode == 0, proc.stderr
    assert "0 violation(s)" in proc.stdout and "BLOOM, BLOOMZ" in proc.stdout
    strict = run("--strict")
    assert strict.returncode == 1 and strict.stderr.startswith("error: validation failed")


def test_violations_exit_1_and_json_lists_them() -> None:
    proc = run(str(FIXTURE), "--format", "json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["conforms"] is False and doc["violations"] == sum(
        r["severity"] == "Violation" for r in doc["results"]
    )
    assert {"focus", "path", "value", "severity", "message", "shape", "component", "label"} <= set(
        doc["results"][0]
    )


def test_text_report_is_grouped_by_model() -> None:
    out = run(str(FIXTURE)).stdout
    lines = out.splitlines()
    negative = lines.index(next(line for line in lines if line.startswith("Negative")))
    assert "VIOLATION" in lines[negative + 1] and "slm:" in lines[negative + 1]


def test_turtle_report_is_a_shacl_report() -> None:
    proc = run(str(FIXTURE), "--format", "turtle")
    g = rdflib.Graph().parse(data=proc.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, rdflib.RDF.type, sh.ValidationReport) in g
    assert len(list(g.subjects(rdflib.RDF.type, sh.ValidationResult))) == len(
        json.loads(run(str(FIXTURE), "--format", "json").stdout)["results"]
    )
    assert not any(isinstance(t, rdflib.BNode) for triple in g for t in triple)


def test_bad_files_are_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://ex.org/> .\nex:a ex:b .\n")
    proc = run(str(bad))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: {bad}:2:") and len(proc.stderr.strip().splitlines()) == 1
    missing = run(str(tmp_path / "nope.ttl"))
    assert missing.returncode == 2 and "nope.ttl" in missing.stderr


def test_focus_limits_the_report() -> None:
    model = "https://w3id.org/orkg-sync/r790020/model/negative"
    doc = json.loads(run(str(FIXTURE), "--format", "json", "--focus", model).stdout)
    assert doc["results"] and {r["focus"] for r in doc["results"]} <= {
        f"<{model}>",
        "<https://w3id.org/orkg-sync/r790020/>",
    }
