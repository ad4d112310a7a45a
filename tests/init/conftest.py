"""A comparison nobody hand-fitted, built through the sandbox's REST API, and a CLI runner for it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import cli_env, invoke

CMP_V3 = "application/vnd.orkg.comparison.v3+json"
# column label -> (ORKG datatype or None for resources, values of sources A, B, C; None = empty cell)
COLUMNS: dict[str, tuple[str | None, list[str | None]]] = {
    "Parameters (M)": ("xsd:integer", ["350", "1300", None]),
    "Accuracy": ("xsd:decimal", ["0.91", "0.875", "0.5"]),
    "Published on": ("xsd:date", ["2023-04-01", "2024-02-29", "2022-12-31"]),
    "Open weights": ("xsd:boolean", ["true", "false", "true"]),
    "Code": ("xsd:anyURI", ["https://github.com/a/a", "https://github.com/b/b", None]),
    "Notes": ("xsd:string", ["fast", "n/a", None]),
    "Task": (None, ["Question answering", "Summarisation", "Question answering"]),  # shared resources
}


@dataclass
class Seeded:
    comparison: str
    contributions: list[str]  # A, B, C
    predicates: dict[str, str] = field(default_factory=dict)  # column label -> predicate id


class Api:
    """Minimal authenticated writer against the sandbox (test set-up only)."""

    def __init__(self, sb: Any) -> None:
        self.sb = sb

    def post(self, path: str, body: dict[str, Any], content_type: str = "application/json") -> str:
        headers = {**self.sb.auth(), "Content-Type": content_type, "Accept": content_type}
        r = requests.post(f"{self.sb.url}{path}", json=body, headers=headers, timeout=10)
        assert r.status_code == 201, (path, r.status_code, r.text)
        return r.headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    def statement(self, s: str, p: str, o: str) -> str:
        return self.post("/api/statements", {"subject_id": s, "predicate_id": p, "object_id": o})


def seed_comparison(sb: Any, columns: dict[str, tuple[str | None, list[str | None]]] = COLUMNS) -> Seeded:
    """Three contributions with one column of every kind (typed literals, shared resources, empty cells)."""
    api = Api(sb)
    field_id = requests.get(
        f"{sb.url}/api/comparisons/R790020", headers={"Accept": CMP_V3}, timeout=10
    ).json()["research_fields"][0]["id"]
    paper = api.post("/api/resources", {"label": "A generic paper", "classes": ["Paper"]})
    contribs = [
        api.post("/api/resources", {"label": f"Model {x}", "classes": ["Contribution"]}) for x in "ABC"
    ]
    for c in contribs:
        api.statement(paper, "P31", c)
    seeded = Seeded("", contribs)
    shared: dict[str, str] = {}
    for label, (datatype, values) in columns.items():
        pid = api.post("/api/predicates", {"label": label})
        seeded.predicates[label] = pid
        for contrib, value in zip(contribs, values, strict=True):
            if value is None:
                continue
            if datatype is None:
                if value not in shared:
                    shared[value] = api.post("/api/resources", {"label": value, "classes": []})
                obj = shared[value]
            else:
                obj = api.post("/api/literals", {"label": value, "datatype": datatype})
            api.statement(contrib, pid, obj)
    body = {
        "title": "A comparison nobody hand-fitted",
        "description": "Seeded by tests/init.",
        "research_fields": [field_id],
        "authors": [{"name": "Test Author"}],
        "sources": [{"id": c, "type": "THING"} for c in contribs],
        "references": [],
        "observatories": [],
        "organizations": [],
        "is_anonymized": False,
    }
    seeded.comparison = api.post("/api/comparisons", body, CMP_V3)
    paths = {
        "selected_paths": [
            {"id": pid, "type": "PREDICATE", "children": []} for pid in seeded.predicates.values()
        ]
    }
    headers = {**sb.auth(), "Content-Type": CMP_V3}
    r = requests.put(
        f"{sb.url}/api/comparisons/{seeded.comparison}/contents", json=paths, headers=headers, timeout=10
    )
    assert r.status_code == 204, r.text
    return seeded


def run(root: Path, sb: Any, *args: str, creds: bool = False) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it, against the sandbox (in this process: ``tests.conftest.invoke``)."""
    env = cli_env()
    if creds:
        env.update(ORKG_USERNAME=sb.username, ORKG_PASSWORD=sb.password)
    argv = list(args)
    if args[0] in ("init", "pull", "diff", "push", "apply", "doctor"):
        argv += ["--host", sb.url]
    return invoke(argv, cwd=root, env=env)


def build_pulled(
    root: Path, sb: Any, ws: Path, mapping: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """`build` of a pulled folder's snapshot with an init mapping, into ROOT/dist."""
    args = ["--snapshot", str(ws / "snapshot.json"), "--mapping", str(mapping), "--out", str(root / "dist")]
    return run(root, sb, "build", *args, *extra)


@contextmanager
def serve_release(dist: Path, cwd: Path, *extra: str) -> Iterator[str]:
    """`orkg-sync serve --release DIST` on a free loopback port, as a user starts it; yields its URL."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "orkg_sync", "serve", "--release", str(dist), "--port", "0", *extra],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(root)),
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line.startswith("serving"), line + proc.stderr.read()
        yield line.split(" at ", 1)[1].split(" ", 1)[0].rstrip("/")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def remote_values(sb: Any, contribution: str) -> dict[str, list[tuple[str, str | None]]]:
    """Predicate id -> (object label, datatype) of a contribution, as ORKG has it now."""
    r = requests.get(
        f"{sb.url}/api/statements", params={"subject_id": contribution, "size": 2500}, timeout=10
    )
    out: dict[str, list[tuple[str, str | None]]] = {}
    for st in r.json()["content"]:
        obj = st["object"]
        out.setdefault(st["predicate"]["id"], []).append((obj["label"], obj.get("datatype")))
    return {k: sorted(v, key=str) for k, v in out.items()}


@pytest.fixture
def seeded(fresh_sandbox: Any) -> Seeded:
    return seed_comparison(fresh_sandbox)
