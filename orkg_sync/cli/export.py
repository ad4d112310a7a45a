"""`orkg-sync export`: write the dataset as Turtle, JSON-LD or sorted N-Triples."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

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

if TYPE_CHECKING:
    from orkg_sync.store import DatasetStore


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
    from orkg_sync.atomic import atomic_writer
    from orkg_sync.dataset import dataset_base, open_dataset

    store = open_dataset([str(p) for p in inputs], snapshot=snapshot_path, mapping=mapping_path)
    base = dataset_base(mapping_path) if mapping_path else None  # prefixes of the mapping's own base
    if out is None:
        stdout = sys.stdout.buffer  # bytes as they are made (click.echo would need one str)
        _write(fmt, store, base, stdout)
        stdout.flush()
        return
    with atomic_writer(out) as fh:
        _write(fmt, store, base, fh)


def _write(fmt: str, store: DatasetStore, base: str | None, out: BinaryIO) -> None:
    """Stream the export into ``out`` (a large dataset is never held whole in memory)."""
    from orkg_sync import export as ex

    if fmt == "turtle":
        ex.write_turtle(store, out, base)
    elif fmt == "nt":
        with ex.sorted_ntriples(store) as nt, nt.path.open("rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
    else:
        ex.write_jsonld(store, out, base=base)
