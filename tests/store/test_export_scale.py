"""The streaming exports: same bytes whichever sort runs, and text that used to break line splitting."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from orkg_sync import export, sorted_nt
from orkg_sync.store import DatasetStore

EX = "https://w3id.org/orkg-sync/r790020/model/"
# U+2028, U+0085, VT and FF are line breaks for str.splitlines() but not for N-Triples.
TEXTS = [
    "a\u2028b",
    "\u0085x\u000bq\u000c",
    'quote"back\\',
    "tab\tnew\nline\r",
    "é 中文 😀",
    "\x00\x1f\x7f",
    "",
]


def weird_store() -> DatasetStore:
    store = DatasetStore()
    quads = []
    for i, text in enumerate(TEXTS):
        s = ox.NamedNode(f"{EX}m{i}")
        quads += [
            ox.Quad(s, ox.NamedNode("http://ex.org/p"), ox.Literal(text)),
            ox.Quad(s, ox.NamedNode("http://ex.org/p"), ox.Literal(text + "!", language="en")),
            ox.Quad(ox.BlankNode(f"b{i}"), ox.NamedNode("http://ex.org/q"), s),
        ]
    store.add_quads(quads)
    return store


def graph(data: bytes, fmt: ox.RdfFormat) -> set[str]:
    return {str(t) for t in ox.parse(data, format=fmt) if not isinstance(t.subject, ox.BlankNode)}


def test_every_format_round_trips_text_with_unicode_line_separators() -> None:
    store = weird_store()
    want = {
        str(ox.Triple(q.subject, q.predicate, q.object))
        for q in store.store
        if isinstance(q.subject, ox.NamedNode)
    }
    nt = export.to_ntriples(store)
    assert len(nt.splitlines()) == len(store)  # one line per triple: no split inside a literal
    assert graph(nt, ox.RdfFormat.N_TRIPLES) == want
    assert graph(export.to_turtle(store), ox.RdfFormat.TURTLE) == want
    doc = json.loads(export.to_jsonld(store))
    values = [v for node in doc["@graph"] for v in node.get("http://ex.org/p", [])]
    texts = {v if isinstance(v, str) else v["@value"] for v in values}
    assert texts == set(TEXTS) | {t + "!" for t in TEXTS}


def test_external_and_in_process_sort_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    if sorted_nt.gnu_sort() is None:
        pytest.skip("no GNU sort on this machine: only the in-process sort runs")
    store = weird_store()
    monkeypatch.setattr(sorted_nt, "SMALL_SORT", 1 << 40)
    in_process = export.to_ntriples(store), export.to_turtle(store), export.to_jsonld(store)
    monkeypatch.setattr(sorted_nt, "SMALL_SORT", 0)
    external = export.to_ntriples(store), export.to_turtle(store), export.to_jsonld(store)
    assert in_process == external


def test_one_sorted_dump_serves_every_format() -> None:
    store = weird_store()
    with export.sorted_ntriples(store) as nt:
        shared = nt.read_bytes(), export.to_turtle(nt), export.to_jsonld(nt, context_ref="c.jsonld")
    alone = (
        export.to_ntriples(store),
        export.to_turtle(store),
        export.to_jsonld(store, context_ref="c.jsonld"),
    )
    assert shared == alone
    # the same graph given as a list of quads in another order: the same bytes
    quads = sorted(store.store, key=str, reverse=True)
    assert (
        export.to_ntriples(quads) == alone[0] and export.to_jsonld(quads, context_ref="c.jsonld") == alone[2]
    )
