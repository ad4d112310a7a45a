"""Content negotiation for the linked-data pages: which of HTML and the RDF formats a client gets, the 406
for what we cannot serve, and the ``Link`` header that names the other representations."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response

RDF_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}

OFFERED = ("text/html", *RDF_MEDIA)


def negotiate(accept: str) -> str | None:
    """Best media type among HTML and the RDF formats (q-values honoured, HTML on ties); None: none fits."""
    best, best_q = None, 0.0
    for part in (accept or "text/html").split(","):
        bits = [b.strip() for b in part.split(";")]
        mt, q = bits[0].lower(), 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if mt in {"text/html", "application/xhtml+xml", "*/*", "text/*"}:
            mt = "text/html"
        if q <= 0 or not (mt in RDF_MEDIA or mt == "text/html"):
            continue  # q=0 is "not acceptable"
        if q > best_q or (q == best_q and mt == "text/html"):
            best, best_q = mt, q
    return best


def not_acceptable() -> Response:
    """406 naming what we can serve (n-quads, TriG, application/xml ... are not among them)."""
    body = "not acceptable: this resource is offered as " + ", ".join(OFFERED) + "\n"
    resp = Response(body, status=406, content_type="text/plain; charset=utf-8")
    resp.headers["Vary"] = "Accept"
    return resp


def links(path: str, describedby: str | None = None) -> str:
    """``Link`` header: every representation of ``path`` (``alternate``) and its description."""
    links = [f'<{path}>; rel="alternate"; type="{mt}"' for mt in OFFERED]
    if describedby:
        links.append(f'<{describedby}>; rel="describedby"; type="text/turtle"')
    return ", ".join(links)
