"""The offline main job: snapshot -> mapping -> RDF -> validation -> release folder (``dist/``).

`build_dataset()` is what `query`, `export` and `validate` use when given no file: the dataset is
rebuilt from the shipped snapshot in well under a second, so there is no stale cache to go wrong.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from orkg_sync.mapping import DEFAULT_BASE, MappingResult, load_mapping, ontology_quads, snapshot_to_rdf
from orkg_sync.mapping.config import Mapping
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
    """Everything one build made; `files` is the release folder's content, name -> bytes.

    ``mapping.quads`` is emptied once the quads are in ``store`` (read the graph from the store).
    """

    snapshot: Snapshot
    mapping: MappingResult
    store: DatasetStore
    info: DatasetInfo
    report: Any = None  # orkg_sync.validate.Report, when validation ran
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return len(self.store)


def map_snapshot(
    snapshot_path: str | Path | None = None,
    *,
    mapping_path: str | Path | None = None,
    base: str = DEFAULT_BASE,
) -> tuple[Snapshot, MappingResult, DatasetStore]:
    snapshot, result, store, _ = _map(snapshot_path, load_mapping(mapping_path), base)
    return snapshot, result, store


def _map(
    snapshot_path: str | Path | None, mapping: Mapping, base: str, keep_quads: bool = True
) -> tuple[Snapshot, MappingResult, DatasetStore, Mapping]:
    """``keep_quads=False`` moves the quads into the store chunk by chunk, emptying ``result.quads`` as
    it goes, so the list and the store never both hold the whole graph (1.18M triples: 1.75 -> 1.31 GB)."""
    snapshot = Snapshot.load(snapshot_path or default_snapshot())
    result = snapshot_to_rdf(snapshot, mapping, base=base)
    store = DatasetStore()
    if keep_quads:
        store.add_quads(result.quads)
    else:
        _move_into(store, result.quads)
    own = bool(mapping.shape_files)  # a mapping of its own (`init`): its vocabularies only, maybe none
    store.add_quads(mapping.concept_quads() if own else (mapping.concept_quads() or vocabulary_quads()))
    store.add_quads(materialise(store.store))  # it6:/fair4ml:/schema.org/dct: terms beside ours
    return snapshot, result, store, mapping


def _move_into(store: DatasetStore, quads: list[ox.Quad], chunk: int = 200_000) -> None:
    """Load ``quads`` in insertion order, freeing each chunk of the list once it is in the store."""
    while quads:
        store.add_quads(quads[:chunk])
        del quads[:chunk]


def build_dataset(
    snapshot_path: str | Path | None = None,
    *,
    mapping_path: str | Path | None = None,
    base: str = DEFAULT_BASE,
) -> DatasetStore:
    """The dataset graph (data + vocabularies) of a snapshot, default the shipped one."""
    return map_snapshot(snapshot_path, mapping_path=mapping_path, base=base)[2]


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
) -> BuildResult:
    """Map, validate and render every release file in memory (nothing is written here).

    ``date`` (ISO date or date-time) is the release time; see ``metadata.release_time`` for the default.
    """
    snapshot, mapped, store, mapping = _map(snapshot_path, load_mapping(mapping_path), base, keep_quads=False)
    models = len(mapped.models)
    info = info or _info(snapshot, mapping, mapping.base_iri(base), models, date)
    report = _validate(store, mapping.validation_shapes()) if validate else None
    extra = _resource_files(mapping)
    if report is not None:
        extra["validation-report.ttl"] = report.to_turtle()
        extra["validation-report.json"] = report.to_json().encode("utf-8")
    extra["mapping-warnings.json"] = (
        json.dumps([asdict(w) for w in mapped.warnings], indent=2, sort_keys=True, default=str) + "\n"
    ).encode("utf-8")
    files = release_files(store.store, info, extra)
    return BuildResult(snapshot, mapped, store, info, report, files)


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
    """Swap the release folder in atomically: readers see the old build or the new one, never a mix."""
    return write_release(out_dir, result.files)


__all__ = ["DEFAULT_OUT", "BuildResult", "build", "build_dataset", "map_snapshot", "write"]
