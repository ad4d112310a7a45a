"""What a workspace is: the host, comparison, mapping and base IRI it was pulled from.

`pull` writes them (``workspace.json`` in the pulled folder); `diff`, `push`, `apply` and `status` default
to them and refuse anything else, so a plan or a push can never reach a comparison the folder did not
come from.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from orkg_sync.atomic import atomic_write_text
from orkg_sync.errors import InputError

BINDINGS = "workspace.json"
FORMAT = "orkg-sync-workspace/1"


@dataclass(frozen=True)
class Bindings:
    host: str  # API base URL, e.g. http://127.0.0.1:8080 or https://orkg.org
    comparison: str  # the id given to pull (published version or head)
    head: str  # the head the sources are written to
    mapping: str | None  # mapping file path as given to pull (None: the shipped mapping)
    base_iri: str
    iris: dict[str, str] = field(default_factory=dict)  # contribution id -> model IRI, kept for good

    def with_iris(self, iris: dict[str, str]) -> Bindings:
        return replace(self, iris=dict(sorted(iris.items())))

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, indent=2, sort_keys=True) + "\n"

    def save(self, folder: Path) -> None:
        atomic_write_text(folder / BINDINGS, self.to_json())

    @classmethod
    def load(cls, folder: Path) -> Bindings | None:
        path = folder / BINDINGS
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except json.JSONDecodeError as err:
            raise InputError(f"{path}:{err.lineno}:{err.colno}: {err.msg}") from None
        if not isinstance(doc, dict) or doc.pop("format", None) != FORMAT:
            raise InputError(f'{path}: not an orkg-sync workspace file (expected "format": "{FORMAT}")')
        try:
            return cls(**doc)
        except TypeError as err:
            raise InputError(f"{path}: malformed workspace file ({err})") from None


def same_host(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()


def check_host(bound: str, given: str, where: Path) -> None:
    """Refuse a host other than the one the workspace was pulled from (exit 2, nothing written)."""
    if not same_host(bound, given):
        raise InputError(
            f"{where} was pulled from {bound}, not {given}: drop --host, or pull into another folder"
        )
