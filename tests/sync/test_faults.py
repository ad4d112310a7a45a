"""Slow: pushes under injected faults and under SIGKILL end in exactly the planned state, nothing doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pyoxigraph as ox
import pytest
import requests

from tests.conftest import cli_env

from .conftest import MODEL, RDFS_LABEL, SLM, Workspace, set_value, ym

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

VOCAB = "https://w3id.org/orkg-sync/slm/vocab/"
MODELS = ["phi-2", "llama-3-2", "tinyllama", "gemma", "qwen-2"]
LABELS = {
    "phi-2": "Phi-2",
    "llama-3-2": "Llama 3.2",
    "tinyllama": "TinyLlama",
    "gemma": "Gemma",
    "qwen-2": "Qwen 2",
}


def plan_changes(ws: Workspace, run: int) -> dict[str, str]:
    """Edit dates of five models, Phi-2's attention and TinyLlama's domain; return the expected dates."""
    expected = {}
    for k, m in enumerate(MODELS):
        year, month = 2020 + (run + k) % 5, 1 + (run * 7 + k) % 12
        ws.edit(set_value(m, "releaseDate", ym(f"{year}-{month:02d}")))
        expected[m] = f"{year}.{month}"
    ws.edit(
        set_value(
            "phi-2",
            "attentionMechanism",
            ox.NamedNode(VOCAB + ("attention/gqa" if run % 2 else "attention/mha")),
        )
    )
    ws.edit(set_value("tinyllama", "domain", *([ox.NamedNode(VOCAB + "domain/coding")] if run % 2 else [])))
    return expected


def snapshot_counts(ws: Workspace) -> tuple[Counter[tuple[str, str, str]], int]:
    """Statements of the touched models by (subject, predicate, object label), and unused literals."""
    url = ws.sb.url
    triples: Counter[tuple[str, str, str]] = Counter()
    for m in MODELS:
        cid = ws.contribution(LABELS[m])
        for st in requests.get(
            f"{url}/api/statements", params={"subject_id": cid, "size": 2500}, timeout=10
        ).json()["content"]:
            triples[(cid, st["predicate"]["id"], st["object"]["label"])] += 1
    literals = requests.get(f"{url}/api/literals", params={"size": 2500}, timeout=10).json()["content"]
    used = set()
    page = 0
    while True:
        body = requests.get(f"{url}/api/statements", params={"size": 2500, "page": page}, timeout=30).json()
        used |= {st["object"]["id"] for st in body["content"]}
        page += 1
        if page >= body["page"]["total_pages"]:
            break
    return triples, sum(1 for lit in literals if lit["id"] not in used)


def check_state(ws: Workspace, expected: dict[str, str], run: int, orphans_before: int) -> None:
    for m, date in expected.items():
        assert ws.remote(ws.contribution(LABELS[m]))["Date"] == [date], (run, m)
    phi = ws.remote(ws.contribution("Phi-2"))
    assert phi["Attention mechanism"] == ["GQA" if run % 2 else "MHA"], run
    tiny = ws.remote(ws.contribution("TinyLlama"))
    assert tiny.get("Domain", []) == (["Coding"] if run % 2 else []), run
    triples, orphans = snapshot_counts(ws)
    assert max(triples.values()) == 1, [t for t, n in triples.items() if n > 1]  # no duplicate statement
    assert orphans == orphans_before, f"run {run}: {orphans - orphans_before} orphan literal(s)"
    assert ws.cli("diff", "--exit-code").returncode == 0


def push_until_done(ws: Workspace, max_resumes: int = 6) -> int:
    proc = ws.cli("push", "--yes")
    resumes = 0
    while proc.returncode in (3, 6) and resumes < max_resumes:  # interrupted: finish the same plan
        resumes += 1
        proc = ws.cli("push", "--yes", "--resume")
    assert proc.returncode == 0, proc.stderr
    return resumes


@pytest.mark.slow
def test_fault_soak(ws: Workspace) -> None:
    _, orphans_before = snapshot_counts(ws)
    for run in range(10):
        expected = plan_changes(ws, run)
        ws.sb.set_faults(
            error_rate=0.1,
            drop_rate=0.05,
            commit_drop_rate=0.05,
            rate_limit_rate=0.05,
            retry_after=0,
            seed=run,
        )
        try:
            push_until_done(ws)
        finally:
            ws.sb.clear_faults()
        check_state(ws, expected, run, orphans_before)


def add_new_model(ws: Workspace, run: int) -> str:
    """A new model with a date: a contribution, a literal and statements are created (orphan risk)."""
    label = f"Soak LM {run}"

    def change(store: ox.Store) -> None:
        new = ox.NamedNode(MODEL + f"soak-lm-{run}")
        store.add(ox.Quad(new, ox.NamedNode(RDF_TYPE), ox.NamedNode(SLM + "LanguageModel")))
        store.add(ox.Quad(new, ox.NamedNode(RDFS_LABEL), ox.Literal(label)))
        store.add(ox.Quad(new, ox.NamedNode(SLM + "releaseDate"), ym(f"2025-{run % 12 + 1:02d}")))

    ws.edit(change)
    return label


def resume_until_done(ws: Workspace, faults: dict[str, object]) -> None:
    ws.sb.set_faults(**faults)
    try:
        for _ in range(8):
            proc = ws.cli("push", "--yes", "--resume")
            if proc.returncode == 2 and "no interrupted push" in proc.stderr:
                proc = ws.cli("push", "--yes")  # killed before the plan was stored, or after it finished
            if proc.returncode == 0:
                return
            assert proc.returncode in (3, 6), proc.stderr
    finally:
        ws.sb.clear_faults()
    raise AssertionError(f"push did not finish: {proc.stderr}")


@pytest.mark.slow
def test_sigkill_then_resume(ws: Workspace) -> None:
    """Random SIGKILL under 20% injected faults, then --resume: exactly the planned state, nothing doubled,
    no orphan literal. ORKG_SYNC_KILL_RUNS sets the count (default 4; the full target is 50)."""
    _, orphans_before = snapshot_counts(ws)
    rng = random.Random(7)
    env = cli_env()
    env.update(ORKG_USERNAME=ws.sb.username, ORKG_PASSWORD=ws.sb.password)
    for run in range(int(os.environ.get("ORKG_SYNC_KILL_RUNS", "4"))):
        expected = plan_changes(ws, run)
        label = add_new_model(ws, run)
        faults = dict(
            error_rate=0.1, drop_rate=0.05, commit_drop_rate=0.05, retry_after=0, seed=run, latency_ms=30
        )
        ws.sb.set_faults(**faults)
        proc = subprocess.Popen(
            [sys.executable, "-m", "orkg_sync", "push", "--yes", "--host", ws.sb.url],
            cwd=ws.root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.6, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        resume_until_done(ws, faults)
        check_state(ws, expected, run, orphans_before)
        papers = requests.get(
            f"{ws.sb.url}/api/resources", params={"q": label, "exact": "true"}, timeout=10
        ).json()["content"]
        assert len(papers) == 1, (run, papers)  # the new model exists once
        assert ws.remote(papers[0]["id"])["Date"] == [f"2025.{run % 12 + 1}"], run
        assert papers[0]["id"] in ws.head_sources(), run
        assert not (ws.state / "push.journal").exists()
