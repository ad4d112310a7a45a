"""SQLite storage of ORKG things and statements in their REST representation shape.

One connection guarded by a re-entrant lock: the data set is small and a single writer with WAL
keeps concurrent requests safe without per-thread connection juggling.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Json = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS statements (id TEXT PRIMARY KEY, s TEXT NOT NULL, p TEXT NOT NULL,
                                       o TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS st_s ON statements(s);
CREATE INDEX IF NOT EXISTS st_o ON statements(o);
CREATE TABLE IF NOT EXISTS comparison_tables (id TEXT PRIMARY KEY, selected_paths TEXT NOT NULL,
                                              contents TEXT);
CREATE TABLE IF NOT EXISTS counters (prefix TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def now_iso() -> str:
    """Timestamps with millisecond precision and an explicit offset, as ORKG emits them."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Store:
    """Things (resources, predicates, literals, classes), statements, comparison tables, id counters."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(_SCHEMA)
        self._add_sort_key()

    def _add_sort_key(self) -> None:
        """``sort_key`` = the default statement order (created_at in UTC, then natural id), indexed so
        a page of the statements list is read in O(page); older databases are migrated once."""
        cols = {row[1] for row in self.conn.execute("PRAGMA table_info(statements)")}
        if "sort_key" not in cols:
            with self.tx() as c:
                c.execute("ALTER TABLE statements ADD COLUMN sort_key TEXT")
                rows = c.execute("SELECT id, body FROM statements").fetchall()
                c.executemany(
                    "UPDATE statements SET sort_key=? WHERE id=?",
                    [(statement_sort_key(json.loads(body)), sid) for sid, body in rows],
                )
        self.conn.execute("CREATE INDEX IF NOT EXISTS st_sort ON statements(sort_key)")

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock: all-or-nothing writes."""
        with self.lock:
            if self.conn.in_transaction:  # nested: the outer transaction decides
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # ---- meta / counters --------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self.lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.tx() as c:
            c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def bump_counter(self, prefix: str, at_least: int) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT INTO counters VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE SET n=max(n, excluded.n)",
                (prefix, at_least),
            )

    def new_id(self, prefix: str) -> str:
        """Next free id for a prefix (R, P, L, C, S); skips ids a client chose itself."""
        with self.lock:
            while True:
                row = self.conn.execute("SELECT n FROM counters WHERE prefix=?", (prefix,)).fetchone()
                n = (row[0] if row else 0) + 1
                self.conn.execute("INSERT OR REPLACE INTO counters VALUES (?, ?)", (prefix, n))
                cand = f"{prefix}{n}"
                table = "statements" if prefix == "S" else "things"
                if not self.conn.execute(f"SELECT 1 FROM {table} WHERE id=?", (cand,)).fetchone():
                    return cand

    # ---- things -----------------------------------------------------------------------
    def put_thing(self, thing: Json) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT OR REPLACE INTO things VALUES (?, ?, ?)",
                (thing["id"], thing["_class"], json.dumps(thing)),
            )
            m = re.fullmatch(r"([RPLC])(\d+)", thing["id"])
            if m:
                self.bump_counter(m.group(1), int(m.group(2)))

    def thing(self, thing_id: str) -> Json | None:
        with self.lock:
            row = self.conn.execute("SELECT body FROM things WHERE id=?", (thing_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def things(self, kind: str | None = None) -> list[Json]:
        with self.lock:
            if kind is None:
                rows = self.conn.execute("SELECT body FROM things").fetchall()
            else:
                rows = self.conn.execute("SELECT body FROM things WHERE kind=?", (kind,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def things_by_id(self, ids: Iterable[str]) -> dict[str, Json]:
        """Many things in a few indexed queries (a page or bundle of statements embeds them)."""
        wanted = sorted(set(ids))
        out: dict[str, Json] = {}
        with self.lock:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                sql = f"SELECT id, body FROM things WHERE id IN ({','.join('?' * len(chunk))})"
                out.update((tid, json.loads(body)) for tid, body in self.conn.execute(sql, chunk))
        return out

    def delete_thing(self, thing_id: str) -> None:
        with self.lock:
            self.conn.execute("DELETE FROM things WHERE id=?", (thing_id,))

    def shared(self, thing_id: str) -> int:
        with self.lock:
            return int(
                self.conn.execute("SELECT count(*) FROM statements WHERE o=?", (thing_id,)).fetchone()[0]
            )

    def shared_counts(self, ids: Iterable[str]) -> dict[str, int]:
        """``shared`` of the given things only: indexed counts (``st_o``), never a scan of the table."""
        wanted = sorted(set(ids))
        out: dict[str, int] = {}
        with self.lock:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT o, count(*) FROM statements WHERE o IN ({marks}) GROUP BY o"
                out.update(self.conn.execute(sql, chunk).fetchall())
        return out

    # ---- statements -------------------------------------------------------------------
    def put_statement(self, st: Json) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT OR REPLACE INTO statements (id, s, p, o, body, sort_key) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    st["id"],
                    st["subject_id"],
                    st["predicate_id"],
                    st["object_id"],
                    json.dumps(st),
                    statement_sort_key(st),
                ),
            )
            m = re.fullmatch(r"S(\d+)", st["id"])
            if m:
                self.bump_counter("S", int(m.group(1)))

    def statement(self, sid: str) -> Json | None:
        with self.lock:
            row = self.conn.execute("SELECT body FROM statements WHERE id=?", (sid,)).fetchone()
        return json.loads(row[0]) if row else None

    def find_statements(self, s: str | None = None, p: str | None = None, o: str | None = None) -> list[Json]:
        where, args = [], []
        for col, val in (("s", s), ("p", p), ("o", o)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        sql = "SELECT body FROM statements" + (" WHERE " + " AND ".join(where) if where else "")
        with self.lock:
            rows = self.conn.execute(sql, args).fetchall()
        out = [json.loads(r[0]) for r in rows]
        out.sort(key=lambda st: (st["created_at"], _natural(st["id"])))
        return out

    def statements_from(self, subjects: list[str]) -> list[Json]:
        """Outgoing statements of several subjects, grouped in ``subjects`` order, each group in
        ``find_statements`` order (created_at, natural id)."""
        rank = {s: i for i, s in enumerate(subjects)}
        out: list[Json] = []
        with self.lock:
            for i in range(0, len(subjects), 500):
                chunk = subjects[i : i + 500]
                sql = f"SELECT body FROM statements WHERE s IN ({','.join('?' * len(chunk))})"
                out.extend(json.loads(r[0]) for r in self.conn.execute(sql, chunk))
        out.sort(key=lambda st: (rank[st["subject_id"]], st["created_at"], _natural(st["id"])))
        return out

    def statements_page(
        self, s: str | None, p: str | None, o: str | None, offset: int, limit: int
    ) -> tuple[list[Json], int]:
        """One page in the default order and the total, from the indexes (no Python-side scan)."""
        where, args = [], []
        for col, val in (("s", s), ("p", p), ("o", o)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        cond = (" WHERE " + " AND ".join(where)) if where else ""
        with self.lock:
            total = int(self.conn.execute(f"SELECT count(*) FROM statements{cond}", args).fetchone()[0])
            rows = self.conn.execute(
                f"SELECT body FROM statements{cond} ORDER BY sort_key LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return [json.loads(r[0]) for r in rows], total

    def delete_statement(self, sid: str) -> None:
        with self.lock:
            self.conn.execute("DELETE FROM statements WHERE id=?", (sid,))

    # ---- comparison tables ------------------------------------------------------------
    def table(self, cid: str) -> tuple[list[Json], Json | None] | None:
        with self.lock:
            row = self.conn.execute(
                "SELECT selected_paths, contents FROM comparison_tables WHERE id=?", (cid,)
            ).fetchone()
        if not row:
            return None
        return json.loads(row[0]), (json.loads(row[1]) if row[1] is not None else None)

    def delete_table(self, cid: str) -> None:
        with self.lock:
            self.conn.execute("DELETE FROM comparison_tables WHERE id=?", (cid,))

    def put_table(self, cid: str, selected_paths: list[Json], contents: Json | None) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT OR REPLACE INTO comparison_tables VALUES (?, ?, ?)",
                (cid, json.dumps(selected_paths), json.dumps(contents) if contents is not None else None),
            )


def statement_sort_key(st: Json) -> str:
    """Sortable text for (created_at as an instant, natural id): the statements list's default order."""
    try:
        at = datetime.fromisoformat(st["created_at"])
        at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)
        when = at.strftime("%Y-%m-%dT%H:%M:%S.%f")
    except (KeyError, TypeError, ValueError):
        when = "0000"
    prefix, num, rest = _natural(str(st["id"]))
    return f"{when} {prefix} {num + 1:020d} {rest}"  # " " sorts below every id character


def _natural(thing_id: str) -> tuple[str, int, str]:
    m = re.fullmatch(r"([A-Za-z]+)(\d+)", thing_id)
    return (m.group(1), int(m.group(2)), "") if m else (thing_id, -1, thing_id)


natural_key = _natural
