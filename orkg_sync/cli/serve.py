"""`orkg-sync serve`: the linked-data server (waitress) over an in-memory store of the given files."""

from __future__ import annotations

from pathlib import Path

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


def load_store(paths: list[Path]) -> ox.Store:
    """An in-memory store with every file's triples in the default graph (one clear error per bad file)."""
    store = ox.Store()
    for p in paths:
        fmt = FORMATS.get(p.suffix)
        if fmt is None:
            raise InputError(f"--input {p}: unknown RDF file type (use .ttl, .nt, .jsonld or .rdf)")
        try:
            store.bulk_load(path=str(p), format=fmt)
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
    help="RDF files to serve (default: the release folder's data.ttl).",
)
@click.option(
    "--release",
    "release_dir",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Release folder offered under /download/.",
)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, inputs: tuple[Path, ...], release_dir: Path, threads: int) -> None:
    """Serve dereferenceable IRIs, HTML pages and a read-only SPARQL endpoint at /sparql."""
    import waitress

    from orkg_sync.server import create_app

    paths = list(inputs) or [release_dir / "data.ttl"]
    store = load_store(paths)
    app = create_app(store, release_dir=release_dir if release_dir.is_dir() else None)
    click.echo(f"serving {len(store)} triples at http://{host}:{port}/ (SPARQL: /sparql)", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="orkg-sync")
