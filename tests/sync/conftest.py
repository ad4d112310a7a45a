"""A pulled workspace on a fresh sandbox, and helpers to edit its dataset and run diff/push/apply."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import requests

from orkg_sync import export
from orkg_sync.store import DatasetStore
from tests.conftest import cli_env, invoke

SLM = "https://w3id.org/orkg-sync/slm#"
XSD = "http://www.w3.org/2001/XMLSchema#"
MODEL = "https://w3id.org/orkg-sync/r790020/model/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


class Workspace:
    def __init__(self, sandbox: Any, root: Path) -> None:
        self.sb = sandbox
        self.root = root
        self.folder = root / "data" / "pull"

    def cli(
        self, *args: str, creds: bool = True, host: str | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run the CLI in the workspace root (in this process, ``tests.conftest.invoke``); ``--host`` is
        the sandbox unless ``host`` ("" for none). :meth:`process` runs it as a real subprocess."""
        env, argv = self._call(args, creds, host)
        return invoke(argv, cwd=self.root, env=env, stdin=stdin)

    def process(
        self, *args: str, creds: bool = True, host: str | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """As :meth:`cli`, but a real ``python -m orkg_sync`` process (pipes, signals, interpreter)."""
        env, argv = self._call(args, creds, host)
        cmd = [sys.executable, "-m", "orkg_sync", *argv]
        return subprocess.run(
            cmd, cwd=self.root, capture_output=True, text=True, timeout=300, env=env, input=stdin
        )

    def _call(self, args: tuple[str, ...], creds: bool, host: str | None) -> tuple[dict[str, str], list[str]]:
        env = cli_env()
        if creds:
            env.update(ORKG_USERNAME=self.sb.username, ORKG_PASSWORD=self.sb.password)
        argv = list(args)
        host = self.sb.url if host is None else host
        if args[0] in ("pull", "diff", "push", "apply", "status", "undo", "resolve") and host:
            argv += ["--host", host]
        return env, argv

    def edit(self, change: Callable[[ox.Store], None]) -> None:
        store = DatasetStore()
        store.load_file(self.folder / "dataset.ttl")
        change(store.store)
        (self.folder / "dataset.ttl").write_bytes(export.to_turtle(store))

    def remote(self, contribution: str) -> dict[str, list[str]]:
        """Predicate label -> object labels of a contribution, as ORKG has it now."""
        r = requests.get(
            f"{self.sb.url}/api/statements", params={"subject_id": contribution, "size": 2500}, timeout=10
        )
        out: dict[str, list[str]] = {}
        for st in r.json()["content"]:
            out.setdefault(st["predicate"]["label"], []).append(st["object"]["label"])
        return {k: sorted(v) for k, v in out.items()}

    def contribution(self, label: str) -> str:
        base = json.loads((self.folder / "syncbase.json").read_text())
        return next(c for c, m in base["models"].items() if m["label"] == label)

    def writes(self) -> int:
        stats = self.sb.stats()["endpoints"]
        return sum(
            n for k, n in stats.items() if k.split(" ")[0] in ("POST", "PUT", "DELETE") and "/api/" in k
        )

    @property
    def state(self) -> Path:
        """The sidecar folder with lock, plan and journal."""
        return self.folder.parent / ".pull.sync"

    def head_sources(self, head: str = "R9000068") -> list[str]:
        r = requests.get(
            f"{self.sb.url}/api/comparisons/{head}",
            headers={"Accept": "application/vnd.orkg.comparison.v3+json"},
            timeout=10,
        )
        return [s["id"] for s in r.json()["sources"]]

    def requests(self) -> int:
        stats = self.sb.stats()["endpoints"]
        return sum(n for k, n in stats.items() if "/api/" in k)


_PULLED: dict[tuple[str, int | None], Path] = {}  # (sandbox url, pid) -> a workspace pulled from it


@pytest.fixture
def ws(fresh_sandbox: Any, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A workspace pulled from a freshly seeded sandbox: a copy of one pulled once per sandbox process.

    ``fresh_sandbox`` is reset to the same seeded database before every test, so the pull would give
    the same folder each time; copying it saves a pull per test. The pull itself is tested in tests/pull.
    """
    key = (fresh_sandbox.url, fresh_sandbox.pid)
    if key not in _PULLED:
        first = Workspace(fresh_sandbox, tmp_path_factory.mktemp("pulled"))
        proc = first.cli("pull", "--quiet", creds=False)
        assert proc.returncode == 0, proc.stderr
        _PULLED[key] = first.root
    shutil.copytree(_PULLED[key], tmp_path, dirs_exist_ok=True)
    return Workspace(fresh_sandbox, tmp_path)


def set_value(model: str, prop: str, *objects: ox.NamedNode | ox.Literal) -> Callable[[ox.Store], None]:
    def change(store: ox.Store) -> None:
        s, p = ox.NamedNode(MODEL + model), ox.NamedNode(prop if prop.startswith("http") else SLM + prop)
        for q in list(store.quads_for_pattern(s, p, None, None)):
            store.remove(q)
        for o in objects:
            store.add(ox.Quad(s, p, o))

    return change


def ym(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "gYearMonth"))


def integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))
