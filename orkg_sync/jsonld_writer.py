"""Compacted JSON-LD from the sorted N-Triples: one node object per subject, written in id order.

The sorted lines group each subject's triples, so nodes are made one subject at a time from the text
(no term objects per triple) and encoded with orjson (the stdlib's indenting encoder is pure Python); the
bytes are those of ``json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)``. rdflib's
compaction is not used: it is ~10x slower on 100k triples. For a large graph the file is cut at a subject
boundary and a second interpreter makes the second half's nodes (the work holds the GIL); the nodes are
then written in id order, so the bytes are those of one pass (tested). Lines the text reader does not
handle (RDF-star, odd spacing) fall back to parsed terms, and two subjects compacting to one id to a
merging writer.
"""

from __future__ import annotations

import io
import json
import pickle
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import pyoxigraph as ox

from orkg_sync import second_process
from orkg_sync.errors import InputError
from orkg_sync.namespaces import RDF_TYPE, XSD
from orkg_sync.scratch import scratch_dir
from orkg_sync.sorted_nt import SortedNTriples, byte_range, cut

XSD_STRING = XSD + "string"
RDF_TYPE_REF = f"<{RDF_TYPE}>"
JSON_OPTS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
SECOND_HALF = "orkg_sync.jsonld_writer:nodes_file"  # what the second process runs


def write(
    nt: SortedNTriples, out: BinaryIO, prefixes: dict[str, str], ctx: Any, halves: bool | None = None
) -> None:
    """JSON-LD of the sorted file ``nt`` with ``ctx`` as its ``@context`` (a reference or the context).

    ``halves``: make the second half's nodes in a second process (default: when one is worth it)."""
    compact = compactor(prefixes)
    try:
        try:
            nodes = _nodes_of_file(nt.path, prefixes, compact, halves)
        except _Unusual:
            nodes = _nodes(nt.triples(), compact)
    except _Collision:
        graph = [_node(k, v) for k, v in sorted(_merged(nt.triples(), compact).items())]
        doc = {"@context": ctx, "@graph": graph}
        out.write((json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
        return
    _write_nodes(out, ctx, nodes)


def _write_nodes(out: BinaryIO, ctx: Any, nodes: dict[str, bytes]) -> None:
    doc = {"@context": ctx, "@graph": [0] if nodes else []}
    shell = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)
    if not nodes:
        out.write((shell + "\n").encode("utf-8"))
        return
    tail = "\n    0\n  ]\n}"
    out.write(shell[: -len(tail)].encode("utf-8") + b"\n    ")
    for i, key in enumerate(sorted(nodes)):
        out.write(b",\n    " if i else b"")
        out.write(nodes.pop(key))  # each node's bytes are freed once written
    out.write(b"\n  ]\n}\n")


def compactor(prefixes: dict[str, str]) -> Callable[[str], str]:
    """IRI -> prefixed name (longest namespace first), cached: most IRIs repeat."""
    pfx_list = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    cache: dict[str, str] = {}

    def compact(iri: str) -> str:
        hit = cache.get(iri)
        if hit is None:
            hit = cache[iri] = _compact(iri, pfx_list)
        return hit

    return compact


def _nodes_of_file(
    path: Path, prefixes: dict[str, str], compact: Callable[[str], str], halves: bool | None
) -> dict[str, bytes]:
    """Every node of the sorted file, the second half's made by a second process when ``halves``."""
    mid, size = cut(path, halves)
    if mid >= size:
        return _nodes_from_lines(path, compact)
    with scratch_dir("jsonld") as tmp:
        part = Path(tmp) / "second.pickle"
        job = {"path": str(path), "start": mid, "end": size, "prefixes": prefixes, "out": str(part)}
        with second_process.running(SECOND_HALF, "writing JSON-LD", **job) as wait:
            nodes = _nodes_from_lines(path, compact, 0, mid)
            wait()
        with part.open("rb") as f:
            theirs = pickle.load(f)  # written by our own second process, in our own 0700 folder
    if theirs == "unusual":
        raise _Unusual(str(path))
    if theirs == "collision" or not nodes.keys().isdisjoint(theirs):
        raise _Collision(str(path))
    nodes.update(theirs)
    return nodes


def nodes_file(path: str, start: int, end: int, prefixes: dict[str, str], out: str) -> None:
    """The second process's job: the nodes of bytes ``[start, end)``, pickled into ``out`` (or the word
    "unusual" / "collision" when the text reader or the one-id-per-subject rule gives up)."""
    result: dict[str, bytes] | str
    try:
        result = _nodes_from_lines(Path(path), compactor(prefixes), start, end)
    except _Unusual:
        result = "unusual"
    except _Collision:
        result = "collision"
    with open(out, "wb") as f:
        pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)


def _compact(iri: str, pfx: list[tuple[str, str]]) -> str:
    for name, ns in pfx:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{name}:{iri[len(ns) :]}"
    return iri


