"""Folder swaps leave no moment without a complete folder (issue 9, item 10)."""

from __future__ import annotations

import threading
from pathlib import Path

from orkg_sync.atomic import write_folder


def test_a_reader_never_sees_the_folder_missing_or_partial(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    write_folder(out, {"data.ttl": b"0" * 10_000, "SHA256SUMS": b"0"})
    stop = threading.Event()
    misses: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                data = (out / "data.ttl").read_bytes()
                tag = (out / "SHA256SUMS").read_bytes()
            except FileNotFoundError as err:
                misses.append(str(err))
                continue
            if len(data) != 10_000:
                misses.append(f"partial: {len(data)} bytes")
            del tag

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(200):
            write_folder(out, {"data.ttl": str(i % 10).encode() * 10_000, "SHA256SUMS": str(i).encode()})
    finally:
        stop.set()
        t.join()
    assert misses == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # no stage or old folder left behind
