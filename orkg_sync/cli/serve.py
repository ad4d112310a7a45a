"""`orkg-sync serve`: the linked-data server (waitress) over an in-memory store of the given files."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import click
import pyoxigraph as ox

from orkg_sync.cli.main import command
from orkg_sync.errors import InputError

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}


SHAPES_GRAPH = ox.NamedNode("https://w3id.org/orkg-sync/slm/shapes")


def load_store(
    paths: list[Path], store: ox.Store | None = None, graph: ox.NamedNode | None = None
) -> ox.Store:
    """A store with every file's triples in ``graph`` (default graph); one clear error per bad file."""
    store = store if store is not None else ox.Store()
    for p in paths:
        fmt = FORMATS.get(p.suffix)
        if fmt is None:
            raise InputError(f"--input {p}: unknown RDF file type (use .ttl, .nt, .jsonld or .rdf)")
        try:
            store.bulk_load(path=str(p), format=fmt, to_graph=graph or ox.DefaultGraph())
        except OSError as err:
            raise InputError(f"--input {p}: {err}") from None
        except SyntaxError as err:
            raise InputError(f"--input {p}: not valid RDF ({' '.join(str(err).split())})") from None
    return store


@command
@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option(
    "--input",
    "inputs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="RDF files to serve (default: the release folder's data.ttl and ontology).",
)
@click.option(
    "--release",
    "release_dir",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Release folder offered under /download/.",
)
@click.option("--base", default=None, help="Base IRI the data was built with (default: the build default).")
@click.option(
    "--threads",
    default=32,
    show_default=True,
    type=click.IntRange(4, 512),
    help="Request threads (a running query holds one; at most half of them run queries).",
)
@click.option(
    "--query-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds a SPARQL query may run before its process is killed (503).",
)
@click.option(
    "--service-allow",
    "service_allow",
    multiple=True,
    metavar="URL",
    help="Allow SPARQL SERVICE calls to exactly this endpoint URL (repeatable; default: SERVICE refused).",
)
@click.option(
    "--public-url",
    default=None,
    help="URL the server is reached at, for void:sparqlEndpoint (default http://HOST:PORT/).",
)
def serve(
    host: str,
    port: int,
    inputs: tuple[Path, ...],
    release_dir: Path,
    base: str | None,
    threads: int,
    query_timeout: float,
    service_allow: tuple[str, ...],
    public_url: str | None,
) -> None:
    """Serve dereferenceable IRIs, HTML pages and a read-only SPARQL endpoint at /sparql.

    Without --input it serves the release folder made by `orkg-sync build`: the data (default
    graph), the ontology (default graph, for /ontology) and the shapes (graph <.../slm/shapes>, used by
    the ontology page to say which shapes apply to a term).
    """
    import waitress

    from orkg_sync.publish.metadata import DatasetInfo
    from orkg_sync.server import create_app
    from orkg_sync.server.security import waitress_options
    from orkg_sync.server.sparql import Limits

    if inputs:
        store = load_store(list(inputs))
    else:
        data = release_dir / "data.ttl"
        if not data.is_file():
            raise InputError(f"{data}: no such file (run `orkg-sync build` first, or pass --input)")
        store = load_store([data, *sorted((release_dir / "ontology").glob("slm.ttl"))])
        load_store(sorted((release_dir / "shapes").glob("*.ttl")), store, SHAPES_GRAPH)
    info = DatasetInfo(base=base) if base else None
    limits = Limits(seconds=query_timeout, max_running=max(2, threads // 2))
    app = create_app(
        store,
        info=info,
        release_dir=release_dir if release_dir.is_dir() else None,
        limits=limits,
        service_allow=_allow_list(service_allow),
        public_url=public_url or f"http://{_url_host(host)}:{port}/",
    )
    if not _is_loopback(host):
        click.echo(
            f"warning: binding {host}, not loopback: the server is reachable from other machines"
            + ("" if public_url else " (set --public-url to the URL they use)"),
            err=True,
        )
    click.echo(
        f"serving {len(store)} triples at http://{_url_host(host)}:{port}/ (SPARQL: /sparql)", err=True
    )
    waitress.serve(app, host=host, port=port, threads=threads, **waitress_options())


def _allow_list(urls: tuple[str, ...]) -> tuple[str, ...]:
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise InputError(f"--service-allow {url!r} is not an http(s) URL")
    return tuple(urls)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
