"""The one place that decides which dataset `export`, `query` and `validate` use when given no file."""

from __future__ import annotations

from orkg_sync.store import DatasetStore


def open_dataset(inputs: tuple[str, ...] | list[str] = ()) -> DatasetStore:
    """Load the given RDF files; with none, build the dataset from the shipped snapshot (well under 1 s)."""
    if not inputs:
        from orkg_sync.build import build_dataset

        return build_dataset()
    store = DatasetStore()
    for path in inputs:
        store.load_file(path)
    return store
