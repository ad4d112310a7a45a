"""`orkg-sync undo`: revert the last completed push, cell by cell, refusing cells changed since."""

from __future__ import annotations

from pathlib import Path

import click

from orkg_sync.cli._remote import RemoteConfig, remote_options
from orkg_sync.cli.options import command, confirm_host_option, option, workspace_option, yes_option
from orkg_sync.cli.progress import terminal_progress
from orkg_sync.cli.push import WRITING, _confirm_host, _confirm_plan, _report, bound_remote


@command
@click.command("undo")
@workspace_option()
@remote_options
@yes_option
@option("--dry-run", is_flag=True, help="Show what would be reverted and stop.")
@click.option("--allow-removals", is_flag=True, help="Allow removing the models the push added.")
@confirm_host_option("undo")
def undo_cmd(
    folder: Path,
    remote: RemoteConfig,
    yes: bool,
    dry_run: bool,
    allow_removals: bool,
    confirm_host: str | None,
) -> None:
    """Revert the last completed push from its journal: old values back, created models deleted,
    removed sources restored. Same plan / confirm / compare-and-set rules as `push`: a cell someone
    changed since the push is refused (exit 5) and the others are reverted."""
    from orkg_sync.sync.session import PushSession
    from orkg_sync.workspace import Workspace

    ws = Workspace.open(folder)
    remote = bound_remote(ws, remote)
    with ws.lock():
        session = PushSession(ws, remote.host.api_base)
        session.refuse_unfinished()
        api = remote.api(login=not dry_run)
        plan, snap = session.undo_plan(api)
        click.echo(f"undo plan {plan.plan_id}: {len(plan.ops)} operation(s)")
        for line in plan.summary_lines():
            click.echo(line)
        if dry_run or not plan.ops:
            if not plan.ops:
                click.echo("nothing to undo")
            return
        _confirm_host(remote, yes, confirm_host)
        _confirm_plan(plan, remote, yes, allow_removals)
        with terminal_progress(WRITING) as bar:
            applier = session.undo(api, plan, snap, bar)
    _report(applier, False)
