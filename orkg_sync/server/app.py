"""Flask app: landing page, per-resource pages with content negotiation, /sparql, /.well-known/void.

IRIs are served *directly* (200 with ``Vary: Accept``), not via 303: the IRIs name things, but with
hash-free slash IRIs a 200 plus ``Content-Location``-free conneg is what w3id redirects land on, and it
saves a round trip. ``<base>model/x`` is served at ``/model/x``, ``slmv:s/c`` at ``/vocab/s/c`` and the
ontology (hash terms ``slm:X``) at ``/ontology``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Flask, Response, abort, render_template, request, send_from_directory

from orkg_sync import namespaces as ns
from orkg_sync.namespaces import RDFS_LABEL, SKOS, SLM, SLM_ONTOLOGY, SLM_VOCAB
from orkg_sync.publish.metadata import DatasetInfo
from orkg_sync.server import security
from orkg_sync.server.conneg import RDF_MEDIA, links, negotiate, not_acceptable
from orkg_sync.server.described import Metadata, service_description
from orkg_sync.server.schemaorg import dataset_jsonld, model_jsonld
from orkg_sync.server.service_guard import check_service
from orkg_sync.server.sparql import GRAPH_TYPES, Limits, QueryError
from orkg_sync.server.workers import QueryProcesses

ONTOLOGY, VOCAB = SLM_ONTOLOGY, SLM_VOCAB
SKOS_PREF = SKOS + "prefLabel"


def _examples() -> dict[str, str]:
    """The shipped named queries (``orkg_sync/queries/*.rq``), offered as examples in the query box."""
    from orkg_sync.resources import queries_dir

    return {p.stem: p.read_text("utf-8") for p in sorted(queries_dir().glob("*.rq"))}


def _label(store: ox.Store, term: Any) -> str:
    if not isinstance(term, ox.NamedNode):
        return term.value if isinstance(term, ox.Literal) else str(term)
    for p in (RDFS_LABEL, SKOS_PREF):
        for q in store.quads_for_pattern(term, ox.NamedNode(p), None, None):
            return str(getattr(q.object, "value", q.object))
    iri = term.value
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def create_app(
    store: ox.Store,
    *,
    info: DatasetInfo | None = None,
    own_ontology: ox.Store | None = None,
    ontology_prefixes: dict[str, str] | None = None,
    release_dir: Path | None = None,
    limits: Limits | None = None,
    service_allow: tuple[str, ...] = (),
    public_url: str | None = None,
) -> Flask:
    """The WSGI app over ``store`` (read-only use). ``release_dir`` enables /download/<file>.

    ``own_ontology``: a mapping's own ontology files, served whole at /ontology (default: the slm: terms);
    ``ontology_prefixes``: the prefixes those files declare, for the /ontology page.

    ``service_allow``: SERVICE IRIs a query may call (default none: SERVICE is refused). ``public_url``:
    where this server is reached (for ``void:sparqlEndpoint``); the request's Host header is never used.
    """
    info = info or DatasetInfo()
    limits = limits or Limits()
    if release_dir is not None:  # Flask resolves relative folders against the package, not the cwd
        release_dir = Path(release_dir).resolve()
    app = Flask(__name__)
    security.install(app, sparql_cors=not service_allow)
    queries = QueryProcesses(store, limits, network=bool(service_allow))
    app.extensions["orkg_sync.queries"] = queries
    base = info.base
    examples = _examples()

    endpoint = public_url.rstrip("/") + "/sparql" if public_url else None
    here = info if info.sparql_endpoint or not endpoint else replace(info, sparql_endpoint=endpoint)
    meta = Metadata(store, here, release_dir)

    def rdf_or_html(
        triples: list[ox.Triple], html: str | Any, describedby: str | None = None, turtle: bytes | None = None
    ) -> Response:
        """``html`` may be a callable, rendered only when HTML is what the client gets."""
        mt = negotiate(request.headers.get("Accept", ""))
        if mt is None:
            return not_acceptable()
        if mt == "text/html":
            resp = Response(html() if callable(html) else html, mimetype="text/html")
        elif mt == "text/turtle" and turtle is not None:  # a file served as it is
            resp = Response(turtle, content_type="text/turtle; charset=utf-8")
        else:
            ctype = f"{mt}; charset=utf-8" if mt != "application/rdf+xml" else mt
            body = ox.serialize(sorted(triples, key=str), format=RDF_MEDIA[mt]) or b""
            resp = Response(body, content_type=ctype)
        resp.headers["Vary"] = "Accept"
        resp.headers["Link"] = links(request.path, describedby)
        return resp

    def outgoing(iri: str) -> list[ox.Triple]:
        node = ox.NamedNode(iri)
        out = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(node, None, None)}
        return sorted(out | set(meta.about(iri)), key=str)

    def describe(iri: str) -> list[ox.Triple]:
        """Outgoing triples, plus the links into ``iri`` from our own resources (a model's value records)."""
        node = ox.NamedNode(iri)
        incoming = {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, node, None)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(base)
        }
        return sorted(set(outgoing(iri)) | incoming, key=str)

    def rows_for(triples: list[ox.Triple]) -> list[dict[str, Any]]:
        rows = []
        for t in triples:
            o = t.object
            rows.append(
                {
                    "p": t.predicate.value,
                    "p_label": _label(store, t.predicate),
                    "o": o.value if isinstance(o, ox.NamedNode) else None,
                    "o_href": security.http_href(local_href(o.value))
                    if isinstance(o, ox.NamedNode)
                    else None,
                    "o_label": _label(store, o),
                }
            )
        return sorted(rows, key=lambda r: (r["p_label"], r["o_label"]))

    def local_href(iri: str) -> str:
        if iri.startswith(base):
            return "/" + iri[len(base) :]
        if iri.startswith(VOCAB):
            return "/vocab/" + iri[len(VOCAB) :]
        if iri.startswith(SLM) or iri == ONTOLOGY:
            return "/ontology" + ("#" + iri[len(SLM) :] if iri.startswith(SLM) else "")
        return iri

    def resource(iri: str) -> Response:
        own = outgoing(iri)
        if not own:
            abort(404)

        def html() -> str:
            label = _label(store, ox.NamedNode(iri))
            ld = model_jsonld(own, iri, base, info.title)
            return render_template("resource.html", iri=iri, label=label, rows=rows_for(own), schema_ld=ld)

        return rdf_or_html(describe(iri), html)

    @app.get("/")
    def landing() -> Response:
        """The dataset IRI: its description as RDF (the VoID file), or the landing page."""
        if negotiate(request.headers.get("Accept", "")) != "text/html":
            return rdf_or_html(meta_triples(), "", "/.well-known/void", void_file())
        q = f"""PREFIX slm: <{SLM}> PREFIX rdfs: <{RDFS_LABEL[:-5]}>
        SELECT ?m ?label ?min ?max ?date ?att WHERE {{ ?m a slm:LanguageModel ; rdfs:label ?label .
          OPTIONAL {{ ?m slm:minNumberOfParameters ?min }} OPTIONAL {{ ?m slm:maxNumberOfParameters ?max }}
          OPTIONAL {{ ?m slm:releaseDate ?date }} OPTIONAL {{ ?m slm:attentionMechanism ?att }} }}
        ORDER BY ?label"""
        models: dict[str, dict[str, Any]] = {}
        for r in store.query(q):  # type: ignore[union-attr]
            m = models.setdefault(
                r["m"].value,
                {
                    "href": security.http_href(local_href(r["m"].value)) or "",
                    "label": r["label"].value,
                    "min": r["min"].value if r["min"] else "",
                    "max": r["max"].value if r["max"] else "",
                    "date": r["date"].value if r["date"] else "",
                    "att": set(),
                },
            )
            if r["att"] is not None:
                m["att"].add(_label(store, r["att"]))
        for m in models.values():
            m["att"] = ", ".join(sorted(m["att"]))
        downloads = sorted(p.name for p in release_dir.iterdir() if p.is_file()) if release_dir else []
        ld = dataset_jsonld(meta_triples(), base)
        html = render_template(
            "landing.html",
            info=info,
            models=list(models.values()),
            downloads=downloads,
            examples=examples,
            schema_ld=ld,
        )
        resp = Response(html, mimetype="text/html")
        resp.headers["Vary"] = "Accept"
        resp.headers["Link"] = links("/", "/.well-known/void")
        return resp

    @app.route("/sparql", methods=["GET", "POST", "OPTIONS"])
    def sparql() -> Response:
        if request.method == "OPTIONS":
            return Response(status=204)
        ctype = (request.content_type or "").split(";")[0].strip().lower()
        if (request.method == "POST" and ctype == "application/sparql-update") or "update" in request.values:
            return _error("this endpoint is read-only: SPARQL Update is not accepted", 403)
        if request.method == "POST" and ctype == "application/sparql-query":
            query = request.get_data(as_text=True)
        else:
            query = request.values.get("query", "")
        if request.method == "GET" and not request.args:  # the endpoint IRI itself: what it is
            return rdf_or_html(service_description(base), "SPARQL 1.1 endpoint: pass ?query=")
        if not query.strip():
            return _error("missing 'query' parameter", 400)
        if len(query) > limits.max_query_chars:
            return _error(f"query too long: more than {limits.max_query_chars} characters", 413)
        try:
            check_service(query, service_allow)
            body, ct = queries.run(query, request.headers.get("Accept", ""))
        except QueryError as err:
            return _error(str(err), err.status)
        resp = Response(body, content_type=ct)
        resp.headers["Vary"] = "Accept"
        return resp

    def void_file() -> bytes | None:
        return meta.turtle

    def meta_triples() -> list[ox.Triple]:
        return meta.void

    @app.get("/.well-known/void")
    def void() -> Response:
        """Exactly ``void.ttl`` of the release folder (the same triples; Turtle: the same bytes)."""
        triples = meta_triples()

        def html() -> str:
            return render_template("resource.html", iri=base, label=info.title, rows=rows_for(triples))

        return rdf_or_html(triples, html, turtle=void_file())

    @app.get("/download/<path:name>")
    def download(name: str) -> Response:
        if release_dir is None:
            abort(404)
        return send_from_directory(release_dir, name)

    @app.get("/ontology")
    def ontology() -> Response:
        from orkg_sync.publish.ontology_docs import ontology_triples, render_ontology_html

        if own_ontology is not None:  # a mapping's own ontology files: every triple they hold
            own = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in own_ontology}, key=str)
            return rdf_or_html(own, lambda: render_ontology_html(store, ontology_prefixes))
        triples = ontology_triples(store)
        return rdf_or_html(triples, lambda: render_ontology_html(store, ontology_prefixes))

    @app.get("/vocab/")
    def vocabularies() -> Response:
        """The vocabulary namespace itself: its concept schemes."""
        schemes = store.quads_for_pattern(
            None, ox.NamedNode(ns.RDF_TYPE), ox.NamedNode(SKOS + "ConceptScheme")
        )
        triples = sorted(
            {t for q in schemes for t in outgoing(str(getattr(q.subject, "value", "")))}, key=str
        )
        if not triples:
            abort(404)
        return rdf_or_html(
            triples,
            lambda: render_template("resource.html", iri=VOCAB, label="Vocabularies", rows=rows_for(triples)),
        )

    @app.get("/vocab/<path:rest>")
    def vocab(rest: str) -> Response:
        return resource(VOCAB + rest)

    @app.get("/<path:rest>")
    def data(rest: str) -> Response:
        return resource(base + rest)

    return app


def _error(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")


__all__ = ["GRAPH_TYPES", "create_app"]
