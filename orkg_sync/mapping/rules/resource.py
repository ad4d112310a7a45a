"""Generic ORKG resources: the object is stated as its ORKG IRI (``orkgr:R…``) with its label."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from orkg_sync.mapping.rules.base import Rule, RuleError, Term, norm_label
from orkg_sync.namespaces import ORKG_RESOURCE, RDFS_LABEL


@dataclass(frozen=True)
class ResourceRef:
    id: str
    label: str


class ResourceRule(Rule):
    """Any ORKG resource, kept as itself; a new value is an existing resource IRI or a label for a new one."""

    name = "resource"
    value_kind = "resource"

    def parse(self, label: str) -> Any:
        return label

    def parse_object(self, obj: dict[str, Any]) -> ResourceRef:
        if obj.get("_class") == "literal":
            raise RuleError("a literal in a resource column")
        return ResourceRef(str(obj["id"]), str(obj.get("label") or ""))

    def render_new(self, value: Any, style_hint: str | None) -> str:
        return value.label if isinstance(value, ResourceRef) else str(value)

    def to_rdf(self, value: ResourceRef, prop: str) -> list[tuple[str, Term]]:
        return [(prop, ox.NamedNode(ORKG_RESOURCE + value.id))]

    def about(self, value: ResourceRef) -> list[tuple[ox.NamedNode, ox.NamedNode, Term]]:
        return [(ox.NamedNode(ORKG_RESOURCE + value.id), ox.NamedNode(RDFS_LABEL), ox.Literal(value.label))]

    # ---- push -------------------------------------------------------------------------------------
    def item_key(self, term: Term) -> str:
        return term.value if isinstance(term, ox.NamedNode) else norm_label(term.value)

    def item_label(self, key: str, term: Term) -> str:
        return term.value.removeprefix(ORKG_RESOURCE)

    def existing_keys(self, label: str, object_id: str) -> set[str] | None:
        return {ORKG_RESOURCE + object_id}

    def object_id(self, term: Term) -> str | None:
        """The ORKG resource a term names, when it is an ORKG resource IRI."""
        if isinstance(term, ox.NamedNode) and term.value.startswith(ORKG_RESOURCE):
            return term.value.removeprefix(ORKG_RESOURCE)
        return None

    def value_of(self, term: Term) -> Any:  # pragma: no cover - resource rules push items
        raise NotImplementedError

    @classmethod
    def detect(cls, labels: Sequence[str], datatypes: Sequence[str | None]) -> float:
        return 0.5
