"""Load an ORKG-native snapshot (docs/snapshot-format.md) into an empty sandbox store."""

from __future__ import annotations

from pathlib import Path

from orkg_sync.sandbox.db import Store
from orkg_sync.sandbox.seeds import seed_extras
from orkg_sync.sandbox.tables import live_contents
from orkg_sync.snapshot import Snapshot


def seed_store(store: Store, snapshot_path: str | Path) -> None:
    """Things and statements as stored; published tables without contents are frozen from the head.

    The extra seeded comparisons (``orkg_sync.sandbox.seeds``) are added after the snapshot.
    """
    snap = Snapshot.load(snapshot_path)
    with store.tx():
        for thing in snap.iter_things():
            body = {k: v for k, v in thing.items() if k != "shared"}
            store.put_thing(body)
        for st in snap.statements.values():
            store.put_statement(dict(st))
        for cid, table in snap.comparison_tables.items():
            store.put_table(cid, table.get("selected_paths") or [], table.get("contents"))
        for cid, table in snap.comparison_tables.items():
            res = store.thing(cid)
            if table.get("contents") is not None or res is None:
                continue
            if "ComparisonPublished" not in res.get("classes", []):
                continue
            heads = [st["subject_id"] for st in store.find_statements(p="hasPublishedVersion", o=cid)]
            head = heads[0] if heads else cid
            head_table = store.table(head)
            paths = head_table[0] if head_table else table.get("selected_paths") or []
            sources = [st["object_id"] for st in store.find_statements(s=head, p="compareContribution")]
            store.put_table(cid, paths, live_contents(store, sources, paths))
        seed_extras(store)
        store.set_meta("seeded_from", str(snapshot_path))
