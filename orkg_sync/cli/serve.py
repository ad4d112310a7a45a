"""`orkg-sync serve`: the linked-data server (waitress) over an in-memory store of the given files."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import click
import pyoxigraph as ox

from orkg_sync.cli.options import (
    BaseIri,
    InputFile,
    bind_options,
    command,
    mapping_option,
    option,
    probe_listen,
)
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
@bind_options(default_port=8080, default_threads=32)
@option(
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
@option(
    "--base",
    type=BaseIri(),
    default=None,
    help="Base IRI the data was built with (default: the mapping's, else the build default).",
)
@mapping_option(
    "The mapping the release was built with: its ontology, vocabularies and shapes are served and its base "
    "is the default --base (default: what the release folder holds)."
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
    bind: str,
    port: int,
    threads: int,
    inputs: tuple[Path, ...],
    release_dir: Path,
    base: str | None,
    mapping_path: Path | None,
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
    from orkg_sync.publish.ontology_docs import prefixes_of
    from orkg_sync.server import create_app
    from orkg_sync.server.security import waitress_options
    from orkg_sync.server.sparql import Limits, QueryError

    data = list(inputs) or [release_dir / "data.ttl"]
    if not inputs and not data[0].is_file():
        raise InputError(f"{data[0]}: no such file (run `orkg-sync build` first, or pass --input)")
    ontology, shapes, own_base = _terms(release_dir, mapping_path, bool(inputs))
    store = load_store([*data, *ontology])
    load_store(shapes, store, SHAPES_GRAPH)
    probe_listen(bind, port)
    base = base or own_base
    info = DatasetInfo(base=base) if base else None
    limits = Limits(seconds=query_timeout, max_running=max(2, threads // 2))
    allow = _allow_list(service_allow)
    try:  # bind first, announce after: a port in use is one error line, not a false "serving"
        server = waitress.create_server(_unbound, host=bind, port=port, threads=threads, **waitress_options())
    except (OSError, ValueError) as err:
        why = getattr(err, "strerror", None) or err
        raise ListenError(f"--bind {bind} --port {port}: cannot listen ({why})") from None
    actual = getattr(server, "effective_port", port)
    server.application = create_app(
        store,
        info=info,
        own_ontology=load_store(ontology) if own_base else None,
        ontology_prefixes=prefixes_of([*ontology, *shapes]),
        release_dir=release_dir if release_dir.is_dir() else None,
        limits=limits,
        service_allow=allow,
        public_url=public_url or f"http://{_url_host(bind)}:{actual}/",
    )
    try:
        server.application.extensions["orkg_sync.queries"].start()
    except QueryError as err:
        server.close()
        raise ListenError(f"cannot start the SPARQL query processes: {err}") from None
    if not _is_loopback(bind):
        click.echo(
            f"warning: binding {bind}, not loopback: the server is reachable from other machines"
            + ("" if public_url else " (set --public-url to the URL they use)"),
            err=True,
        )
    click.echo(
        f"serving {len(store)} triples at http://{_url_host(bind)}:{actual}/ (SPARQL: /sparql)", err=True
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a server is stopped: exit 0
    finally:
        server.close()


def _terms(
    release_dir: Path, mapping_path: Path | None, inputs: bool
) -> tuple[list[Path], list[Path], str | None]:
    """(ontology files, shape files, base) to serve: ``mapping_path``'s; else a `build --mapping` release's
    own (its ontology/ holds mapping.toml); else the survey's slm.ttl (base None: the default). Release
    shapes unless --input."""
    from orkg_sync.mapping import DEFAULT_BASE

    shapes = [] if inputs else sorted((release_dir / "shapes").glob("*.ttl"))
    onto = release_dir / "ontology"
    if mapping_path is not None:
        from orkg_sync.mapping import load_mapping
        from orkg_sync.mapping.vocab import PROVENANCE_FILE
        from orkg_sync.resources import ontology_dir

        m = load_mapping(mapping_path)
        files = [*m.ontology_files, *m.vocabulary_files, ontology_dir() / PROVENANCE_FILE]  # own first
        return files, list(m.shape_files) or shapes, m.base_iri(DEFAULT_BASE)
    if inputs:
        return [], [], None
    if not (onto / "mapping.toml").is_file():
        return sorted(onto.glob("slm.ttl")), shapes, None
    import tomllib

    try:
        head = tomllib.loads((onto / "mapping.toml").read_text(encoding="utf-8")).get("mapping", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"{onto / 'mapping.toml'}: unreadable mapping ({err})") from None
    return sorted(onto.rglob("*.ttl")), shapes, str(head.get("base") or DEFAULT_BASE)


def _unbound(environ: object, start_response: object) -> list[bytes]:  # replaced before serving
    raise RuntimeError("application not set")


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
