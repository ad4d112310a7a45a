"""`orkg-sync status`: what this workspace is, what changed locally, and whether a push is unfinished."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from orkg_sync.cli._remote import RemoteConfig, remote_options
from orkg_sync.cli.options import command, local_option, option, workspace_option
from orkg_sync.cli.push import bound_remote


@command
@click.command("status")
@workspace_option()
@local_option
@remote_options
@click.option(
    "--remote", "check_remote", is_flag=True, help="Also re-read ORKG (N + 4 requests) for conflicts."
)
@option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status_cmd(
    folder: Path, local: Path | None, remote: RemoteConfig, check_remote: bool, as_json: bool
) -> None:
    """Host, comparison, head and published version, when pulled, local edits, conflicts, unfinished push.

    Offline by default (nothing is read from ORKG); --remote adds remote changes and conflicts.
    """
    from orkg_sync.sync.push import diff_all
    from orkg_sync.sync.session import PushSession
    from orkg_sync.workspace import Workspace

    ws = Workspace.open(folder)
    remote = bound_remote(ws, remote)
    tw = diff_all(ws, remote.api() if check_remote else None, local)
    session = PushSession(ws, remote.host.api_base)
    plan = session.unfinished()
    doc: dict[str, Any] = {
        "workspace": str(folder),
        "host": ws.bindings.host,
        "comparison": ws.bindings.comparison,
        "head": ws.base.head_id,
        "published_version": ws.bindings.comparison if ws.bindings.comparison != ws.base.head_id else None,
        "pulled_at": ws.base.retrieved_at,
        "models": len(ws.base.models),
        "local_changes": len(tw.local),
        "local_models": sorted({c.label for c in tw.local}),
        "remote_changes": len(tw.remote) if check_remote else None,
        "conflicts": [f"{a.label} / {_short(a.column)}" for a, _ in tw.conflicts] if check_remote else None,
        "unfinished_push": _unfinished(session, plan),
    }
    if as_json:
        click.echo(json.dumps(doc, indent=2, sort_keys=True))
        return
    version = f" (published version {doc['published_version']})" if doc["published_version"] else ""
    click.echo(f"workspace {folder}: {doc['host']} comparison {doc['head']}{version}")
    click.echo(f"pulled {doc['pulled_at']}: {doc['models']} models")
    models = ", ".join(doc["local_models"][:8]) + (" ..." if len(doc["local_models"]) > 8 else "")
    click.echo(f"local changes: {doc['local_changes']}" + (f" ({models})" if models else ""))
    if check_remote:
        click.echo(f"remote changes: {doc['remote_changes']}; conflicts: {len(doc['conflicts'])}")
        for c in doc["conflicts"]:
            click.echo(f"  ! {c}")
    else:
        click.echo("conflicts: unknown (offline; `orkg-sync status --remote` reads ORKG)")
    u = doc["unfinished_push"]
    if u:
        click.echo(
            f"unfinished push: plan {u['plan']}, {u['done']} of {u['operations']} operation(s) done: "
            "`orkg-sync push --resume` or `orkg-sync push --discard`"
        )


def _unfinished(session: Any, plan: Any) -> dict[str, Any] | None:
    if plan is None:
        return None
    from orkg_sync.sync.journal import Journal

    done = len(Journal(session.journal_path, plan.plan_id).done) if session.journal_path.is_file() else 0
    return {"plan": plan.plan_id, "operations": len(plan.ops), "done": done}


def _short(column: str | None) -> str:
    return (column or "model").rsplit("#", 1)[-1]
