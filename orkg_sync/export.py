"""Deterministic exports: Turtle with project prefixes, sorted N-Triples, compacted JSON-LD.

One serializer for every writer (`export`, `build`, the release folder, the server) so that the same
graph always gives the same bytes and diffs between two builds show only real changes.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import pyoxigraph as ox

from orkg_sync import turtle_writer
from orkg_sync.namespaces import RDF_TYPE, XSD

# Re-exported: the canonical sorted N-Triples every writer here starts from (callers use export.*)
from orkg_sync.sorted_nt import BackgroundSort as BackgroundSort
from orkg_sync.sorted_nt import Data as Data
from orkg_sync.sorted_nt import SortedNTriples as SortedNTriples
from orkg_sync.sorted_nt import sorted_ntriples as sorted_ntriples

CONTEXT_PATH = Path(__file__).resolve().parent / "context.jsonld"
XSD_STRING = XSD + "string"
RDF_TYPE_REF = f"<{RDF_TYPE}>"
DEFAULT_DATA_PREFIX = "r790020"
JSON_OPTS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def prefixes(base: str | None = None) -> dict[str, str]:
    """The project prefixes, from the shipped context; ``base`` rebinds the data prefix."""
    ctx = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    out = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    if base:
        out[DEFAULT_DATA_PREFIX] = base
    # Sub-namespaces get prefixes of their own so that Turtle reads `model:llama-3-2`, not the
    # legal but ugly `r790020:model\/llama-3-2` (a "/" must be escaped in a prefixed name).
    for sub in ("model", "record", "distribution", "download", "agent", "activity"):
        out[sub] = out[DEFAULT_DATA_PREFIX] + sub + "/"
    out["result"] = out[DEFAULT_DATA_PREFIX] + "validation/result/"
    out["vclass"] = out[DEFAULT_DATA_PREFIX] + "void/class/"
    out["vproperty"] = out[DEFAULT_DATA_PREFIX] + "void/property/"
    for scheme in ("paradigm", "domain", "attention", "activation", "technique", "dataset"):
        out[scheme] = out["slmv"] + scheme + "/"
    return out


def context(base: str | None = None) -> dict[str, Any]:
    """The JSON-LD context document (prefix map only: no term coercions that could drift from the data)."""
    return {"@context": dict(sorted(prefixes(base).items()))}


def context_bytes(base: str | None = None) -> bytes:
    return (json.dumps(context(base), indent=2, sort_keys=True) + "\n").encode("utf-8")


def to_ntriples(data: Data) -> bytes:
    """Sorted, byte-deterministic N-Triples (one triple a line; we produce no blank nodes)."""
    with sorted_ntriples(data) as nt:
        return nt.read_bytes()


def triples(data: Data) -> list[ox.Triple]:
    """Default-graph triples in canonical order (sorting N-Triples lines is ~3x faster than sorting terms)."""
    with sorted_ntriples(data) as nt:
        return list(nt.triples())


def write_turtle(data: Data, out: BinaryIO, base: str | None = None, *, halves: bool | None = None) -> None:
    """Prefixed Turtle streamed from the sorted triples; prefix lines sorted, so the file is byte-stable.

    ``halves``: write the second half in a second process (default: for a large graph on two or more
    cores; same bytes, see :mod:`orkg_sync.turtle_writer`)."""
    with sorted_ntriples(data) as nt:
        turtle_writer.write(nt.path, out, prefixes(base), halves)


def to_turtle(data: Data, base: str | None = None) -> bytes:
    """Prefixed Turtle; input sorted and prefix lines sorted, so the file is byte-stable."""
    with tempfile.TemporaryFile() as buf:
        write_turtle(data, buf, base)
        buf.seek(0)
        return buf.read()


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
    return None  # RDF-star triple terms are not part of our data contract


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


def _nodes_from_lines(path: Path, compact: Any) -> dict[str, bytes]:
    """:func:`_nodes`, reading the sorted N-Triples as text: no term objects per triple.

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
    with open(path, encoding="utf-8", newline="\n") as fh:
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


def write_jsonld(
    data: Data, out: BinaryIO, *, context_ref: str | None = None, base: str | None = None
) -> None:
    """Compacted JSON-LD, one node object per subject, sorted; streamed from the sorted triples.

    ``context_ref`` (a URL or a relative file name such as ``context.jsonld``) references the context
    published beside the data; without it the context is embedded so the file stands alone. The bytes
    are those of ``json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)``; each node is encoded
    with orjson (the stdlib's indenting encoder is pure Python) and the nodes written in id order.
    rdflib's compaction is not used: it is ~10x slower on 100k triples.
    """
    pfx_list = sorted(prefixes(base).items(), key=lambda kv: -len(kv[1]))
    cache: dict[str, str] = {}

    def compact(iri: str) -> str:
        hit = cache.get(iri)
        if hit is None:
            hit = cache[iri] = _compact(iri, pfx_list)
        return hit

    ctx: Any = context_ref if context_ref is not None else context(base)["@context"]
    with sorted_ntriples(data) as nt:
        try:
            try:
                nodes = _nodes_from_lines(nt.path, compact)
            except _Unusual:
                nodes = _nodes(nt.triples(), compact)
        except _Collision:
            nodes = {}
            graph = [_node(k, v) for k, v in sorted(_merged(nt.triples(), compact).items())]
            doc = {"@context": ctx, "@graph": graph}
            text = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            out.write(text.encode("utf-8"))
            return
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


def jsonld_file(nt_path: str, base: str | None, out_path: str) -> None:
    """JSON-LD of a sorted N-Triples file into ``out_path``: the entry point of a second process
    (:func:`orkg_sync.publish.release.release_files` runs it beside the Turtle export)."""
    with open(out_path, "wb") as out:
        write_jsonld(SortedNTriples(Path(nt_path)), out, base=base)


def to_jsonld(data: Data, *, context_ref: str | None = None, base: str | None = None) -> bytes:
    """Compacted JSON-LD as bytes (see :func:`write_jsonld`)."""
    with tempfile.TemporaryFile() as buf:  # read back as one exact-size bytes (BytesIO would copy)
        write_jsonld(data, buf, context_ref=context_ref, base=base)
        buf.seek(0)
        return buf.read()
