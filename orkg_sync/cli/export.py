"""`orkg-sync export`: write the dataset as Turtle, JSON-LD or sorted N-Triples."""

from __future__ import annotations

from pathlib import Path

import click

from orkg_sync import export as ex
from orkg_sync.atomic import atomic_write_bytes
from orkg_sync.cli.main import command
from orkg_sync.dataset import open_dataset


@command
@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["turtle", "json-ld", "nt"]), default="turtle")
@click.option("--input", "inputs", multiple=True, help="RDF file(s) to load (.ttl, .nt, .jsonld).")
@click.option("--out", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
def export_cmd(fmt: str, inputs: tuple[str, ...], out: str | None) -> None:
    """Export the dataset (default: the one built from the shipped snapshot)."""
    store = open_dataset(inputs)
    if fmt == "turtle":
        data = ex.to_turtle(store)
    elif fmt == "nt":
        data = ex.to_ntriples(store)
    else:  # a file gets the context beside it; stdout gets it embedded so the output stands alone
        data = ex.to_jsonld(store, context_ref="context.jsonld" if out else None)
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    atomic_write_bytes(Path(out), data)
    if fmt == "json-ld":
        atomic_write_bytes(Path(out).parent / "context.jsonld", ex.context_bytes())
