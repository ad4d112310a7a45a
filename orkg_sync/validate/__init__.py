"""SHACL validation of the dataset: a fast SPARQL engine on pyoxigraph and pyshacl as the reference.

Both engines read the same shapes (``shapes/*.ttl``) and must return the same results (tested on
every fixture and on the shipped dataset). The data is validated together with the SKOS vocabularies,
which the "in scheme" constraints look concepts up in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from orkg_sync.errors import InputError
from orkg_sync.namespaces import RDF_TYPE, RDFS_LABEL, SLM_VOCAB, VOID
from orkg_sync.store import DatasetStore
from orkg_sync.validate.report import Report, Result
from orkg_sync.validate.shapes import compile_checks, load_shapes_graph

ENGINES = ("fast", "pyshacl")
_TYPE = ox.NamedNode(RDF_TYPE)
_VOID_DATASET = ox.NamedNode(VOID + "Dataset")
LABEL = RDFS_LABEL
_SHAPES_CACHE: dict[tuple[str, ...], tuple[object, list[object]]] = {}


def _shapes(files: list[Path] | None) -> tuple[object, list[object]]:
    from orkg_sync.validate.shapes import shape_files

    files = files if files is not None else shape_files()
    key = tuple(f"{f}:{_stamp(f)}" for f in files)  # an edited shapes file is read again
    if key not in _SHAPES_CACHE:
        graph = load_shapes_graph(files)
        _SHAPES_CACHE[key] = (graph, list(compile_checks(graph)))
    return _SHAPES_CACHE[key]


def _stamp(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "-"  # load_shapes_graph names the missing file
    return f"{st.st_mtime_ns}:{st.st_size}"


def _has_vocabulary(store: ox.Store) -> bool:
    scheme = ox.NamedNode(SLM_VOCAB + "attention")
    in_scheme = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")
    return any(True for _ in store.quads_for_pattern(None, in_scheme, scheme, ox.DefaultGraph()))


def _with_vocabulary(data: DatasetStore | ox.Store | Iterable[ox.Quad]) -> ox.Store:
    """The data's default graph plus the vocabularies; the store itself when it already has them."""
    from orkg_sync.mapping.vocab import vocabulary_quads

    src = data.store if isinstance(data, DatasetStore) else data
    if isinstance(src, ox.Store) and _has_vocabulary(src):
        return src  # read-only use: no copy (this keeps re-validating one model cheap)
    store = ox.Store()
    if isinstance(src, ox.Store):
        store.extend(list(src.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    else:
        store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in src)
    if not _has_vocabulary(store):
        store.extend(vocabulary_quads())
    return store


def _as_store(data: DatasetStore | ox.Store | Iterable[ox.Quad]) -> ox.Store:
    if isinstance(data, DatasetStore):
        return data.store
    if isinstance(data, ox.Store):
        return data
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in data)
    return store


def validate(
    data: DatasetStore | ox.Store | Iterable[ox.Quad],
    *,
    focus: Iterable[str] | None = None,
    engine: str = "fast",
    shapes: list[Path] | None = None,
) -> Report:
    """Validate ``data`` against the shipped shapes; ``focus`` = model IRIs to re-check (plain IRIs)."""
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
    # a mapping's own shapes need no survey vocabulary: validate the data as it is, without a copy
    store = _with_vocabulary(data) if shapes is None else _as_store(data)
    graph, checks = _shapes(shapes)
    focus_nt = None
    if focus is not None:  # the dataset node carries the table-wide checks (name clashes): always re-check it
        focus_nt = {f if f.startswith("<") else f"<{f}>" for f in focus}
        focus_nt |= {
            str(q.subject) for q in store.quads_for_pattern(None, _TYPE, _VOID_DATASET, ox.DefaultGraph())
        }
    # rdflib logs a traceback for every ill-typed literal it meets; the report says it in one line
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.CRITICAL)
    try:
        if engine == "fast":
            from orkg_sync.validate import fast

            results = fast.run(store, checks, focus_nt)  # type: ignore[arg-type]
        else:
            from orkg_sync.validate import reference

            results = reference.run(store, graph, focus_nt)  # type: ignore[arg-type]
    finally:
        term_log.setLevel(level)
    labels = {}
    for r in {r.focus for r in results}:
        for q in store.quads_for_pattern(ox.NamedNode(r[1:-1]), ox.NamedNode(LABEL), None, ox.DefaultGraph()):
            labels[r] = str(getattr(q.object, "value", q.object))
            break
    return Report(results, labels, engine)


__all__ = ["ENGINES", "Report", "Result", "validate"]
