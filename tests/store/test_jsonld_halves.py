"""JSON-LD's nodes made in two processes (issue 13: JSON-LD alone within 3x of the store's dump).

The halves must give the bytes of one pass, also when two subjects, one in each half, compact to the
same id (the merging writer then runs, as in one pass); a triple term, which JSON-LD cannot state, is
refused either way. A failing second process is one error and leaves no files.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from orkg_sync import export, jsonld_writer, second_process
from orkg_sync.errors import InputError

EX = "https://example.org/"
XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def graph(n: int = 3000) -> ox.Store:
    st = ox.Store()
    for i in range(n):
        s = ox.NamedNode(f"{EX}s{i:05d}")
        st.add(ox.Quad(s, ox.NamedNode(f"{EX}p{i % 5}"), ox.Literal(f'v {i}\n"quoted" \\ , ;')))
        st.add(ox.Quad(s, ox.NamedNode(f"{EX}p{i % 3}"), ox.Literal(str(i), datatype=XSD_INT)))
        st.add(ox.Quad(s, ox.NamedNode(f"{EX}q"), ox.BlankNode(f"b{i}")))
        st.add(ox.Quad(s, ox.NamedNode(f"{EX}r"), ox.NamedNode(f"{EX}s{(i * 7) % n:05d}")))
        if i > n * 0.9:
            st.add(ox.Quad(s, ox.NamedNode("http://schema.org/name"), ox.Literal(f"n {i}", language="en")))
    return st


def jsonld(store: ox.Store, halves: bool) -> bytes:
    with export.sorted_ntriples(store) as nt:
        return export.to_jsonld(nt, halves=halves)


def test_two_halves_are_the_bytes_of_one_pass() -> None:
    store = graph()
    one, two = jsonld(store, halves=False), jsonld(store, halves=True)
    assert one == two
    back = ox.Store()
    back.load(two, format=ox.RdfFormat.JSON_LD)
    assert len(back) == len(store)


@pytest.mark.parametrize("halves", [False, True])
def test_a_triple_term_is_refused_not_dropped(halves: bool) -> None:
    """JSON-LD 1.1 cannot state it; the text reader gives up on it in the second half, and the
    term-based reader then refuses it as one pass does."""
    store = graph(400)
    quoted = ox.Triple(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}b"), ox.NamedNode(f"{EX}c"))
    store.add(ox.Quad(ox.NamedNode(f"{EX}zzz"), ox.NamedNode(f"{EX}says"), quoted))
    with pytest.raises(InputError, match="JSON-LD cannot state the triple term"):
        jsonld(store, halves=halves)


def test_two_subjects_one_id_across_the_halves_give_the_bytes_of_one_pass() -> None:
    store = graph(400)
    # <http://schema.org/zz> sorts among the first lines, <schema:zz> after every https:// subject, and
    # both compact to "schema:zz"
    for s in ("http://schema.org/zz", "schema:zz"):
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(f"{EX}p0"), ox.Literal(s)))
    one, two = jsonld(store, halves=False), jsonld(store, halves=True)
    assert one == two
    assert one.count(b'"@id": "schema:zz"') == 1  # merged into one node, as one pass does


def test_a_failing_second_process_is_one_error_and_leaves_no_files(
    tmp_path: Path, own_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = graph(300)
    with export.sorted_ntriples(store) as nt:
        path = tmp_path / "sorted.nt"
        path.write_bytes(nt.read_bytes())
    monkeypatch.setattr(jsonld_writer, "SECOND_HALF", "tests.faults:disk_full")
    with pytest.raises(OSError, match=r"JSON-LD in a second process failed: disk full \(injected\)"):
        export.to_jsonld(export.SortedNTriples(path), halves=True)
    assert list(own_temp.iterdir()) == []


def test_the_default_uses_a_second_process_only_for_a_large_file(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    real = second_process.start
    monkeypatch.setattr(second_process, "start", lambda t, **kw: started.append(t) or real(t, **kw))
    store = graph(300)
    small = export.to_jsonld(store)
    assert started == []
    monkeypatch.setattr(second_process, "WORTH_AT", 0)
    assert export.to_jsonld(store) == small
    assert started == [jsonld_writer.SECOND_HALF]
