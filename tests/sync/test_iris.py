"""Stable model IRIs and derived values (issue 9, item 7)."""

from __future__ import annotations

import json

import pyoxigraph as ox

from .conftest import MODEL, RDFS_LABEL, Workspace, integer, set_value


def rename(slug: str, label: str):  # type: ignore[no-untyped-def]
    def change(store: ox.Store) -> None:
        m = ox.NamedNode(MODEL + slug)
        for q in list(store.quads_for_pattern(m, ox.NamedNode(RDFS_LABEL), None, None)):
            store.remove(q)
        store.add(ox.Quad(m, ox.NamedNode(RDFS_LABEL), ox.Literal(label)))

    return change


def model_iris(ws: Workspace) -> set[str]:
    text = (ws.folder / "dataset.ttl").read_text()
    return {s for s in ("gemma", "gemma-1st-gen") if f"model:{s} " in text or f"model/{s}>" in text}


def test_iri_survives_rename_push_and_pull(ws: Workspace) -> None:
    gemma = ws.contribution("Gemma")
    ws.edit(rename("gemma", "Gemma 1st gen"))
    assert ws.cli("push", "--yes").returncode == 0
    assert model_iris(ws) == {"gemma"}
    assert json.loads((ws.folder / "workspace.json").read_text())["iris"][gemma] == MODEL + "gemma"
    assert ws.cli("pull", "--quiet", creds=False).returncode == 0
    assert model_iris(ws) == {"gemma"}  # not model:gemma-1st-gen
    assert ws.cli("diff", "--exit-code").returncode == 0


def test_editing_a_derived_bound_is_refused_with_the_value_to_change(ws: Workspace) -> None:
    ws.edit(set_value("llama-3-2", "maxNumberOfParameters", integer(9_000_000_000)))
    assert ws.cli("diff", "--exit-code").returncode == 10
    ws.sb.reset_stats()
    proc = ws.cli("push", "--yes")
    assert proc.returncode == 2 and ws.writes() == 0
    assert "Llama 3.2: slm:maxNumberOfParameters is derived" in proc.stderr
    assert "edit slm:numberOfParameters instead" in proc.stderr
