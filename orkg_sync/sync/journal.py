"""Append-only, fsync'd record of a push: which operations started and finished, with the ids ORKG gave.

After a crash or Ctrl-C, `push --resume` reads it back: finished operations are skipped, and one that
started but has no "done" line is checked against ORKG before anything is written again.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from orkg_sync.errors import InputError


class Journal:
    def __init__(self, path: Path, plan_id: str) -> None:
        self.path = path
        self.plan_id = plan_id
        self._lock = threading.Lock()
        self.done: dict[int, dict[str, Any]] = {}
        self.started: set[int] = set()
        self.objects: dict[int, str] = {}  # op -> id of an object it created before its statement
        if path.exists():
            self._read()
        else:
            self._append({"plan": plan_id})

    def _read(self) -> None:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        head = json.loads(lines[0]) if lines else {}
        if head.get("plan") != self.plan_id:
            raise InputError(
                f"{self.path}: journal of another plan ({head.get('plan')}); remove it or apply that plan"
            )
        for line in lines[1:]:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line torn by a crash mid-write: its operation is re-checked
            if rec.get("status") == "start":
                self.started.add(rec["op"])
            elif rec.get("status") == "object":
                self.objects[rec["op"]] = rec["id"]
            elif rec.get("status") == "done":
                self.done[rec["op"]] = rec.get("ids", {})

    def _append(self, rec: dict[str, Any]) -> None:
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                os.write(fd, (json.dumps(rec, sort_keys=True) + "\n").encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)

    def start(self, i: int) -> None:
        self._append({"op": i, "status": "start"})
        self.started.add(i)

    def created_object(self, i: int, ident: str) -> None:
        self._append({"op": i, "status": "object", "id": ident})
        self.objects[i] = ident

    def finish(self, i: int, ids: dict[str, Any]) -> None:
        self._append({"op": i, "status": "done", "ids": ids})
        self.done[i] = ids
