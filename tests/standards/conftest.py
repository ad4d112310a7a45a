"""A release folder built from the shipped snapshot (once per session), as `orkg-sync build` writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from orkg_sync.build import build, write

    return write(build(date="2026-12-01T00:00:00Z"), tmp_path_factory.mktemp("std") / "dist")
