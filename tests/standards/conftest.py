"""A release folder built from the shipped snapshot (once per session), as `orkg-sync build` writes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from orkg_sync.build import build, write

    return write(build(date="2026-12-01T00:00:00Z"), tmp_path_factory.mktemp("std") / "dist")


@pytest.fixture(scope="session")
def served(dist: Path) -> Iterator[str]:
    """`orkg-sync serve`'s app over the built release folder, on a free loopback port (waitress)."""
    import threading

    from waitress.server import create_server

    from orkg_sync.cli.serve import SHAPES_GRAPH, load_store
    from orkg_sync.server import create_app

    store = load_store([dist / "data.ttl", dist / "ontology" / "slm.ttl"])
    load_store(sorted((dist / "shapes").glob("*.ttl")), store, SHAPES_GRAPH)
    srv = create_server(create_app(store, release_dir=dist), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=srv.run, daemon=True).start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()
