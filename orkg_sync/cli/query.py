"""`orkg-sync query`: run a named SPARQL query or a .rq file over the dataset."""

from __future__ import annotations

import click

from orkg_sync import queries as q
from orkg_sync.cli.main import command
from orkg_sync.dataset import open_dataset
from orkg_sync.errors import InputError


@command
@click.command("query")
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--input", "inputs", multiple=True, help="RDF file(s) to load (.ttl, .nt, .jsonld).")
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
@click.option(
    "--endpoint",
    help="Run on this SPARQL 1.1 query endpoint (full URL, e.g. http://127.0.0.1:7878/query), not locally.",
)
@click.option(
    "--graph",
    help="With --endpoint: query this named graph (sent as default-graph-uri), e.g. the one publish filled.",
)
def query_cmd(
    name: str | None,
    fmt: str,
    inputs: tuple[str, ...],
    list_: bool,
    endpoint: str | None,
    graph: str | None,
) -> None:
    """Run NAME (see --list) or FILE.rq and print the result.

    Locally the dataset is the one built from the shipped snapshot (or --input files); with
    --endpoint the same query runs remotely and prints the same table, CSV or JSON.
    """
    if list_:
        for qname, desc in q.list_queries().items():
            click.echo(f"{qname:24} {desc}")
        return
    if not name:
        raise InputError("give a query name or a .rq file (see `orkg-sync query --list`)")
    origin, text = q.load_query(name)
    if endpoint:
        if inputs:
            raise InputError("--input and --endpoint exclude each other")
        names, rows = q.run_remote(endpoint, origin, text, graph=graph)
    else:
        names, rows = q.run(open_dataset(inputs), origin, text)
    click.echo(q.format_result(names, rows, fmt), nl=False)
