"""The offline main job: snapshot -> mapping -> RDF -> validation -> release folder (``dist/``).

`build_dataset()` is what `query`, `export` and `validate` use when given no file: the dataset is
rebuilt from the shipped snapshot in well under a second, so there is no stale cache to go wrong.
"""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from orkg_sync import export
from orkg_sync.atomic import StagedFolder
from orkg_sync.errors import InputError
from orkg_sync.mapping import DEFAULT_BASE, MappingResult, load_mapping, ontology_quads, snapshot_to_rdf
from orkg_sync.mapping.config import Mapping
from orkg_sync.mapping.convert import snapshot_to_ntriples
from orkg_sync.mapping.vocab import PROVENANCE_FILE, vocabulary_quads
from orkg_sync.namespaces import DCT, OSYNC, PROV, SKOS, SLM_SHAPES
from orkg_sync.publish.align import materialise
from orkg_sync.publish.metadata import DatasetInfo, info_from_snapshot
from orkg_sync.publish.release import release_files, write_release
from orkg_sync.resources import default_snapshot, ontology_dir, shapes_dir
from orkg_sync.snapshot import Snapshot
from orkg_sync.store import DatasetStore

DEFAULT_OUT = Path("dist")
SHAPES_GRAPH = ox.NamedNode(SLM_SHAPES)


@dataclass
class BuildResult:
    """Everything one build made; ``files`` is the release folder's content, staged on disk (name -> bytes,
    read on demand; ``files.size(name)`` and ``files.path(name)`` without reading).

    ``mapping.quads`` is empty: the mapping streamed into ``store`` (read the graph from the store).
    The staged files are removed by :meth:`close` (or a ``with`` block) unless :func:`write` published them,
    and at the latest when the result is collected or the process exits.
    """

    snapshot: Snapshot  # its header (source, comparison): the tables are freed once mapped
    mapping: MappingResult
    store: DatasetStore
    info: DatasetInfo
    report: Any = None  # orkg_sync.validate.Report, when validation ran
    files: StagedFolder = field(default_factory=StagedFolder)

    @property
    def triples(self) -> int:
        return len(self.store)

    def close(self) -> None:
        """Drop the staged release (nothing once written)."""
        self.files.close()

    def __enter__(self) -> BuildResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def map_snapshot(
    snapshot_path: str | Path | None = None,
    *,
    mapping_path: str | Path | None = None,
    base: str = DEFAULT_BASE,
) -> tuple[Snapshot, MappingResult, DatasetStore]:
    snapshot, result, store, _ = _map(snapshot_path, load_mapping(mapping_path), base)
    return snapshot, result, store


# Peak memory of an in-memory build per ORKG statement (~8 triples each): 7.69 GB for 1.31M statements
# (10.7M triples, 202 s CPU). On disk the same build takes 5.1 GB but ~1.9x the CPU (367-393 s).
BYTES_PER_STATEMENT = 6_000
STORE_ENV = "ORKG_SYNC_STORE"  # "memory" or "disk": overrides the choice


def store_on_disk(statements: int, available: int | None = None) -> bool:
    """On disk when an in-memory build would take more than half the memory available now (the output
    is the same bytes either way; memory is only the cost)."""
    forced = os.environ.get(STORE_ENV, "").strip().lower()
    if forced:
        if forced not in ("memory", "disk"):
            raise InputError(f"{STORE_ENV}={forced!r}: use 'memory' or 'disk'")
        return forced == "disk"
    free = available if available is not None else _available_memory()
    return statements * BYTES_PER_STATEMENT > free // 2


def _available_memory() -> int:
    """MemAvailable from /proc/meminfo (Linux), else the free pages; 8 GB when neither can be read."""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    except (OSError, ValueError, AttributeError):
        return 8 << 30


