"""`orkg-sync validate`: the SHACL report for the dataset or for given RDF files."""

from __future__ import annotations

import click

from orkg_sync.cli.main import command
from orkg_sync.dataset import open_dataset
from orkg_sync.errors import InvalidDataError


@command
@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: SPARQL on pyoxigraph; pyshacl: the reference engine (same results, much slower).",
)
@click.option("--focus", multiple=True, help="Only re-check these model IRIs (plus the table-wide checks).")
def validate_cmd(files: tuple[str, ...], fmt: str, strict: bool, engine: str, focus: tuple[str, ...]) -> None:
    """Validate FILES (Turtle, N-Triples, JSON-LD) against the shipped SHACL shapes.

    With no FILES, the dataset built from the shipped snapshot is validated. The report is grouped by
    model and property with each result's severity and a message for curators. Exit code 1 when there
    are violations (or warnings with --strict), 0 otherwise, 2 for unreadable input.
    """
    from orkg_sync.validate import validate

    store = open_dataset(files)
    if not len(store.store):  # no dataset node for the shapes to flag: an empty file is not a dataset
        raise InvalidDataError(f"{', '.join(files) or 'the dataset'} is empty: no dataset, no models")
    report = validate(store, engine=engine, focus=list(focus) if focus else None)
    if fmt == "json":
        click.echo(report.to_json(), nl=False)
    elif fmt == "turtle":
        click.echo(report.to_turtle().decode("utf-8"), nl=False)
    else:
        click.echo(report.to_text(), nl=False)
    if report.violations or (strict and report.warnings):
        what = f"{report.violations} violation(s)" + (
            f", {report.warnings} warning(s) (--strict)" if strict else ""
        )
        raise InvalidDataError(f"validation failed: {what}")
