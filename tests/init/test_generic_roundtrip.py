"""The generic mapping round-trips: columns a mapping does not name are pulled, diffed and pushed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from orkg_sync import export
from orkg_sync.namespaces import ORKG_RESOURCE, XSD
from orkg_sync.store import DatasetStore
from tests.init.conftest import Seeded, remote_values, run

BASE = "https://example.org/g/"
MAPPING = f"""
[mapping]
name = "bare"
comparison = "{{cid}}"
base = "{BASE}"
ontology = []
"""


def test_unmapped_columns_are_pulled_diffed_and_pushed(
    tmp_path: Path, fresh_sandbox: Any, seeded: Seeded
) -> None:
    sb = fresh_sandbox
    mapping = tmp_path / "bare.toml"
    mapping.write_text(MAPPING.replace("{cid}", seeded.comparison))
    ws = tmp_path / "ws"
    proc = run(
        tmp_path, sb, "pull", "--comparison", seeded.comparison, "--mapping", str(mapping), "--out", str(ws)
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("is not in the mapping") == 7  # one warning per unmapped column
    a, b = (ox.NamedNode(f"{BASE}model/model-{x}") for x in "ab")
    ints, task = ox.NamedNode(BASE + "property/parameters-m"), ox.NamedNode(BASE + "property/task")
    store = DatasetStore()
    store.load_file(ws / "dataset.ttl")
    a_task = next(store.store.quads_for_pattern(a, task, None, None)).object
    assert isinstance(a_task, ox.NamedNode) and a_task.value.startswith(ORKG_RESOURCE)
    for s, p, o in ((a, ints, ox.Literal("351", datatype=ox.NamedNode(XSD + "integer"))), (b, task, a_task)):
        for q in list(store.store.quads_for_pattern(s, p, None, None)):
            store.store.remove(q)
        store.store.add(ox.Quad(s, p, o))
    (ws / "dataset.ttl").write_bytes(export.to_turtle(store))
    proc = run(tmp_path, sb, "diff", "--workspace", str(ws), "--mapping", str(mapping), "--offline")
    assert "parameters-m" in proc.stdout and "task" in proc.stdout, proc.stdout + proc.stderr
    proc = run(tmp_path, sb, "push", "--workspace", str(ws), "--mapping", str(mapping), "--yes", creds=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ra, rb = remote_values(sb, seeded.contributions[0]), remote_values(sb, seeded.contributions[1])
    assert ra[seeded.predicates["Parameters (M)"]] == [("351", "xsd:integer")]  # datatype kept
    assert rb[seeded.predicates["Task"]] == [("Question answering", None)]  # A's resource, linked
    proc = run(tmp_path, sb, "diff", "--workspace", str(ws), "--mapping", str(mapping), "--exit-code")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # in sync after the push