def _map(
    snapshot_path: str | Path | None,
    mapping: Mapping,
    base: str,
    keep_quads: bool = True,
    on_disk: bool | None = False,
) -> tuple[Snapshot, MappingResult, DatasetStore, Mapping]:
    """``keep_quads=False`` streams the mapping into the store as N-Triples text, batch by batch
    (``snapshot_to_ntriples``): no term object per triple and no list of the whole graph; ``quads`` stays
    empty. The store's contents are the same either way. ``on_disk=None``: on disk for a large snapshot."""
    snapshot = Snapshot.load(snapshot_path or default_snapshot())
    if on_disk is None:
        on_disk = store_on_disk(len(snapshot.statements))
    store = DatasetStore(on_disk=on_disk)
    if keep_quads:
        result = snapshot_to_rdf(snapshot, mapping, base=base)
        store.add_quads(result.quads)
    else:
        with store.loading_beside() as sink:  # map the next batch while the last one loads
            result = snapshot_to_ntriples(snapshot, mapping, sink, base=base)
    own = bool(mapping.shape_files)  # a mapping of its own (`init`): its vocabularies only, maybe none
    store.add_quads(mapping.concept_quads() if own else (mapping.concept_quads() or vocabulary_quads()))
    materialise(store.store)  # it6:/fair4ml:/schema.org/dct: terms beside ours, added in the store
    return snapshot, result, store, mapping


def build_dataset(
    snapshot_path: str | Path | None = None,
    *,
    mapping_path: str | Path | None = None,
    base: str = DEFAULT_BASE,
) -> DatasetStore:
    """The dataset graph (data + vocabularies) of a snapshot, default the shipped one."""
    return _map(snapshot_path, load_mapping(mapping_path), base, keep_quads=False)[2]


def _validate(store: DatasetStore, shapes: list[Path] | None = None) -> Any:
    try:
        validate_mod = importlib.import_module("orkg_sync.validate")
    except ImportError:
        return None
    return validate_mod.validate(store, shapes=shapes or None)


def _mapping_files(mapping: Mapping) -> dict[str, bytes]:
    """A mapping of its own (`init`): its file, ontology, vocabularies and shapes, by their relative paths."""
    from orkg_sync.publish.ontology_docs import prefixes_of, render_ontology_html

    root = mapping.source.parent
    files = {"ontology/orkg-sync.ttl": (ontology_dir() / PROVENANCE_FILE).read_bytes()}
    files["ontology/mapping.toml"] = mapping.source.read_bytes()
    docs = ox.Store()
    docs.extend(
        ontology_quads([ontology_dir() / PROVENANCE_FILE, *mapping.ontology_files, *mapping.vocabulary_files])
    )
    for path in [*mapping.ontology_files, *mapping.vocabulary_files]:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        files[f"ontology/{name}"] = path.read_bytes()
    for path in mapping.shape_files:
        files[f"shapes/{path.name}"] = path.read_bytes()
        docs.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=SHAPES_GRAPH)
    declared = prefixes_of([*mapping.ontology_files, *mapping.vocabulary_files, *mapping.shape_files])
    files["ontology/index.html"] = render_ontology_html(docs, declared).encode("utf-8")
    return files


def _resource_files(mapping: Mapping | None = None) -> dict[str, bytes]:
    """The ontology, vocabularies, mapping and shapes, published beside the data they describe,
    plus the ontology's HTML documentation generated from that Turtle."""
    from orkg_sync.publish.ontology_docs import prefixes_of, render_ontology_html

    if mapping is not None and mapping.shape_files:
        return _mapping_files(mapping)
    files: dict[str, bytes] = {}
    onto = ontology_dir()
    for path in sorted(onto.rglob("*")):
        if path.is_file() and path.suffix in {".ttl", ".toml"}:
            files[f"ontology/{path.relative_to(onto).as_posix()}"] = path.read_bytes()
    docs = ox.Store()
    docs.extend(ontology_quads())
    for path in sorted(shapes_dir().glob("*.ttl")):
        files[f"shapes/{path.name}"] = path.read_bytes()
        docs.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=SHAPES_GRAPH)
    declared = prefixes_of([*sorted(onto.rglob("*.ttl")), *sorted(shapes_dir().glob("*.ttl"))])
    files["ontology/index.html"] = render_ontology_html(docs, declared).encode("utf-8")
    return files


