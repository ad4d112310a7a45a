"""`orkg-sync resolve MODEL COLUMN --take local|remote`: settle one conflicting cell."""

from __future__ import annotations

from pathlib import Path

import click

from orkg_sync.cli._remote import RemoteConfig, remote_options
from orkg_sync.cli.options import command, local_option, workspace_option
from orkg_sync.cli.push import bound_remote


@command
@click.command("resolve")
@click.argument("model")
@click.argument("column")
@click.option("--take", type=click.Choice(["local", "remote"]), required=True, help="Which side wins.")
@workspace_option()
@local_option
@remote_options
def resolve_cmd(
    model: str, column: str, take: str, folder: Path, local: Path | None, remote: RemoteConfig
) -> None:
    """Resolve the conflict at MODEL (name or contribution id) / COLUMN (e.g. releaseDate).

    --take remote writes ORKG's values into the local dataset (the cell is then in sync); --take local
    keeps ours and lets the next `push` write it over ORKG's, as long as ORKG still holds what was seen now.
    """
    from orkg_sync.sync.push import resolve_cell
    from orkg_sync.workspace import Workspace

    ws = Workspace.open(folder)
    remote = bound_remote(ws, remote)
    with ws.lock():
        cell = resolve_cell(ws, remote.api(), local, model, column, take)
    where = f"{cell.label} / {(cell.column or 'model').rsplit('#', 1)[-1]}"
    if take == "remote":
        click.echo(f"{where}: took the remote value into the local dataset")
    else:
        click.echo(f"{where}: the local value will be pushed (`orkg-sync push`)")
