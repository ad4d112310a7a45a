"""`orkg-sync export`: write the dataset as Turtle, JSON-LD or sorted N-Triples."""

from __future__ import annotations

from pathlib import Path

import click

from orkg_sync.cli.options import OutputPath, command, inputs_option


@command
@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "json-ld", "nt"]),
    default="turtle",
    show_default=True,
    help="Serialization to write (nt: sorted N-Triples, byte-stable).",
)
@inputs_option
@click.option(
    "--out",
    type=OutputPath("file"),
    help="Output file, written atomically (default: stdout). Only this file is written.",
)
def export_cmd(fmt: str, inputs: tuple[Path, ...], out: Path | None) -> None:
    """Export the dataset (default: the one built from the shipped snapshot).

    JSON-LD output always embeds its @context, so the file stands alone and reads back offline
    (`orkg-sync validate --input x.jsonld`); no context.jsonld is written beside it.
    """
    from orkg_sync import export as ex
    from orkg_sync.atomic import atomic_write_bytes
    from orkg_sync.dataset import open_dataset

    store = open_dataset([str(p) for p in inputs])
    if fmt == "turtle":
        data = ex.to_turtle(store)
    elif fmt == "nt":
        data = ex.to_ntriples(store)
    else:
        data = ex.to_jsonld(store)
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    atomic_write_bytes(out, data)
