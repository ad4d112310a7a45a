"""Append-only, fsync'd record of a push: which operations started (with the before-image of what they
replace) and finished (with the ids ORKG gave), and the intent to create each object.

After a crash or Ctrl-C, `push --resume` reads it back: finished operations are skipped, one that
started but has no "done" line is checked against ORKG before anything is written again, and an object
whose creation was intended but whose id never came back is looked up (label, datatype, time) and reused.
Together with the plan it is the before-image `orkg-sync undo` restores from.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from orkg_sync.errors import InputError

SLACK = timedelta(minutes=5)


class Journal:
    def __init__(self, path: Path, plan_id: str) -> None:
        self.path = path
        self.plan_id = plan_id
        self._lock = threading.Lock()
        self.done: dict[int, dict[str, Any]] = {}
        self.started: set[int] = set()
        self.objects: dict[int, str] = {}  # op -> id of an object it created before its statement
        self.intents: dict[int, dict[str, Any]] = {}  # op -> {kind, label, datatype, at} before a create
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
            elif rec.get("status") == "intent":
                self.intents[rec["op"]] = rec
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

    def start(self, i: int, before: dict[str, Any] | None = None) -> None:
        self._append({"op": i, "status": "start", **({"before": before} if before else {})})
        self.started.add(i)

    def intent(self, i: int, kind: str, label: str, datatype: str | None) -> None:
        """Before creating an object: enough to find it again if its id is lost (crash, dropped answer)."""
        at = (datetime.now(UTC) - SLACK).isoformat(timespec="milliseconds")  # tolerate clock skew
        rec = {"op": i, "status": "intent", "kind": kind, "label": label, "datatype": datatype, "at": at}
        self._append(rec)
        self.intents[i] = rec

    def created_object(self, i: int, ident: str) -> None:
        self._append({"op": i, "status": "object", "id": ident})
        self.objects[i] = ident

    def finish(self, i: int, ids: dict[str, Any]) -> None:
        self._append({"op": i, "status": "done", "ids": ids})
        self.done[i] = ids
