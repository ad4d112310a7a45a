"""`orkg-sync init`: a starter dataset definition (mapping, ontology, vocabularies, shapes)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from orkg_sync.cli._remote import RemoteConfig, remote_options
from orkg_sync.cli.options import BaseIri, OrkgId, OutputPath, command, option


@command
@click.command("init")
@option("--comparison", type=OrkgId(), required=True, help="ORKG comparison id (head or published).")
@remote_options
@option(
    "--out",
    type=OutputPath("dir"),
    required=True,
    help="Folder for mapping.toml, ontology.ttl, vocab/, shapes.ttl and README.md.",
)
@option(
    "--base",
    type=BaseIri(),
    default=None,
    help="Base IRI of the dataset (default https://w3id.org/orkg-sync/<id>/).",
)
@option("--force", is_flag=True, help="Overwrite files of an earlier init in OUT.")
@option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
def init_cmd(
    comparison: str, remote: RemoteConfig, out: Path, base: str | None, force: bool, as_json: bool
) -> None:
    """Read COMPARISON (sources, table paths, values, predicates, ORKG templates of the sources' classes)
    and write a starter dataset definition into OUT: a mapping whose rules were chosen by what each
    column holds, an ontology module for its properties, a SKOS concept scheme per resource column,
    SHACL shapes (from the template where there is one, else from the data) and a README saying what was
    guessed and how sure. Then: `orkg-sync pull --mapping OUT/mapping.toml --comparison COMPARISON`.
    """
    from orkg_sync.mapping.bootstrap import initialise

    api = remote.api()
    result = initialise(api, comparison, out, host=remote.host.api_base, base=base, force=force)
    if as_json:
        click.echo(json.dumps(result.summary(), indent=2, sort_keys=True))
        return
    n = len(result.columns)
    click.echo(f"read {comparison} from {remote.host.api_base}: {result.sources} sources, {n} columns")
    for col in result.columns:
        click.echo(f"  {col.label} ({col.pid}): {col.rule} rule, {col.confidence} confidence")
    for g in result.nested:  # nested table paths, below their resource column
        c = g.column
        click.echo(f"  {g.name} ({g.path}): {c.rule} rule, {c.confidence} confidence")
    click.echo(f"wrote {', '.join(sorted(result.files))} to {out}/")
