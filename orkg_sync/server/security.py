"""Security headers, CORS policy, request-size limits and safe links for the linked-data server.

Kept apart from the routes so every response gets the same treatment from one ``after_request`` hook:

* **CSP** on everything. HTML pages may run only the inline scripts/styles that carry this response's
  nonce (``{{ csp_nonce() }}`` in templates), fetch only from this origin, and cannot be framed;
  other responses get ``default-src 'none'``.
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``, ``X-Frame-Options: DENY``.
* **CORS**: ``Access-Control-Allow-Origin: *`` only on ``/sparql``, and only while ``SERVICE`` is refused:
  then a query can read nothing but the public data this server also offers as downloads, so letting any
  page read the answers leaks nothing (no cookies or credentials are involved; ``Allow-Credentials`` is
  never sent). With a SERVICE allow-list the answers may carry what the allowed services return (which may
  be internal), so no CORS header is sent at all.
* Request bodies above :data:`MAX_BODY` are refused with 413 (waitress stops reading at the
  ``Content-Length``; Flask's ``MAX_CONTENT_LENGTH`` backs that up for other WSGI servers).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

MAX_BODY = 1_000_000  # bytes: a SPARQL query is a few KB; 1 MB is plenty
MAX_HEADER = 128 * 1024  # bytes of request line + headers (a GET query string counts here)

_HTML_CSP = (
    "default-src 'none'; script-src 'nonce-{n}'; style-src 'nonce-{n}'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_OTHER_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def http_href(iri: str | None) -> str | None:
    """``iri`` if it is safe as a link target (http(s) or a path on this server), else None.

    IRIs come from data and query results we do not control: ``javascript:``, ``data:`` and other
    schemes must be shown as text, never as a clickable link.
    """
    if not iri:
        return None
    if iri.startswith("/") and not iri.startswith("//"):
        return iri
    try:
        parts = urlsplit(iri)
    except ValueError:
        return None
    return iri if parts.scheme.lower() in {"http", "https"} and parts.netloc else None


def csp_nonce() -> str:
    """This response's CSP nonce (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def install(app: Flask, *, sparql_cors: bool) -> None:
    """Add the headers, the CORS policy and the body limit to ``app``."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.filters["http_href"] = http_href

    @app.after_request
    def _headers(resp: Response) -> Response:
        h = resp.headers
        if resp.mimetype == "text/html":
            h["Content-Security-Policy"] = _HTML_CSP.format(n=csp_nonce())
        else:
            h["Content-Security-Policy"] = _OTHER_CSP
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "no-referrer"
        h["X-Frame-Options"] = "DENY"
        for name in ("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"):
            h.pop(name, None)
        if sparql_cors and request.path == "/sparql":
            h["Access-Control-Allow-Origin"] = "*"
            h["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            h["Access-Control-Allow-Headers"] = "Content-Type, Accept"
            h["Access-Control-Max-Age"] = "600"
        return resp


def waitress_options() -> dict[str, int | str]:
    """waitress settings that bound what one client can make the server read and hold."""
    return {
        "max_request_body_size": MAX_BODY,
        "max_request_header_size": MAX_HEADER,
        "channel_timeout": 30,
        "ident": "orkg-sync",
    }
