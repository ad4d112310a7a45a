"""Refuse SPARQL ``SERVICE`` (federated query) unless its IRI is on an allow-list.

``SERVICE <url>`` makes the *server* send an HTTP request to ``url`` and return the answer: on a public
endpoint that turns it into a proxy into the host's network (SSRF). pyoxigraph has no switch for it, so
the query text is scanned here: a small SPARQL tokenizer skips strings, IRIs, comments, variables and
prefixed names, so only a real ``SERVICE`` keyword counts. Where the scan is unsure it refuses
(fail closed). A second, independent barrier is in the query process (``workers``): without an
allow-list it cannot open any socket at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from orkg_sync.server.sparql import QueryError

# One token per alternative, tried left to right at each position (order matters: long strings first).
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>[\w.\-]*:(?:[\w.\-:%]|\\.)*)
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<escape>\\.)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(query: str) -> str:
    """SPARQL 1.1 §19.2: ``\\u``/``\\U`` escapes may be applied before parsing; assume the worst."""
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)


def service_iris(query: str) -> list[str | None]:
    """The target of every ``SERVICE`` keyword in ``query``: the IRI text, or None if not an explicit IRI."""
    found: list[str | None] = []
    # Scan as written (how pyoxigraph tokenizes) and with escapes applied (how the spec allows): a
    # SERVICE either reading reveals counts, so an escape cannot hide one from the scan.
    for text in dict.fromkeys([query, _unescape(query)]):
        found += _scan(text)
    return found


def _scan(query: str) -> list[str | None]:
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(query)]
    tokens = [t for t in tokens if t[0] not in {"ws", "comment"}]
    found: list[str | None] = []
    for i, (kind, text) in enumerate(tokens):
        if kind != "word" or text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "SILENT":
            j += 1
        nxt = tokens[j] if j < len(tokens) else None
        found.append(nxt[1][1:-1] if nxt and nxt[0] == "iri" else None)
    return found


def check_service(query: str, allow: Iterable[str] = ()) -> None:
    """Raise a 400 :class:`QueryError` if ``query`` uses ``SERVICE`` outside the allow-list."""
    allowed = set(allow)
    for iri in service_iris(query):
        if not allowed:
            raise QueryError(
                "SERVICE (federated query) is disabled on this endpoint: it would make the server "
                "send requests on your behalf",
                400,
            )
        if iri is None:
            raise QueryError("SERVICE needs an explicit <IRI> from the allow-list here", 400)
        if iri not in allowed:
            raise QueryError(f"SERVICE <{iri}> is not on this endpoint's allow-list", 400)
