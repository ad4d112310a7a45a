"""`orkg-sync validate`: the SHACL report for the dataset or for given RDF files."""

from __future__ import annotations

from pathlib import Path

import click

from orkg_sync.cli.options import InputFile, Iri, command, inputs_option, json_format_alias, option
from orkg_sync.errors import InputError, InvalidDataError


@command
@click.command("validate")
@click.argument("files", nargs=-1, type=InputFile(rdf=True))
@inputs_option
@option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report as text for curators, JSON, or a Turtle sh:ValidationReport.",
)
@json_format_alias
@option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: SPARQL on pyoxigraph; pyshacl: the reference engine (same results, much slower).",
)
@click.option(
    "--focus",
    multiple=True,
    type=Iri(),
    help="Only re-check this model IRI (repeatable), plus the table-wide checks (default: every model).",
)
@option(
    "--mapping",
    "mapping_path",
    type=InputFile(suffixes=(".toml",)),
    help="Validate with the shapes this mapping names (default: the shipped shapes).",
)
@option(
    "--shapes",
    "shape_files",
    multiple=True,
    type=InputFile(suffixes=(".ttl",)),
    help="Validate with this SHACL file (repeatable; added to --mapping's), e.g. one from `orkg-sync "
    "shapes --from-template` (default: the shipped shapes).",
)
def validate_cmd(
    files: tuple[Path, ...],
    inputs: tuple[Path, ...],
    fmt: str,
    strict: bool,
    engine: str,
    focus: tuple[str, ...],
    mapping_path: Path | None,
    shape_files: tuple[Path, ...],
) -> None:
    """Validate FILES or --input files (Turtle, N-Triples, JSON-LD) against the shipped SHACL shapes.

    With no files, the dataset built from the shipped snapshot is validated. The report is grouped by
    model and property with each result's severity and a message for curators. Exit code 1 when there
    are violations (or warnings with --strict), 0 otherwise, 2 for unreadable input.
    """
    from orkg_sync.dataset import open_dataset
    from orkg_sync.validate import validate

    store = open_dataset([str(p) for p in (*files, *inputs)])
    if not len(store.store):  # no dataset node for the shapes to flag: an empty file is not a dataset
        names = ", ".join(str(p) for p in (*files, *inputs))
        raise InvalidDataError(f"{names or 'the dataset'} is empty: no dataset, no models")
    for iri in focus:  # a focus that is not in the data would "conform" silently
        if not store.query(f"ASK {{ <{iri}> ?p ?o }}"):
            raise InputError(f"--focus {iri}: no such model in the data")
    shapes = list(shape_files) or None
    if mapping_path is not None:
        from orkg_sync.mapping import load_mapping
        from orkg_sync.validate.shapes import shape_files as shipped

        mapping = load_mapping(mapping_path)
        if files or inputs:  # the mapping's vocabularies, which its in-scheme constraints look concepts up in
            store.add_quads(mapping.concept_quads())
        own = mapping.validation_shapes()
        shapes = [*(shipped() if own is None and shape_files else own or []), *shape_files] or None
    report = validate(store, engine=engine, focus=list(focus) if focus else None, shapes=shapes)
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
