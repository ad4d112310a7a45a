"""The one place that decides which dataset `export`/`query` use when no --input is given."""

from __future__ import annotations

import importlib
from pathlib import Path

from orkg_sync.errors import InputError
from orkg_sync.store import DatasetStore

DEFAULT_DIST = Path("dist/r790020.ttl")


def open_dataset(inputs: tuple[str, ...] | list[str] = ()) -> DatasetStore:
    """Load the given files, else ``orkg_sync.build.build_dataset()`` if present, else dist/r790020.ttl."""
    store = DatasetStore()
    if inputs:
        for path in inputs:
            store.load_file(path)
        return store
    try:
        build = importlib.import_module("orkg_sync.build")
    except ImportError:
        build = None
    if build is not None and hasattr(build, "build_dataset"):
        built = build.build_dataset()
        if isinstance(built, DatasetStore):
            return built
        store.add_quads(built)
        return store
    if not DEFAULT_DIST.is_file():
        raise InputError(f"{DEFAULT_DIST}: no such file (run `orkg-sync build` or pass --input)")
    store.load_file(DEFAULT_DIST)
    return store
