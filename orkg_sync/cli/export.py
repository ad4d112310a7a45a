"""`orkg-sync export`: write the dataset as Turtle, JSON-LD or sorted N-Triples."""

from __future__ import annotations

from pathlib import Path

import click

from orkg_sync.cli.options import (
    OutputPath,
    command,
    conflicts,
    inputs_option,
    mapping_option,
    option,
    snapshot_option,
)


@command
@click.command("export")
@conflicts("inputs", "snapshot_path")
@conflicts("inputs", "mapping_path")
@option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "json-ld", "nt"]),
    default="turtle",
    show_default=True,
    help="Serialization to write (nt: sorted N-Triples, byte-stable).",
)
@inputs_option
@snapshot_option
@mapping_option(
    "Build the dataset with this mapping: its rules, vocabularies and base (not with --input; default: "
    "the shipped mapping)."
)
@option(
    "--out",
    type=OutputPath("file"),
    help="Output file, written atomically (default: stdout). Only this file is written.",
)
def export_cmd(
    fmt: str,
    inputs: tuple[Path, ...],
    snapshot_path: Path | None,
    mapping_path: Path | None,
    out: Path | None,
) -> None:
    """Export the dataset (default: the one built from the shipped snapshot).

    --snapshot and --mapping build it as `orkg-sync build` does (same triples as its data.nt). They
    exclude --input: files given are exported as they are, and a mapping would change nothing in them.

    JSON-LD output always embeds its @context, so the file stands alone and reads back offline
    (`orkg-sync validate --input x.jsonld`); no context.jsonld is written beside it.
    """
    from orkg_sync import export as ex
    from orkg_sync.atomic import atomic_write_bytes
    from orkg_sync.dataset import dataset_base, open_dataset

    store = open_dataset([str(p) for p in inputs], snapshot=snapshot_path, mapping=mapping_path)
    base = dataset_base(mapping_path) if mapping_path else None  # prefixes of the mapping's own base
    if fmt == "turtle":
        data = ex.to_turtle(store, base)
    elif fmt == "nt":
        data = ex.to_ntriples(store)
    else:
        data = ex.to_jsonld(store, base=base)
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    atomic_write_bytes(out, data)