def build(
    snapshot_path: str | Path | None = None,
    *,
    mapping_path: str | Path | None = None,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    info: DatasetInfo | None = None,
    date: str | None = None,
    on_disk: bool | None = None,
    out: str | Path | None = None,
) -> BuildResult:
    """Map, validate and render every release file into a stage folder (the release is not replaced here:
    :func:`write` swaps it in; a caller that only wants the report closes the result).

    Each large file is written to the stage as it is made, never held whole in memory. ``out``: the
    release folder :func:`write` will replace, so the stage is made beside it (same file system: writing
    is one rename); default a stage in the temp folder, moved (or copied across file systems) on write.
    ``date`` (ISO date or date-time) is the release time; see ``metadata.release_time`` for the default.
    ``on_disk``: keep the store in a temporary on-disk database (bounded memory, ~2x slower); default
    (None): :func:`store_on_disk`. The output is the same bytes.
    Once mapped, the snapshot's tables are dropped (``BuildResult.snapshot`` keeps its header).
    """
    snapshot, mapped, store, mapping = _map(
        snapshot_path, load_mapping(mapping_path), base, keep_quads=False, on_disk=on_disk
    )
    models = len(mapped.models)
    info = info or _info(snapshot, mapping, mapping.base_iri(base), models, date)
    snapshot = Snapshot(source=snapshot.source, comparison=snapshot.comparison)  # free the tables
    # The graph is complete and nothing below writes to it: its dump and sort run on the other core
    # while validation and the reports run here (the exports start from the sorted file). Each file goes
    # to the stage as soon as it is made, so no report waits in memory while the exports run.
    files = StagedFolder(out)
    try:
        with export.BackgroundSort(store.store) as nt:
            report = _validate(store, mapping.validation_shapes()) if validate else None
            _stage_reports(files, mapping, mapped, report)
            release_files(store.store, info, nt=nt.result(), into=files)
    except BaseException:
        files.close()
        raise
    return BuildResult(snapshot, mapped, store, info, report, files)


def _stage_reports(files: StagedFolder, mapping: Mapping, mapped: MappingResult, report: Any) -> None:
    """The ontology, shapes and mapping files, the validation report and the mapping warnings."""
    for name, data in _resource_files(mapping).items():
        files.put(name, data)
    if report is not None:
        files.put("validation-report.ttl", report.to_turtle())
        files.put("validation-report.json", report.to_json().encode("utf-8"))
    warnings = [asdict(w) for w in mapped.warnings]
    text = json.dumps(warnings, indent=2, sort_keys=True, default=str) + "\n"
    files.put("mapping-warnings.json", text.encode("utf-8"))


def _info(
    snapshot: Snapshot, mapping: Mapping, base: str, models: int, date: str | None = None
) -> DatasetInfo:
    """The dataset description; a mapping of its own (`init`) describes its comparison, not the survey."""
    if not mapping.shape_files:
        return info_from_snapshot(snapshot, base=base, date=date)
    cid = str(snapshot.comparison.get("id") or mapping.comparison)
    return info_from_snapshot(
        snapshot,
        base=base,
        date=date,
        title=f"{mapping.title or cid} as linked data",
        description=f"{models} sources of ORKG comparison {cid}, mapped by orkg-sync.",
        vocabularies=(OSYNC, base + "property/", base + "vocab/", SKOS, PROV, DCT),
    )


def write(result: BuildResult, out_dir: str | Path = DEFAULT_OUT) -> Path:
    """Swap the staged release in at ``out_dir`` atomically: readers see the old build or the new one,
    never a mix; on failure the old one stays and the stage is removed."""
    return write_release(out_dir, result.files)


__all__ = ["DEFAULT_OUT", "BuildResult", "build", "build_dataset", "map_snapshot", "write"]
