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
from orkg_sync.mapping.vocab import turtle_files
from orkg_sync.publish.metadata import DatasetInfo, info_from_snapshot
from orkg_sync.publish.release import release_files, write_release
from orkg_sync.resources import default_snapshot, ontology_dir, shapes_dir
from orkg_sync.snapshot import Snapshot
from orkg_sync.store import DatasetStore

DEFAULT_OUT = Path("dist")
SHAPES_GRAPH = ox.NamedNode("https://w3id.org/orkg-sync/slm/shapes")


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


def vocabulary_quads() -> list[ox.Quad]:
    """The SKOS concept schemes (not the ontology): shipped inside the data so values carry their labels."""
    return ontology_quads([p for p in turtle_files() if p.name != "slm.ttl"])


def map_snapshot(
    snapshot_path: str | Path | None = None,
    *,
    mapping_path: str | Path | None = None,
    base: str = DEFAULT_BASE,
    keep_quads: bool = True,
) -> tuple[Snapshot, MappingResult, DatasetStore]:
    """Snapshot, mapping result and the store holding data + vocabularies.

    ``keep_quads=False`` moves the quads into the store chunk by chunk, emptying ``result.quads`` as it
    goes, so the list and the store never both hold the whole graph (at 1M triples ~0.3 GB less peak).
    """
    snapshot = Snapshot.load(snapshot_path or default_snapshot())
    mapping = load_mapping(mapping_path)
    result = snapshot_to_rdf(snapshot, mapping, base=base)
    store = DatasetStore()
    if keep_quads:
        store.add_quads(result.quads)
    else:
        _move_into(store, result.quads)
    store.add_quads(vocabulary_quads())
    return snapshot, result, store


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


def _validate(store: DatasetStore) -> Any:
    try:
        validate_mod = importlib.import_module("orkg_sync.validate")
    except ImportError:
        return None
    return validate_mod.validate(store)


def _resource_files() -> dict[str, bytes]:
    """The ontology, vocabularies, mapping and shapes, published beside the data they describe,
    plus the ontology's HTML documentation generated from that Turtle."""
    from orkg_sync.publish.ontology_docs import render_ontology_html

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
    files["ontology/index.html"] = render_ontology_html(docs).encode("utf-8")
    return files


def build(
    snapshot_path: str | Path | None = None,
    *,
    mapping_path: str | Path | None = None,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    info: DatasetInfo | None = None,
) -> BuildResult:
    """Map, validate and render every release file in memory (nothing is written here)."""
    snapshot, mapped, store = map_snapshot(
        snapshot_path, mapping_path=mapping_path, base=base, keep_quads=False
    )
    info = info or info_from_snapshot(snapshot, base=base)
    report = _validate(store) if validate else None
    extra = _resource_files()
    if report is not None:
        extra["validation-report.ttl"] = report.to_turtle()
        extra["validation-report.json"] = report.to_json().encode("utf-8")
    extra["mapping-warnings.json"] = (
        json.dumps([asdict(w) for w in mapped.warnings], indent=2, sort_keys=True, default=str) + "\n"
    ).encode("utf-8")
    files = release_files(store.store, info, extra)
    return BuildResult(snapshot, mapped, store, info, report, files)


def write(result: BuildResult, out_dir: str | Path = DEFAULT_OUT) -> Path:
    """Swap the release folder in atomically: readers see the old build or the new one, never a mix."""
    return write_release(out_dir, result.files)


__all__ = ["DEFAULT_OUT", "BuildResult", "build", "build_dataset", "map_snapshot", "write"]
