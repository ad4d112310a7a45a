"""The one place that decides which dataset `export`, `query` and `validate` use when given no file."""

from __future__ import annotations

from pathlib import Path

from orkg_sync.store import DatasetStore


def open_dataset(
    inputs: tuple[str, ...] | list[str] = (),
    *,
    snapshot: str | Path | None = None,
    mapping: str | Path | None = None,
) -> DatasetStore:
    """Load the given RDF files; with none, build the dataset from ``snapshot`` (default the shipped one)
    with ``mapping`` (default the shipped one), exactly as `build` maps it (well under 1 s)."""
    if not inputs:
        from orkg_sync.build import build_dataset

        return build_dataset(snapshot, mapping_path=mapping)
    store = DatasetStore()
    for path in inputs:
        store.load_file(path)
    return store


def dataset_base(mapping: str | Path | None = None) -> str:
    """The base IRI a dataset built with ``mapping`` has (its own ``base``, else the default)."""
    from orkg_sync.mapping import DEFAULT_BASE, load_mapping

    return load_mapping(mapping).base_iri(DEFAULT_BASE) if mapping else DEFAULT_BASE
