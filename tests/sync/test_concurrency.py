"""Compare-and-set and concurrent editors (issue 9, items 3 and 4), asserting ORKG's state afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import requests

from tests.conftest import cli_env

from .conftest import MODEL, RDFS_LABEL, SLM, Workspace, set_value, ym

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def literal_of(ws: Workspace, label: str, prop: str = "releaseDate") -> str:
    base = json.loads((ws.folder / "syncbase.json").read_text())
    cid = ws.contribution(label)
    return str(base["models"][cid]["values"][SLM + prop][0]["object_id"])


def teammate_sets(ws: Workspace, literal: str, label: str) -> None:
    r = requests.put(
        f"{ws.sb.url}/api/literals/{literal}",
        json={"label": label, "datatype": "xsd:string"},
        headers=ws.sb.auth(),
        timeout=30,
    )
    assert r.status_code == 204, r.text


def spawn(ws: Workspace, *args: str) -> subprocess.Popen[str]:
    env = cli_env()
    env.update(ORKG_USERNAME=ws.sb.username, ORKG_PASSWORD=ws.sb.password)
    cmd = [sys.executable, "-m", "orkg_sync", *args, "--host", ws.sb.url]
    return subprocess.Popen(
        cmd, cwd=ws.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_teammate_write_mid_push_is_not_overwritten(ws: Workspace) -> None:
    phi, llama = ws.contribution("Phi-2"), ws.contribution("Llama 3.2")
    lit = literal_of(ws, "Phi-2")
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    ws.edit(set_value("llama-3-2", "releaseDate", ym("2024-10")))
    ws.sb.reset_stats()
    ws.sb.set_faults(latency_ms=1500, methods="GET")  # the push reads slowly; the teammate writes fast
    try:
        proc = spawn(ws, "push", "--yes")
        deadline = time.monotonic() + 60
        while ws.sb.stats()["endpoints"].get("GET /api/statements", 0) < 2:  # the plan's re-reads are done
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        teammate_sets(ws, lit, "2023.10")  # after the plan read, before the write
        _, err = proc.communicate(timeout=120)
    finally:
        ws.sb.clear_faults()
    assert proc.returncode == 5, err
    assert "Phi-2 / Date" in err and "'2023.10'" in err
    assert ws.remote(phi)["Date"] == ["2023.10"]  # the teammate's value stands
    assert ws.remote(llama)["Date"] == ["2024.10"]  # the other change was applied
    diff = ws.cli("diff", "--exit-code")
    assert diff.returncode == 10 and "conflicts: 1" in diff.stdout and "Llama" not in diff.stdout


def test_resume_checks_every_remaining_cell(ws: Workspace) -> None:
    phi = ws.contribution("Phi-2")
    lit = literal_of(ws, "Phi-2")
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    ws.sb.set_faults(error_rate=1.0, methods="PUT")
    try:
        assert ws.cli("push", "--yes").returncode == 6
    finally:
        ws.sb.clear_faults()
    teammate_sets(ws, lit, "2023.8")  # between the crash and --resume
    resumed = ws.cli("push", "--yes", "--resume")
    assert resumed.returncode == 5 and "Phi-2 / Date" in resumed.stderr
    assert ws.remote(phi)["Date"] == ["2023.8"]


def test_compare_and_set_costs_one_read_per_model(ws: Workspace) -> None:
    models = ["phi-2", "llama-3-2", "tinyllama", "gemma", "qwen-2"]
    for k, m in enumerate(models):
        ws.edit(set_value(m, "releaseDate", ym(f"2021-{k + 1:02d}")))
    ws.sb.reset_stats()
    assert ws.cli("push", "--yes").returncode == 0
    k = m = len(models)
    assert ws.requests() <= k + 2 * m + 5, ws.sb.stats()["endpoints"]


def add_model(slug: str, label: str, date: str) -> Any:
    def change(store: ox.Store) -> None:
        new = ox.NamedNode(MODEL + slug)
        store.add(ox.Quad(new, ox.NamedNode(RDF_TYPE), ox.NamedNode(SLM + "LanguageModel")))
        store.add(ox.Quad(new, ox.NamedNode(RDFS_LABEL), ox.Literal(label)))
        store.add(ox.Quad(new, ox.NamedNode(SLM + "releaseDate"), ym(date)))

    return change


def paper_contributions(ws: Workspace, label: str) -> list[str]:
    base = json.loads((ws.folder / "syncbase.json").read_text())
    sts = requests.get(
        f"{ws.sb.url}/api/statements",
        params={"subject_id": base["paper_id"], "predicate_id": "P31", "size": 2500},
        timeout=10,
    ).json()["content"]
    return [st["object"]["id"] for st in sts if st["object"]["label"] == label]


def two_pushers(ws: Workspace, other: Workspace) -> tuple[subprocess.Popen[str], subprocess.Popen[str]]:
    a, b = spawn(ws, "push", "--yes"), spawn(other, "push", "--yes")
    a.stderr_text = a.communicate(timeout=120)[1]  # type: ignore[attr-defined]
    b.stderr_text = b.communicate(timeout=120)[1]  # type: ignore[attr-defined]
    return a, b


def pulled_copy(ws: Workspace, root: Path) -> Workspace:
    root.mkdir()
    other = Workspace(ws.sb, root)
    assert other.cli("pull", "--quiet", creds=False).returncode == 0
    return other


@pytest.mark.parametrize("same_value", [True, False])
def test_two_pushers_add_the_same_and_different_models(
    ws: Workspace, tmp_path: Path, same_value: bool
) -> None:
    other = pulled_copy(ws, tmp_path / "other")
    ws.edit(add_model("shared-lm", "Shared LM", "2025-01"))
    other.edit(add_model("shared-lm", "Shared LM", "2025-01" if same_value else "2025-03"))
    ws.edit(add_model("alpha-lm", "Alpha LM", "2025-02"))
    other.edit(add_model("beta-lm", "Beta LM", "2025-04"))
    a, b = two_pushers(ws, other)
    shared = paper_contributions(ws, "Shared LM")
    assert len(shared) == 1, shared  # never a duplicate model
    sources = set(ws.head_sources())
    for label in ("Shared LM", "Alpha LM", "Beta LM"):
        assert set(paper_contributions(ws, label)) <= sources and paper_contributions(ws, label), label
    dates = ws.remote(shared[0]).get("Date", [])
    if same_value:
        assert (a.returncode, b.returncode) == (0, 0), (a.stderr_text, b.stderr_text)  # type: ignore[attr-defined]
        assert dates == ["2025.1"]
    else:
        assert sorted((a.returncode, b.returncode)) == [0, 5]  # the overlapping cell is reported
        assert len(dates) == 1 and dates[0] in ("2025.1", "2025.3")
