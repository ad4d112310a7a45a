"""Conflicts resolved, not dodged; status; pull --force tells what it discards (issue 9, items 6 and 8)."""

from __future__ import annotations

import json

import requests

from .conftest import SLM, Workspace, set_value, ym


def conflict_on_phi(ws: Workspace, local: str = "2023-11", remote: str = "2023.10") -> str:
    phi = ws.contribution("Phi-2")
    base = json.loads((ws.folder / "syncbase.json").read_text())
    lit = base["models"][phi]["values"][SLM + "releaseDate"][0]["object_id"]
    ws.edit(set_value("phi-2", "releaseDate", ym(local)))
    r = requests.put(
        f"{ws.sb.url}/api/literals/{lit}",
        json={"label": remote, "datatype": "xsd:string"},
        headers=ws.sb.auth(),
        timeout=10,
    )
    assert r.status_code == 204
    return phi


def test_prefer_remote_takes_orkg_values_into_the_dataset(ws: Workspace) -> None:
    phi = conflict_on_phi(ws)
    ws.edit(set_value("llama-3-2", "releaseDate", ym("2024-10")))
    ws.sb.reset_stats()
    proc = ws.cli("push", "--yes", "--prefer", "remote")
    assert proc.returncode == 0, proc.stderr
    assert "took remote" in proc.stdout
    assert ws.remote(phi)["Date"] == ["2023.10"]  # ORKG's value was not overwritten
    assert ws.remote(ws.contribution("Llama 3.2"))["Date"] == ["2024.10"]
    assert ws.cli("diff", "--exit-code").returncode == 0  # clean, the conflict does not come back


def test_prefer_local_writes_ours(ws: Workspace) -> None:
    phi = conflict_on_phi(ws)
    assert ws.cli("push", "--yes", "--prefer", "local").returncode == 0
    assert ws.remote(phi)["Date"] == ["2023.11"]
    assert ws.cli("diff", "--exit-code").returncode == 0


def test_resolve_one_cell_each_way(ws: Workspace) -> None:
    phi = conflict_on_phi(ws)
    wrong = ws.cli("resolve", "Phi-2", "numberOfParameters", "--take", "local")
    assert wrong.returncode == 2 and "no conflict at Phi-2 / numberOfParameters" in wrong.stderr
    took = ws.cli("resolve", "Phi-2", "releaseDate", "--take", "local")
    assert took.returncode == 0, took.stderr
    ws.sb.reset_stats()
    assert ws.cli("push", "--yes").returncode == 0  # no --prefer needed for a resolved cell
    assert ws.remote(phi)["Date"] == ["2023.11"]
    conflict_on_phi(ws, "2023-05", "2023.6")
    assert ws.cli("resolve", "phi-2", "releaseDate", "--take", "remote").returncode == 0
    assert ws.cli("diff", "--exit-code").returncode == 0
    assert ws.remote(phi)["Date"] == ["2023.6"]


def test_status_reports_bindings_edits_and_unfinished_push(ws: Workspace) -> None:
    doc = json.loads(ws.cli("status", "--json").stdout)
    assert doc["host"] == ws.sb.url and doc["head"] == "R9000068" and doc["published_version"] == "R790020"
    assert doc["local_changes"] == 0 and doc["unfinished_push"] is None
    conflict_on_phi(ws)
    doc = json.loads(ws.cli("status", "--json", "--remote").stdout)
    assert doc["local_changes"] == 0 and doc["conflicts"] == ["Phi-2 / releaseDate"]
    ws.edit(set_value("llama-3-2", "releaseDate", ym("2024-10")))
    ws.sb.set_faults(error_rate=1.0, methods="PUT")
    try:
        assert ws.cli("push", "--yes", "--prefer", "local").returncode == 6
    finally:
        ws.sb.clear_faults()
    doc = json.loads(ws.cli("status", "--json").stdout)
    assert doc["local_models"] == ["Llama 3.2", "Phi-2"]
    assert doc["unfinished_push"]["operations"] == 2
    text = ws.cli("status").stdout
    assert "unfinished push" in text and "--resume" in text


def test_pull_force_says_what_it_discards(ws: Workspace) -> None:
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    ws.edit(set_value("llama-3-2", "releaseDate", ym("2024-10")))
    refused = ws.cli("pull", "--quiet", creds=False)
    assert refused.returncode == 2 and "local edits" in refused.stderr
    forced = ws.cli("pull", "--quiet", "--force", creds=False)
    assert forced.returncode == 0
    assert "discards 2 local edit(s)" in forced.stderr and "Phi-2 / releaseDate" in forced.stderr
    assert ws.cli("diff", "--exit-code").returncode == 0
