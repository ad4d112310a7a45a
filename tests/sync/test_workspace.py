"""A workspace knows its host and comparison, and has one writer at a time (issue 9, items 1 and 5)."""

from __future__ import annotations

import json
from typing import Any

from orkg_sync.workspace.lock import workspace_lock

from .conftest import Workspace, set_value, ym


def test_workspace_records_its_bindings(ws: Workspace) -> None:
    doc = json.loads((ws.folder / "workspace.json").read_text())
    assert doc["host"] == ws.sb.url and doc["comparison"] == "R790020" and doc["head"] == "R9000068"
    # commands default to the bound host: no --host needed
    assert ws.cli("diff", "--exit-code", host="").returncode == 0


def test_other_host_is_refused_by_diff_push_and_apply(ws: Workspace, sandbox: Any) -> None:
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    sandbox.reset_stats()
    for args in (("diff",), ("push", "--yes"), ("push", "--plan-out", "p.json")):
        proc = ws.cli(*args, host=sandbox.url)
        assert proc.returncode == 2, (args, proc.stderr)
        assert f"was pulled from {ws.sb.url}, not {sandbox.url}" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    assert not (ws.root / "p.json").exists()
    plan = ws.root / "plan.json"
    assert ws.cli("push", "--plan-out", str(plan)).returncode == 0
    moved = ws.cli("apply", str(plan), host=sandbox.url)
    assert moved.returncode == 2 and "nothing was applied" not in moved.stdout
    stats = sandbox.stats()["endpoints"]
    assert not any(k.split()[0] in ("POST", "PUT", "DELETE") and "/api/" in k for k in stats)


def test_plan_made_elsewhere_is_refused(ws: Workspace, sandbox: Any, tmp_path_factory: Any) -> None:
    other = Workspace(sandbox, tmp_path_factory.mktemp("other"))
    assert other.cli("pull", "--quiet", creds=False).returncode == 0
    other.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    plan = other.root / "plan.json"
    assert other.cli("push", "--plan-out", str(plan)).returncode == 0
    ws.sb.reset_stats()
    proc = ws.cli("apply", str(plan))
    assert proc.returncode == 2 and f"the plan was made for {sandbox.url}" in proc.stderr
    assert ws.writes() == 0
    phi = ws.contribution("Phi-2")
    assert ws.remote(phi)["Date"] != ["2023.11"]


def test_second_push_from_the_same_folder_is_refused(ws: Workspace) -> None:
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    with workspace_lock(ws.state / "lock", "test"):
        ws.sb.reset_stats()
        proc = ws.cli("push", "--yes")
        assert proc.returncode == 2 and "in use by pid" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and ws.writes() == 0
    assert ws.cli("push", "--yes").returncode == 0


def test_unfinished_push_refuses_a_new_plan_until_resumed_or_discarded(ws: Workspace) -> None:
    phi = ws.contribution("Phi-2")
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    ws.sb.set_faults(error_rate=1.0, methods="PUT")  # every write fails: the push stops half-way
    try:
        stopped = ws.cli("push", "--yes")
    finally:
        ws.sb.clear_faults()
    assert stopped.returncode == 6 and "--resume" in stopped.stderr
    again = ws.cli("push", "--yes")
    assert again.returncode == 6 and "--resume" in again.stderr and "--discard" in again.stderr
    pull = ws.cli("pull", "--force", "--quiet", creds=False)
    assert pull.returncode == 6 and (ws.state / "push.journal").is_file()  # the journal survives
    assert ws.cli("push", "--yes", "--resume").returncode == 0
    assert ws.remote(phi)["Date"] == ["2023.11"]
    assert ws.cli("diff", "--exit-code").returncode == 0


def test_discard_drops_an_unfinished_push(ws: Workspace) -> None:
    ws.edit(set_value("phi-2", "releaseDate", ym("2023-11")))
    ws.sb.set_faults(error_rate=1.0, methods="PUT")
    try:
        assert ws.cli("push", "--yes").returncode == 6
    finally:
        ws.sb.clear_faults()
    proc = ws.cli("push", "--discard")
    assert proc.returncode == 0 and "discarded plan" in proc.stdout
    assert not (ws.state / "push.journal").exists()
    assert ws.cli("push", "--yes").returncode == 0


def test_pull_refreshes_from_the_bound_host_and_refuses_another(ws: Workspace, sandbox: Any) -> None:
    assert ws.cli("pull", "--quiet", creds=False, host="").returncode == 0  # no --host: the bound one
    other = ws.cli("pull", "--quiet", creds=False, host=sandbox.url)
    assert other.returncode == 2 and "--force to re-bind" in other.stderr
    assert json.loads((ws.folder / "workspace.json").read_text())["host"] == ws.sb.url
