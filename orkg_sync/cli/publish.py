"""`orkg-sync publish`: replace a named graph in an external SPARQL store with the release data."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from orkg_sync.cli.options import HttpUrl, InputFile, Iri, command, option
from orkg_sync.errors import InputError
from orkg_sync.namespaces import R790020_BASE

DEFAULT_GRAPH = R790020_BASE


@command
@click.command("publish")
@option(
    "--service",
    "endpoint",
    hidden=("--endpoint",),
    required=True,
    type=HttpUrl(),
    help="Base URL of the SPARQL service (Oxigraph layout: URL/query, URL/update, URL/store).",
)
@option("--graph", type=Iri(), default=DEFAULT_GRAPH, show_default=True, help="Target named graph IRI.")
@option(
    "--input",
    "input_path",
    type=InputFile(suffixes=(".nt",)),
    default=Path("dist/data.nt"),
    show_default=True,
    help="N-Triples file of the release.",
)
@option("--query-url", type=HttpUrl(), default=None, help="Query endpoint (default: SERVICE/query).")
@click.option("--update-url", type=HttpUrl(), default=None, help="Update endpoint (default: SERVICE/update).")
@click.option(
    "--store-url", type=HttpUrl(), default=None, help="Graph Store endpoint (default: SERVICE/store)."
)
@click.option(
    "--strategy",
    type=click.Choice(["put", "move"]),
    default="put",
    show_default=True,
    help="put: one transactional PUT on the graph; move: temporary graph, verify, then MOVE.",
)
@click.option(
    "--bulk",
    is_flag=True,
    help="Oxigraph server only: load with its bulk loader (much faster for millions of triples). Not "
    "atomic: readers see the graph empty, then filling, until it is done; on failure it is dropped.",
)
@click.option(
    "--user",
    default=None,
    help="User for the store's HTTP auth (e.g. Virtuoso's dba; default: no auth); the password is read "
    "from the environment variable ORKG_SYNC_SPARQL_PASSWORD, never from the command line.",
)
@click.option(
    "--auth",
    "auth_scheme",
    type=click.Choice(["digest", "basic"]),
    default="digest",
    show_default=True,
    help="HTTP auth scheme with --user (Virtuoso's *-auth endpoints use digest).",
)
def publish(
    endpoint: str,
    graph: str,
    input_path: Path,
    query_url: str | None,
    update_url: str | None,
    store_url: str | None,
    strategy: str,
    bulk: bool,
    user: str | None,
    auth_scheme: str,
) -> None:
    """Replace GRAPH in a SPARQL store with the release (never append) and verify the triple count."""
    from orkg_sync.publish.gsp import Endpoints, publish_ntriples
    from orkg_sync.store import check_syntax

    if bulk:
        if click.get_current_context().get_parameter_source("strategy") is not ParameterSource.DEFAULT:
            raise InputError("--bulk and --strategy exclude each other (--bulk is its own strategy)")
        strategy = "bulk"
    # malformed N-Triples stop here (file:line:col), in constant memory, before the store is touched
    triples = check_syntax(input_path)
    if strategy != "bulk" and triples >= LARGE_TRANSACTION:
        click.echo(
            f"note: {triples} triples in one transaction: the Oxigraph server holds it in memory (at 5M "
            "it grew ~750 MB a minute until memory ran out); --bulk loads in bounded memory, verified "
            "but not atomic (docs/publishing.md)",
            err=True,
        )
    ep = Endpoints.from_base(
        endpoint, query=query_url, update=update_url, store=store_url, auth=_auth(user, auth_scheme)
    )
    n = publish_ntriples(ep, input_path, graph, strategy=strategy, expected=triples)
    click.echo(f"published {n} triples into <{graph}> at {endpoint}")


PASSWORD_ENV = "ORKG_SYNC_SPARQL_PASSWORD"
# From here on a transactional publish gets a note about --bulk (1.18M in one transaction: 1.11x a plain
# upload; 5.35M did not finish on a 24 GB machine, bench/RESULTS.md)
LARGE_TRANSACTION = 2_000_000


def _auth(user: str | None, scheme: str) -> object:
    """requests auth for ``--user`` with the password from the environment (None without a user)."""
    if user is None:
        return None
    import os

    from requests.auth import HTTPBasicAuth, HTTPDigestAuth

    password = os.environ.get(PASSWORD_ENV)
    if not password:
        raise InputError(f"--user {user}: set the password in the environment variable {PASSWORD_ENV}")
    return (HTTPDigestAuth if scheme == "digest" else HTTPBasicAuth)(user, password)
