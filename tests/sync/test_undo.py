"""`orkg-sync undo` after each change kind, asserting ORKG's state; refused cell by cell (issue 9, item 9)."""

from __future__ import annotations

import pyoxigraph as ox
import requests

from .conftest import MODEL, Workspace, set_value, ym
from .test_concurrency import add_model, literal_of, teammate_sets
from .test_iris import rename

VOCAB = "https://w3id.org/orkg-sync/slm/vocab/"


def push_ok(ws: Workspace, *extra: str) -> None:
    proc = ws.cli("push", "--yes", *extra)
    assert proc.returncode == 0, proc.stderr


def undo_ok(ws: Workspace, *extra: str) -> str:
    proc = ws.cli("undo", "--yes", *extra)
    assert proc.returncode == 0, proc.stderr
    assert ws.cli("diff", "--exit-code").returncode == 0
    return proc.stdout


def test_undo_values_categories_and_rename(ws: Workspace) -> None:
    phi, tiny = ws.contribution("Phi-2"), ws.contribution("TinyLlama")
    before_phi, before_tiny = ws.remote(phi), ws.remote(tiny)
    label_before = requests.get(f"{ws.sb.url}/api/resources/{tiny}", timeout=10).json()["label"]
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    ws.edit(set_value("phi-2", "attentionMechanism", ox.NamedNode(VOCAB + "attention/gqa")))
    ws.edit(set_value("phi-2", "domain"))
    ws.edit(rename("tinyllama", "TinyLlama 1.1B"))
    push_ok(ws)
    assert ws.remote(phi) != before_phi
    undo_ok(ws)
    assert ws.remote(phi) == before_phi
    assert ws.remote(tiny) == before_tiny
    assert requests.get(f"{ws.sb.url}/api/resources/{tiny}", timeout=10).json()["label"] == label_before


def test_undo_added_and_removed_models(ws: Workspace) -> None:
    sources = sorted(ws.head_sources())
    xglm = ws.contribution("XGLM")
    ws.edit(add_model("undo-lm", "Undo LM", "2025-05"))

    def drop(store: ox.Store) -> None:
        for q in list(store.quads_for_pattern(ox.NamedNode(MODEL + "xglm"), None, None, None)):
            store.remove(q)

    ws.edit(drop)
    push_ok(ws, "--allow-removals")
    new = ws.contribution("Undo LM")
    assert new in ws.head_sources() and xglm not in ws.head_sources()
    refused = ws.cli("undo", "--yes")  # deleting the added model is a removal too
    assert refused.returncode == 2 and "--allow-removals" in refused.stderr
    undo_ok(ws, "--allow-removals")
    assert sorted(ws.head_sources()) == sources
    assert requests.get(f"{ws.sb.url}/api/resources/{new}", timeout=10).status_code == 404


def test_undo_refuses_cells_changed_since(ws: Workspace) -> None:
    phi, llama = ws.contribution("Phi-2"), ws.contribution("Llama 3.2")
    old_llama = ws.remote(llama)["Date"]
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    ws.edit(set_value("llama-3-2", "releaseDate", ym("2024-10")))
    push_ok(ws)
    teammate_sets(ws, literal_of(ws, "Phi-2"), "2023.4")  # someone edits after our push
    proc = ws.cli("undo", "--yes")
    assert proc.returncode == 5 and "Phi-2 / Date" in proc.stderr and "'2023.4'" in proc.stderr
    assert ws.remote(phi)["Date"] == ["2023.4"]  # their edit stands
    assert ws.remote(llama)["Date"] == old_llama  # the other cell was reverted


def test_nothing_to_undo(ws: Workspace) -> None:
    proc = ws.cli("undo", "--yes")
    assert proc.returncode == 2 and "no completed push to undo" in proc.stderr
