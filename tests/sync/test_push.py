"""diff / push / apply against the sandbox over real HTTP: every change kind, conflicts, safety."""

from __future__ import annotations

import json

import pyoxigraph as ox
import requests

from .conftest import MODEL, RDFS_LABEL, SLM, Workspace, integer, set_value, ym

VOCAB = "https://w3id.org/orkg-sync/slm/vocab/"


def push(ws: Workspace, *extra: str) -> dict:  # type: ignore[type-arg]
    proc = ws.cli("push", "--yes", "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def in_sync(ws: Workspace) -> bool:
    return ws.cli("diff", "--exit-code").returncode == 0


def test_in_sync_after_pull(ws: Workspace) -> None:
    proc = ws.cli("diff", "--exit-code")
    assert proc.returncode == 0 and "in sync" in proc.stdout


def test_date_change_keeps_orkg_style_and_costs_few_requests(ws: Workspace) -> None:
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    diff = ws.cli("diff", "--exit-code")
    assert diff.returncode == 10 and "Phi-2 / releaseDate" in diff.stdout
    phi = ws.contribution("Phi-2")
    ws.sb.reset_stats()
    push(ws)
    assert ws.remote(phi)["Date"] == ["2023.11"]  # the survey's unpadded yyyy.m, as the old value
    assert ws.requests() <= 1 + 1 + 5  # k + models touched + 5, reads included
    assert in_sync(ws)
    again = ws.cli("push", "--yes")
    assert again.returncode == 0 and "nothing to push" in again.stdout


def test_parameters_attention_and_removal(ws: Workspace) -> None:
    llama, phi = ws.contribution("Llama 3.2"), ws.contribution("Phi-2")
    gqa_before = requests.get(
        f"{ws.sb.url}/api/resources", params={"q": "GQA", "exact": "true"}, timeout=10
    ).json()
    ws.edit(
        set_value(
            "llama-3-2",
            "numberOfParameters",
            integer(1_000_000_000),
            integer(3_000_000_000),
            integer(11_000_000_000),
        )
    )
    ws.edit(set_value("llama-3-2", "maxNumberOfParameters", integer(11_000_000_000)))
    ws.edit(set_value("phi-2", "attentionMechanism", ox.NamedNode(VOCAB + "attention/gqa")))
    ws.edit(set_value("phi-2", "domain"))
    push(ws)
    assert ws.remote(llama)["number of parameters"] == ["1B; 3B; 11B"]
    assert ws.remote(phi)["Attention mechanism"] == ["GQA"]
    assert "Domain" not in ws.remote(phi)
    gqa_after = requests.get(
        f"{ws.sb.url}/api/resources", params={"q": "GQA", "exact": "true"}, timeout=10
    ).json()
    assert (
        gqa_after["page"]["total_elements"] == gqa_before["page"]["total_elements"]
    )  # reused, not duplicated
    assert in_sync(ws)


def test_rename_add_and_remove_models(ws: Workspace) -> None:
    def change(store: ox.Store) -> None:
        m = ox.NamedNode(MODEL + "tinyllama")
        for q in list(store.quads_for_pattern(m, ox.NamedNode(RDFS_LABEL), None, None)):
            store.remove(q)
        store.add(ox.Quad(m, ox.NamedNode(RDFS_LABEL), ox.Literal("TinyLlama 1.1B")))
        new = ox.NamedNode(MODEL + "new-lm")
        store.add(
            ox.Quad(
                new,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(SLM + "LanguageModel"),
            )
        )
        store.add(ox.Quad(new, ox.NamedNode(RDFS_LABEL), ox.Literal("NewLM")))
        store.add(ox.Quad(new, ox.NamedNode(SLM + "releaseDate"), ym("2025-01")))
        gone = ox.NamedNode(MODEL + "xglm")
        for q in list(store.quads_for_pattern(gone, None, None, None)):
            store.remove(q)

    tiny, xglm = ws.contribution("TinyLlama"), ws.contribution("XGLM")
    ws.edit(change)
    refused = ws.cli("push", "--yes")
    assert refused.returncode == 2 and "removes 1 model(s)" in refused.stderr and "XGLM" in refused.stderr
    push(ws, "--allow-removals")
    head = requests.get(
        f"{ws.sb.url}/api/comparisons/R9000068",
        headers={"Accept": "application/vnd.orkg.comparison.v3+json"},
        timeout=10,
    ).json()
    sources = {s["id"] for s in head["sources"]}
    assert xglm not in sources  # dropped from the head...
    assert requests.get(f"{ws.sb.url}/api/resources/{xglm}", timeout=10).status_code == 200  # ...but kept
    assert requests.get(f"{ws.sb.url}/api/resources/{tiny}", timeout=10).json()["label"] == "TinyLlama 1.1B"
    new = [
        s
        for s in sources
        if requests.get(f"{ws.sb.url}/api/resources/{s}", timeout=10).json()["label"] == "NewLM"
    ]
    assert len(new) == 1 and ws.remote(new[0])["Date"] == ["2025.1"]
    papers = requests.get(
        f"{ws.sb.url}/api/statements", params={"object_id": new[0], "predicate_id": "P31"}, timeout=10
    ).json()["content"]
    assert len(papers) == 1
    assert in_sync(ws)
    # a fresh pull sees exactly what was pushed
    assert ws.cli("pull", "--force", "--quiet", creds=False).returncode == 0 and in_sync(ws)


def test_conflict_stops_then_prefer_resolves(ws: Workspace) -> None:
    phi = ws.contribution("Phi-2")
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    lit = next(
        v
        for v in json.loads((ws.folder / "syncbase.json").read_text())["models"][phi]["values"][
            SLM + "releaseDate"
        ]
    )
    r = requests.put(
        f"{ws.sb.url}/api/literals/{lit['object_id']}",
        json={"label": "2023.10", "datatype": "xsd:string"},
        headers=ws.sb.auth(),
        timeout=10,
    )
    assert r.status_code == 204
    diff = ws.cli("diff", "--exit-code")
    assert diff.returncode == 10 and "conflicts: 1" in diff.stdout
    ws.sb.reset_stats()
    refused = ws.cli("push", "--yes")
    assert refused.returncode == 5 and "conflict" in refused.stderr and ws.writes() == 0
    push(ws, "--prefer", "local")
    assert ws.remote(phi)["Date"] == ["2023.11"]


def test_identical_change_on_both_sides_is_not_a_conflict(ws: Workspace) -> None:
    phi = ws.contribution("Phi-2")
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    lit = json.loads((ws.folder / "syncbase.json").read_text())["models"][phi]["values"][SLM + "releaseDate"][
        0
    ]
    requests.put(
        f"{ws.sb.url}/api/literals/{lit['object_id']}",
        json={"label": "2023.11", "datatype": "xsd:string"},
        headers=ws.sb.auth(),
        timeout=10,
    )
    ws.sb.reset_stats()
    proc = ws.cli("push", "--yes")
    assert proc.returncode == 0 and "nothing to push" in proc.stdout and ws.writes() == 0


def test_shacl_violation_blocks_every_write(ws: Workspace) -> None:
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11"), ym("2024-01")))  # two release dates
    ws.edit(set_value("llama-3-2", "releaseDate", ym("2024-10")))
    ws.sb.reset_stats()
    proc = ws.cli("push", "--yes")
    assert proc.returncode == 1 and "violation" in proc.stderr and ws.writes() == 0


def test_plan_out_then_apply_and_refusal_when_remote_moved(ws: Workspace) -> None:
    phi = ws.contribution("Phi-2")
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    plan = ws.root / "plan.json"
    made = ws.cli("push", "--plan-out", str(plan))
    assert made.returncode == 0 and plan.is_file()
    text = plan.read_text()
    assert ws.sb.password not in text and "Bearer" not in text
    ok = ws.cli("apply", str(plan))
    assert ok.returncode == 0, ok.stderr
    assert ws.remote(phi)["Date"] == ["2023.11"]
    # a second plan, then ORKG moves: the saved plan is refused
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-09")))
    assert ws.cli("push", "--plan-out", str(plan)).returncode == 0
    lit = json.loads((ws.folder / "syncbase.json").read_text())["models"][phi]["values"][SLM + "releaseDate"][
        0
    ]
    requests.put(
        f"{ws.sb.url}/api/literals/{lit['object_id']}",
        json={"label": "2023.7", "datatype": "xsd:string"},
        headers=ws.sb.auth(),
        timeout=10,
    )
    moved = ws.cli("apply", str(plan))
    assert moved.returncode == 5 and "changed since the plan" in moved.stderr


def test_push_needs_credentials_and_never_prints_them(ws: Workspace) -> None:
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    proc = ws.cli("push", "--yes", creds=False)
    assert proc.returncode == 4 and "ORKG_USERNAME" in proc.stderr
    done = ws.cli("push", "--yes")
    assert ws.sb.password not in done.stdout + done.stderr
    for f in ws.folder.iterdir():
        assert ws.sb.password.encode() not in f.read_bytes()


def test_publish_new_version(ws: Workspace) -> None:
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    proc = ws.cli("push", "--yes", "--publish-version", "--changelog", "Phi-2 date corrected")
    assert proc.returncode == 0, proc.stderr
    version = proc.stdout.strip().splitlines()[-1].split()[3]
    comp = requests.get(
        f"{ws.sb.url}/api/comparisons/{version}",
        headers={"Accept": "application/vnd.orkg.comparison.v3+json"},
        timeout=10,
    ).json()
    assert comp["published"] and comp["versions"]["head"]["id"] == "R9000068"
    old = requests.get(
        f"{ws.sb.url}/api/comparisons/R790020",
        headers={"Accept": "application/vnd.orkg.comparison.v3+json"},
        timeout=10,
    ).json()
    assert old["published"]  # the frozen version was never touched


def test_prune_deletes_only_what_no_published_version_cites(ws: Workspace) -> None:
    def add(store: ox.Store) -> None:
        new = ox.NamedNode(MODEL + "short-lived")
        store.add(
            ox.Quad(
                new,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(SLM + "LanguageModel"),
            )
        )
        store.add(ox.Quad(new, ox.NamedNode(RDFS_LABEL), ox.Literal("Short-lived LM")))
        store.add(ox.Quad(new, ox.NamedNode(SLM + "releaseDate"), ym("2025-02")))

    ws.edit(add)
    push(ws)
    new_id = ws.contribution("Short-lived LM")
    xglm = ws.contribution("XGLM")

    def drop(store: ox.Store) -> None:
        for slug in ("short-lived", "xglm"):  # a pushed model keeps the IRI it had locally
            for q in list(store.quads_for_pattern(ox.NamedNode(MODEL + slug), None, None, None)):
                store.remove(q)

    ws.edit(drop)
    proc = ws.cli("push", "--yes", "--prune", "--allow-removals")
    assert proc.returncode == 0, proc.stderr
    assert requests.get(f"{ws.sb.url}/api/resources/{new_id}", timeout=10).status_code == 404
    assert (
        requests.get(f"{ws.sb.url}/api/statements", params={"subject_id": new_id}, timeout=10).json()[
            "content"
        ]
        == []
    )
    assert (
        requests.get(f"{ws.sb.url}/api/resources/{xglm}", timeout=10).status_code == 200
    )  # R790020 cites it
    assert f"kept contribution {xglm}" in proc.stdout
    assert in_sync(ws)
