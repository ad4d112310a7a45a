"""Comparisons seeded into every fresh sandbox beside R790020 (documented in docs/sandbox.md).

Each ``*.json`` here is one comparison of a different shape, in its own id block
(R/P/L/C/S 9101000-9104999); ``builtins.json`` holds the ORKG built-in classes and predicates they use.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from orkg_sync.sandbox.db import Store
from orkg_sync.sandbox.seeds.builder import SeedBuilder, SeedError, load_spec

HERE = Path(__file__).resolve().parent
RESERVED_TOP = 9_199_999  # ids 9100000-9199999 are reserved for seeded comparisons
SEED_FILES = ("typed_literals.json", "shared_resources.json", "nested_paths.json", "templated.json")

__all__ = ["SEED_FILES", "SeedError", "seed_builtins", "seed_extras"]


def seed_builtins(store: Store) -> None:
    """Built-in classes and predicates, only where the store does not have them yet."""
    doc = json.loads((HERE / "builtins.json").read_text(encoding="utf-8"))
    common = {
        "created_at": doc["created_at"],
        "created_by": "00000000-0000-0000-0000-000000000000",
        "extraction_method": "UNKNOWN",
        "modifiable": True,
        "description": None,
    }
    for cid, label, uri in doc["classes"]:
        if store.thing(cid) is None:
            store.put_thing({"id": cid, "label": label, "uri": uri, "_class": "class", **common})
    for pid, label in doc["predicates"]:
        if store.thing(pid) is None:
            store.put_thing({"id": pid, "label": label, "uri": None, "_class": "predicate", **common})


def _block_in_use(store: Store, base: int) -> bool:
    """A large snapshot may already use ids of a seed block; never overwrite its things."""
    with store.lock:
        rows = store.conn.execute("SELECT n FROM counters").fetchall()
    return any(int(n) > base for (n,) in rows)


def seed_extras(store: Store) -> list[str]:
    """Seed every extra comparison whose head is not in the store yet; returns the head ids seeded."""
    seeded = []
    with store.tx():
        seed_builtins(store)
        for name in SEED_FILES:
            spec = load_spec(HERE / name)
            if store.thing(spec["comparison"]["head"]) is not None:
                continue
            if _block_in_use(store, int(spec["range"][0])):
                print(
                    f"orkg-sandbox: {name} not seeded: ids from {spec['range'][0]} are in use",
                    file=sys.stderr,
                )
                continue
            SeedBuilder(store, spec, name).build()
            seeded.append(str(spec["comparison"]["head"]))
        for prefix in ("R", "P", "L", "C", "S"):  # ids minted at run time start above the seed block
            store.bump_counter(prefix, RESERVED_TOP)
    return seeded
