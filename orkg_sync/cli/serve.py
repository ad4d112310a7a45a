"""`orkg-sync serve`: the linked-data server (waitress) over an in-memory store of the given files."""

from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox

from orkg_sync.cli.options import BaseIri, InputFile, bind_options, command, probe_listen
from orkg_sync.errors import InputError, ListenError

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
            if fmt == ox.RdfFormat.JSON_LD:  # our own JSON-LD references its context: read it offline
                from orkg_sync.store import offline_contexts

                data = offline_contexts(p.read_bytes(), p)
                store.bulk_load(data, format=fmt, to_graph=graph or ox.DefaultGraph())
                continue
            store.bulk_load(path=str(p), format=fmt, to_graph=graph or ox.DefaultGraph())
        except OSError as err:
            raise InputError(f"--input {p}: {err}") from None
        except SyntaxError as err:
            raise InputError(f"--input {p}: not valid RDF ({' '.join(str(err).split())})") from None
    return store


@command
@click.command("serve")
@bind_options(default_port=8080)
@click.option(
    "--input",
    "inputs",
    multiple=True,
    type=InputFile(suffixes=tuple(FORMATS)),
    help="RDF files to serve (default: the release folder's data.ttl and ontology).",
)
@click.option(
    "--release",
    "release_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Release folder offered under /download/.",
)
@click.option(
    "--base",
    type=BaseIri(),
    default=None,
    help="Base IRI the data was built with (default: the build default).",
)
def serve(
    bind: str, port: int, threads: int, inputs: tuple[Path, ...], release_dir: Path, base: str | None
) -> None:
    """Serve dereferenceable IRIs, HTML pages and a read-only SPARQL endpoint at /sparql.

    Without --input it serves the release folder made by `orkg-sync build`: the data (default
    graph), the ontology (default graph, for /ontology) and the shapes (graph <.../slm/shapes>, used by
    the ontology page to say which shapes apply to a term).
    """
    import waitress

    from orkg_sync.publish.metadata import DatasetInfo
    from orkg_sync.server import create_app

    if inputs:
        store = load_store(list(inputs))
    else:
        data = release_dir / "data.ttl"
        if not data.is_file():
            raise InputError(f"{data}: no such file (run `orkg-sync build` first, or pass --input)")
        store = load_store([data, *sorted((release_dir / "ontology").glob("slm.ttl"))])
        load_store(sorted((release_dir / "shapes").glob("*.ttl")), store, SHAPES_GRAPH)
    probe_listen(bind, port)
    info = DatasetInfo(base=base) if base else None
    app = create_app(store, info=info, release_dir=release_dir if release_dir.is_dir() else None)
    try:  # bind first, announce after: a port in use is one error line, not a false "serving"
        server = waitress.create_server(app, host=bind, port=port, threads=threads, ident="orkg-sync")
    except (OSError, ValueError) as err:
        why = getattr(err, "strerror", None) or err
        raise ListenError(f"--bind {bind} --port {port}: cannot listen ({why})") from None
    actual = getattr(server, "effective_port", port)
    click.echo(f"serving {len(store)} triples at http://{bind}:{actual}/ (SPARQL: /sparql)", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a server is stopped: exit 0
    finally:
        server.close()
