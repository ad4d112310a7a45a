"""`orkg-sync query`: run a named SPARQL query or a .rq file over the dataset."""

from __future__ import annotations

from pathlib import Path

import click

from orkg_sync.cli.options import (
    HttpUrl,
    Iri,
    command,
    conflicts,
    inputs_option,
    json_format_alias,
    needs,
)


@command
@click.command("query")
@conflicts("list_", "name")
@conflicts("inputs", "endpoint")
@needs("graph", "endpoint")
@click.argument("name", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="How to print SELECT/ASK results (json: SPARQL 1.1 JSON results, numbers as numbers).",
)
@json_format_alias
@inputs_option
@click.option("--list", "list_", is_flag=True, help="List the named queries and stop.")
@click.option(
    "--endpoint",
    type=HttpUrl(),
    help="Run on this SPARQL 1.1 query endpoint (full URL, e.g. http://127.0.0.1:7878/query), not locally.",
)
@click.option(
    "--graph",
    type=Iri(),
    help="With --endpoint: query this named graph (sent as default-graph-uri), e.g. the one publish filled.",
)
def query_cmd(
    name: str | None,
    fmt: str,
    inputs: tuple[Path, ...],
    list_: bool,
    endpoint: str | None,
    graph: str | None,
) -> None:
    """Run the named query NAME (see --list) or FILE.rq and print the result.

    Locally the dataset is the one built from the shipped snapshot (or --input files); with
    --endpoint the same query runs remotely and prints the same table, CSV or JSON.
    """
    from orkg_sync import queries as q

    if list_:
        for qname, desc in q.list_queries().items():
            click.echo(f"{qname:24} {desc}")
        return
    if not name:
        raise click.UsageError("give a query name or a .rq file (see `orkg-sync query --list`)")
    origin, text = q.load_query(name)
    if endpoint:
        names, rows = q.run_remote(endpoint, origin, text, graph=graph)
    else:
        from orkg_sync.dataset import open_dataset

        names, rows = q.run(open_dataset([str(p) for p in inputs]), origin, text)
    click.echo(q.format_result(names, rows, fmt), nl=False)
