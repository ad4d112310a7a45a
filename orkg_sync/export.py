"""Deterministic exports: Turtle with project prefixes, sorted N-Triples, compacted JSON-LD.

One serializer for every writer (`export`, `build`, the release folder, the server) so that the same
graph always gives the same bytes and diffs between two builds show only real changes.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from orkg_sync import jsonld_writer, turtle_writer

# Re-exported: the canonical sorted N-Triples every writer here starts from (callers use export.*)
from orkg_sync.sorted_nt import BackgroundSort as BackgroundSort
from orkg_sync.sorted_nt import Data as Data
from orkg_sync.sorted_nt import SortedNTriples as SortedNTriples
from orkg_sync.sorted_nt import sorted_ntriples as sorted_ntriples

CONTEXT_PATH = Path(__file__).resolve().parent / "context.jsonld"
DEFAULT_DATA_PREFIX = "r790020"


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


def write_jsonld(
    data: Data,
    out: BinaryIO,
    *,
    context_ref: str | None = None,
    base: str | None = None,
    halves: bool | None = None,
) -> None:
    """Compacted JSON-LD, one node object per subject, sorted; streamed from the sorted triples.

    ``context_ref`` (a URL or a relative file name such as ``context.jsonld``) references the context
    published beside the data; without it the context is embedded so the file stands alone. ``halves``:
    the second half's nodes made by a second process (default: for a large graph on two or more cores;
    same bytes, see :mod:`orkg_sync.jsonld_writer`).
    """
    ctx: Any = context_ref if context_ref is not None else context(base)["@context"]
    with sorted_ntriples(data) as nt:
        jsonld_writer.write(nt, out, prefixes(base), ctx, halves)


def jsonld_file(nt_path: str, base: str | None, out_path: str) -> None:
    """JSON-LD of a sorted N-Triples file into ``out_path``, in one pass: the job of the release's second
    process (:func:`orkg_sync.publish.release.release_files` runs it beside the Turtle export)."""
    with open(out_path, "wb") as out:
        write_jsonld(SortedNTriples(Path(nt_path)), out, base=base, halves=False)


def to_jsonld(
    data: Data, *, context_ref: str | None = None, base: str | None = None, halves: bool | None = None
) -> bytes:
    """Compacted JSON-LD as bytes (see :func:`write_jsonld`)."""
    with tempfile.TemporaryFile() as buf:  # read back as one exact-size bytes (BytesIO would copy)
        write_jsonld(data, buf, context_ref=context_ref, base=base, halves=halves)
        buf.seek(0)
        return buf.read()
