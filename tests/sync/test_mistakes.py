"""Ordinary user mistakes never destroy data silently (issue 9, item 2): each asserts ORKG's state after."""

from __future__ import annotations

import requests

from .conftest import Workspace

HEAD = "R9000068"


def test_empty_local_dataset_writes_nothing(ws: Workspace) -> None:
    before = ws.head_sources()
    empty = ws.root / "empty.ttl"
    empty.write_text("")
    ws.sb.reset_stats()
    proc = ws.cli("push", "--local", str(empty), "--yes", "--allow-removals")
    # an empty file is refused as input (exit 2) before anything is read or written
    assert proc.returncode == 2 and "empty" in proc.stderr and ws.writes() == 0
    assert ws.head_sources() == before and len(before) == 38
    assert ws.cli("validate", str(empty)).returncode == 2


def test_dataset_without_models_is_a_violation(ws: Workspace) -> None:
    bare = ws.root / "bare.ttl"
    bare.write_text("<https://w3id.org/orkg-sync/r790020/> a <http://rdfs.org/ns/void#Dataset> .\n")
    val = ws.cli("validate", str(bare))
    assert val.returncode == 1 and "no models" in val.stdout
    ws.sb.reset_stats()
    proc = ws.cli("push", "--local", str(bare), "--yes", "--allow-removals")
    assert proc.returncode == 1 and "no models" in proc.stderr and ws.writes() == 0
    assert len(ws.head_sources()) == 38


def test_a_wiped_head_is_reported_not_hidden(ws: Workspace) -> None:
    r = requests.put(
        f"{ws.sb.url}/api/comparisons/{HEAD}",
        json={"sources": []},
        headers={**ws.sb.auth(), "Content-Type": "application/vnd.orkg.comparison.v3+json"},
        timeout=10,
    )
    assert r.status_code < 300, r.text
    assert ws.head_sources() == []
    diff = ws.cli("diff", "--exit-code")
    assert diff.returncode == 10 and "remote changes: 38" in diff.stdout
    pull = ws.cli("pull", "--quiet", creds=False)
    assert pull.returncode == 2 and "has no sources" in pull.stderr and "38" in pull.stderr
    assert ws.cli("diff", "--exit-code").returncode == 10  # the workspace was not replaced
