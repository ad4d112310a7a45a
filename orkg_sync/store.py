"""Embedded RDF store: a pyoxigraph Store (fast parse/serialize/SPARQL, see docs/store.md)."""

from __future__ import annotations

import shutil
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from orkg_sync import scratch
from orkg_sync.errors import InputError

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_EXT = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}


def format_for(path: Path, explicit: str | None = None) -> ox.RdfFormat:
    """Pick the RDF format from an explicit name or the file extension."""
    name = explicit or _EXT.get(path.suffix.lower())
    if name is None or name not in FORMATS:
        raise InputError(f"{path}: unknown RDF format (use .ttl, .nt or .jsonld)")
    return FORMATS[name]


class DatasetStore:
    """The store holding the dataset graph (default graph): in memory, or on disk for a large build.

    ``on_disk=True`` puts it in a fresh temporary folder (RocksDB: memory stays bounded whatever the
    size; removed when this object goes, and by the OS's temp cleaning after a crash).
    """

    def __init__(self, *, on_disk: bool = False) -> None:
        self.path: Path | None = None
        if on_disk:
            self.path = scratch.make_dir("store")  # folders of killed builds are swept first
            weakref.finalize(self, shutil.rmtree, self.path, True)
            self.store = ox.Store(str(self.path))
        else:
            self.store = ox.Store()

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Stream quads in (``bulk_extend``: no copy of the input, ~30% faster than ``extend`` at 1M).

        Not a transaction: only a non-quad item can fail half way, and that is a programming error.
        """
        self.store.bulk_extend(quads)

    def add_ntriples(self, lines: list[str]) -> None:
        """Load N-Triples lines made by our own mapping (``snapshot_to_ntriples``): one ``bulk_load`` of
        the text, parsed in Rust, faster than making and inserting a term object per triple.

        ``lenient``: the IRIs were validated when the lines were made (pyoxigraph terms, checked ids).
        """
        data = "".join(lines).encode("utf-8")
        if self.path is None:  # one transaction per batch: ~25% faster than ``bulk_load`` in memory
            self.store.load(data, ox.RdfFormat.N_TRIPLES, lenient=True)
        else:  # RocksDB: bulk_load writes sorted files, no transaction log
            self.store.bulk_load(data, ox.RdfFormat.N_TRIPLES, lenient=True)

    @contextmanager
    def loading_beside(self) -> Iterator[Callable[[list[str]], None]]:
        """A sink for :meth:`add_ntriples` batches, loaded on a second thread while the caller makes the
        next one: pyoxigraph's parse and insert release the GIL, so the mapping (Python) and the load
        (Rust) overlap on two cores. At most two batches wait (bounded memory); they load in order; a
        loader error is raised in the caller. On an exception in the caller the waiting batches load first."""
        with ThreadPoolExecutor(1, thread_name_prefix="orkg-sync-load") as pool:
            pending: deque[Future[None]] = deque()

            def sink(lines: list[str]) -> None:
                pending.append(pool.submit(self.add_ntriples, lines))
                if len(pending) > 2:
                    pending.popleft().result()

            yield sink
            for job in pending:
                job.result()

    def load_file(self, path: str | Path, fmt: str | None = None) -> None:
        """Load one file; a syntax error becomes one line ``file:line:col: message``."""
        p = Path(path)
        rdf_format = format_for(p, fmt)
        if not p.is_file():
            raise InputError(f"{p}: no such file")
        try:
            data = p.read_bytes()
            if rdf_format == ox.RdfFormat.JSON_LD:
                data = offline_contexts(data, p)
            self.store.bulk_load(data, rdf_format)
        except SyntaxError as err:
            raise InputError(f"{p}:{_position(err)}: {_first_line(err)}") from None
        except (ValueError, OSError) as err:
            raise InputError(f"{p}: {_first_line(err)}") from None

    def query(self, sparql: str) -> Any:
        return self.store.query(sparql)

    def serialize(self, fmt: str) -> bytes:
        data = self.store.dump(format=FORMATS[fmt], from_graph=ox.DefaultGraph())
        assert data is not None
        return data

    def __len__(self) -> int:
        return len(self.store)


STORE_PREFIX = scratch.PREFIX + "store."  # + pid + "." (see orkg_sync.scratch)


def offline_contexts(data: bytes, path: Path) -> bytes:
    """Replace a referenced top-level ``@context`` by its content, so our own JSON-LD reads offline.

    A relative reference (``context.jsonld``) is read beside the file; our release's absolute one
    (``<base>download/context.jsonld``) is read beside the file when present there (a release folder
    ships it) and otherwise rebuilt from the packaged context for that base. Any other remote context
    is refused with a hint (there is no network to fetch it from).
    """
    import json

    try:
        doc = json.loads(data)
    except ValueError:
        return data  # the parser reports the syntax error with its position
    ctx = doc.get("@context") if isinstance(doc, dict) else None
    refs = ctx if isinstance(ctx, list) else [ctx]
    if not any(isinstance(r, str) for r in refs):
        return data
    resolved: list[Any] = []
    for ref in refs:
        resolved.append(_context_for(ref, path) if isinstance(ref, str) else ref)
    doc["@context"] = resolved if isinstance(ctx, list) else resolved[0]
    return json.dumps(doc).encode("utf-8")


def _context_for(ref: str, path: Path) -> Any:
    import json

    from orkg_sync import export

    absolute = "://" in ref
    beside = path.parent / (ref.rsplit("/", 1)[-1] if absolute else ref)
    if beside.is_file() and (not absolute or ref.endswith("/download/context.jsonld")):
        try:
            return json.loads(beside.read_text(encoding="utf-8")).get("@context", {})
        except (ValueError, AttributeError):
            raise InputError(f"{beside}: not a JSON-LD context document") from None
    if absolute and ref.endswith("/download/context.jsonld"):
        return export.context(ref[: -len("download/context.jsonld")])["@context"]
    where = "remote @context" if absolute else f"@context file {beside}"
    raise InputError(f"{path}: {where} {ref!r} cannot be read offline; embed the context in the file")


def check_syntax(path: str | Path, fmt: str | None = None) -> int:
    """Parse a file without keeping it (constant memory); its triple count, or one ``file:line:col`` error."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    try:
        return sum(1 for _ in ox.parse(path=str(p), format=format_for(p, fmt)))
    except SyntaxError as err:
        raise InputError(f"{p}:{_position(err)}: {_first_line(err)}") from None
    except (ValueError, OSError) as err:
        raise InputError(f"{p}: {_first_line(err)}") from None


def _position(err: SyntaxError) -> str:
    line = getattr(err, "lineno", None)
    col = getattr(err, "offset", None)
    if line is None:
        return "?"
    return f"{line}:{col}" if col is not None else f"{line}"


def _first_line(err: BaseException) -> str:
    text = str(err.args[0] if getattr(err, "args", None) else err)
    return text.splitlines()[0] if text else type(err).__name__
