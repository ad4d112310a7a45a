"""`orkg-sync publish`: replace a named graph in an external SPARQL store with the release data."""

from __future__ import annotations

from pathlib import Path

import click

from orkg_sync.cli.options import HttpUrl, InputFile, Iri, command
from orkg_sync.namespaces import R790020_BASE

DEFAULT_GRAPH = R790020_BASE


@command
@click.command("publish")
@click.option(
    "--endpoint", required=True, type=HttpUrl(), help="Base URL of the SPARQL service (Oxigraph layout)."
)
@click.option("--graph", type=Iri(), default=DEFAULT_GRAPH, show_default=True, help="Target named graph IRI.")
@click.option(
    "--input",
    "input_path",
    type=InputFile(suffixes=(".nt",)),
    default=Path("dist/data.nt"),
    show_default=True,
    help="N-Triples file of the release.",
)
@click.option("--query-url", type=HttpUrl(), default=None, help="Query endpoint (default <endpoint>/query).")
@click.option(
    "--update-url", type=HttpUrl(), default=None, help="Update endpoint (default <endpoint>/update)."
)
@click.option(
    "--store-url", type=HttpUrl(), default=None, help="Graph Store endpoint (default <endpoint>/store)."
)
@click.option(
    "--strategy",
    type=click.Choice(["put", "move"]),
    default="put",
    show_default=True,
    help="put: one transactional PUT on the graph; move: temporary graph, verify, then MOVE.",
)
def publish(
    endpoint: str,
    graph: str,
    input_path: Path,
    query_url: str | None,
    update_url: str | None,
    store_url: str | None,
    strategy: str,
) -> None:
    """Replace GRAPH in a SPARQL store with the release (never append) and verify the triple count."""
    from orkg_sync.publish.gsp import Endpoints, publish_ntriples

    data = input_path.read_bytes()
    ep = Endpoints.from_base(endpoint, query=query_url, update=update_url, store=store_url)
    n = publish_ntriples(ep, data, graph, strategy=strategy)
    click.echo(f"published {n} triples into <{graph}> at {endpoint}")