def _obj(term: Any, compact: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if isinstance(term, ox.Triple):
        raise _no_triple_terms(term)
    if term.language:
        return {"@value": term.value, "@language": term.language}
    dt = term.datatype.value
    if dt == XSD + "string":
        return term.value
    return {"@value": term.value, "@type": compact(dt)}


def _value_key(v: Any) -> tuple[int, str, str, str]:
    """A total order on compacted values, so multi-valued properties are written in a stable order."""
    if isinstance(v, str):
        return (0, v, "", "")
    if "@id" in v:
        return (1, v["@id"], "", "")
    return (2, v["@value"], v.get("@type", ""), v.get("@language", ""))


def _node_id(s: Any, compact: Any) -> str | None:
    if isinstance(s, ox.BlankNode):
        return f"_:{s.value}"
    if isinstance(s, ox.NamedNode):
        return str(compact(s.value))
    raise _no_triple_terms(s)


def _no_triple_terms(term: Any) -> InputError:
    """JSON-LD 1.1 has no way to state a triple term (RDF 1.2): refused, never dropped."""
    return InputError(f"JSON-LD cannot state the triple term {term}: export this data as N-Triples or Turtle")


def _node(sid: str, props: dict[str, list[Any]]) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": sid}
    for key, vals in props.items():
        if len(vals) > 1:
            vals = sorted(vals, key=_value_key)
        node[key] = vals[0] if len(vals) == 1 else vals
    return node


def _nodes(triples: Iterable[ox.Triple], compact: Any) -> dict[str, bytes]:
    """Compacted id -> the node object as indented JSON, one subject at a time (subjects are grouped).

    Only one node's values are Python objects at any time; the rest is already encoded bytes.
    """
    out: dict[str, bytes] = {}
    sid: str | None = None
    subject: Any = None
    props: dict[str, list[Any]] = defaultdict(list)

    def flush() -> None:
        if sid is not None and props:
            if sid in out:  # two subjects compacting to one id: the generic path merges them
                raise _Collision(sid)
            out[sid] = orjson.dumps(_node(sid, props), option=JSON_OPTS).replace(b"\n", b"\n    ")

    for t in triples:
        if t.subject != subject:
            flush()
            subject, sid, props = t.subject, _node_id(t.subject, compact), defaultdict(list)
        if sid is None:
            continue
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            props["@type"].append(compact(t.object.value))
        else:
            props[compact(t.predicate.value)].append(_obj(t.object, compact))
    flush()
    return out


class _Collision(Exception):
    pass


class _Unusual(Exception):
    """A line the text reader does not handle (RDF-star, odd spacing): the term-based reader runs."""


_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


def _unescape(text: str) -> str:
    """N-Triples string escapes (ECHAR, UCHAR) to the characters they stand for."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        if code is not None:
            return chr(int(code, 16))
        if m.group(3) not in _ECHAR:
            raise _Unusual(m.group(0))
        return _ECHAR[m.group(3)]

    return _ESCAPE.sub(one, text) if "\\" in text else text


def _term_text(text: str, compact: Any) -> Any:
    """One N-Triples object term (canonical form, as the store dumps it) as a compacted JSON-LD value."""
    first = text[:1]
    if first == "<" and text[-1:] == ">" and not text.startswith("<<"):
        return {"@id": compact(text[1:-1])}
    if text.startswith("_:"):
        return {"@id": text}
    if first != '"':
        raise _Unusual(text)
    q = text.rindex('"')
    lex, suffix = _unescape(text[1:q]), text[q + 1 :]
    if not suffix:
        return lex
    if suffix[0] == "@":
        return {"@value": lex, "@language": suffix[1:]}
    if not suffix.startswith("^^<") or suffix[-1] != ">":
        raise _Unusual(text)
    dt = suffix[3:-1]
    return lex if dt == XSD_STRING else {"@value": lex, "@type": compact(dt)}


def _nodes_from_lines(path: Path, compact: Any, start: int = 0, end: int | None = None) -> dict[str, bytes]:
    """:func:`_nodes` of bytes ``[start, end)`` (default: all), reading the sorted N-Triples as text: no
    term objects per triple.

    Canonical N-Triples (what the store dumps) has no spaces inside subject and predicate terms, so a
    line splits in two at its first two spaces; anything else is :class:`_Unusual`.
    """
    out: dict[str, bytes] = {}
    subject: str | None = None
    props: dict[str, list[Any]] = defaultdict(list)

    def flush() -> None:
        if subject is not None and props:
            sid = subject if subject[0] == "_" else compact(subject[1:-1])
            if sid in out:
                raise _Collision(sid)
            out[sid] = orjson.dumps(_node(sid, props), option=JSON_OPTS).replace(b"\n", b"\n    ")

    keys: dict[str, str] = {}  # "<predicate>" -> compacted key
    ids: dict[str, dict[str, str]] = {}  # "<object>" -> {"@id": compacted} (read-only, so shared)
    end = path.stat().st_size if end is None else end
    with byte_range(path, start, end) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as fh:
        for line in fh:
            s, p, o = line.split(" ", 2)
            if s != subject:
                if s[0] not in "<_" or s[1] == "<":
                    raise _Unusual(line)
                flush()
                subject, props = s, defaultdict(list)
            key = keys.get(p)
            if key is None:
                if p[0] != "<":
                    raise _Unusual(line)
                key = keys[p] = compact(p[1:-1])
            if not o.endswith(" .\n"):
                raise _Unusual(line)
            c = o[0]
            if c == "<":
                iri = o[:-3]
                if p == RDF_TYPE_REF:
                    props["@type"].append(compact(iri[1:-1]))
                    continue
                value: Any = ids.get(iri)
                if value is None:
                    if iri[1] == "<":
                        raise _Unusual(line)
                    value = ids[iri] = {"@id": compact(iri[1:-1])}
            elif c == '"' and o[-4] == '"' and "\\" not in o:
                value = o[1:-4]
            else:
                value = _term_text(o[:-3], compact)
            props[key].append(value)
    flush()
    return out


def _merged(triples: Iterable[ox.Triple], compact: Any) -> dict[str, dict[str, list[Any]]]:
    nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        sid = _node_id(t.subject, compact)
        if sid is None:
            continue
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            nodes[sid]["@type"].append(compact(t.object.value))
        else:
            nodes[sid][compact(t.predicate.value)].append(_obj(t.object, compact))
    return nodes
