"""`orkg-sync shapes --from-template ID`: an ORKG template as real SHACL (XSD datatypes, zero counts kept)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from orkg_sync.cli._remote import RemoteConfig, remote_options
from orkg_sync.cli.options import BaseIri, OrkgId, OutputPath, command, option
from orkg_sync.namespaces import ORKG_RESOURCE


@command
@click.command("shapes")
@click.option(
    "--from-template", "template_id", type=OrkgId(), required=True, help="ORKG template id (e.g. R12345)."
)
@remote_options
@option(
    "--out",
    type=OutputPath("file"),
    default=None,
    help="Turtle file to write (default: standard output).",
)
@option(
    "--base",
    type=BaseIri(),
    default=ORKG_RESOURCE,
    show_default=True,
    help="Namespace of the shape IRIs (<base><template id>, <base><template id>/<property id>).",
)
def shapes_cmd(template_id: str, remote: RemoteConfig, out: Path | None, base: str) -> None:
    """Read ORKG template ID (`/api/templates/ID`) and print it as SHACL that any engine runs.

    Paths are the ORKG predicates (orkgp:), targets the ORKG classes (orkgc:), so the shapes validate
    ORKG's own RDF (its dump or /api/vocab) exactly as the template asks: ORKG's literal classes become
    their XSD datatypes (Integer -> xsd:integer), minimum counts of 0 are kept, bounds are typed like the
    property, and every shape has an IRI.
    """
    from orkg_sync.atomic import atomic_write_bytes
    from orkg_sync.mapping.templates import fetch_template, template_to_turtle

    data = template_to_turtle([fetch_template(remote.api(), template_id)], base)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        atomic_write_bytes(out, data)
        click.echo(f"wrote {out}", err=True)
