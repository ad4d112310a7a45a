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
    mapping_option,
    needs,
    option,
    snapshot_option,
)


@command
@click.command("query")
@conflicts("list_", "name")
@conflicts("inputs", "endpoint")
@conflicts("inputs", "snapshot_path")
@conflicts("inputs", "mapping_path")
@conflicts("snapshot_path", "endpoint")
@conflicts("mapping_path", "endpoint")
@needs("graph", "endpoint")
@click.argument("name", required=False)
@option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "turtle", "nt", "json-ld"]),
    default=None,
    show_default="table; turtle for CONSTRUCT/DESCRIBE",
    help="SELECT/ASK: table, csv or json (rows with numbers as numbers); CONSTRUCT/DESCRIBE: turtle, nt "
    "or json-ld.",
)
@json_format_alias
@inputs_option
@snapshot_option
@mapping_option(
    "Query the dataset built with this mapping (not with --input or --query-url; default: the shipped "
    "mapping)."
)
@click.option("--list", "list_", is_flag=True, help="List the named queries and stop.")
@option(
    "--query-url",
    "endpoint",
    hidden=("--endpoint",),
    type=HttpUrl(),
    help="Run on this SPARQL 1.1 query endpoint (full URL, e.g. http://127.0.0.1:7878/query; default: "
    "locally).",
)
@option(
    "--graph",
    type=Iri(),
    help="With --query-url: query this named graph (sent as default-graph-uri), e.g. the one publish "
    "filled (default: the default graph).",
)
def query_cmd(
    name: str | None,
    fmt: str | None,
    inputs: tuple[Path, ...],
    snapshot_path: Path | None,
    mapping_path: Path | None,
    list_: bool,
    endpoint: str | None,
    graph: str | None,
) -> None:
    """Run the named query NAME (see --list) or FILE.rq and print the result.

    Every query form works: SELECT and ASK print a table, CSV or JSON (--json), CONSTRUCT and
    DESCRIBE print RDF (Turtle, N-Triples, or JSON-LD with --json). Locally the dataset is the one
    built from the shipped snapshot (or --snapshot, with --mapping as `build` maps it; or --input
    files); with --query-url the same query runs remotely
    and prints the same output.
    """
    from orkg_sync import queries as q
    from orkg_sync import query_results as qr

    if list_:
        for qname, desc in q.list_queries().items():
            click.echo(f"{qname:24} {desc}")
        return
    if not name:
        raise click.UsageError("give a query name or a .rq file (see `orkg-sync query --list`)")
    origin, text = q.load_query(name)
    kind = qr.query_form(text, origin)  # syntax and form are checked before any data is loaded
    if fmt is None:
        fmt = "turtle" if kind == "graph" else "table"
    elif fmt == "json" and kind == "graph":
        fmt = "json-ld"
    qr.check_format(kind, fmt, origin)
    if endpoint:
        from orkg_sync.publish.gsp import run_remote_query

        accept = "ntriples" if kind == "graph" else "json"
        body = run_remote_query(endpoint, text, accept, graph=graph)
        result = qr.from_ntriples(body, origin) if kind == "graph" else qr.from_sparql_json(body, origin)
    else:
        from orkg_sync.dataset import open_dataset

        store = open_dataset([str(p) for p in inputs], snapshot=snapshot_path, mapping=mapping_path)
        result = qr.from_local(store.query(text))
    click.echo(qr.render(result, fmt), nl=False)
