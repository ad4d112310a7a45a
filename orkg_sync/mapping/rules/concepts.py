"""SKOS concepts: free text -> concepts of one scheme by prefLabel/altLabel; multi-value strings split."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from orkg_sync.mapping.rules.base import Rule, Term, is_missing, norm_label

_SPLIT_RE = re.compile(r"\s*;\s*|\s*,\s*(?:and\s+)?")
_AND_RE = re.compile(r"\s+and\s+")


@dataclass(frozen=True)
class ConceptValue:
    """One categorical item: its concept IRI (None when not in the vocabulary) and its text."""

    concept: str | None
    text: str


class ConceptsRule(Rule):
    """Free text -> concepts of one SKOS scheme via prefLabel/altLabel; multi-value strings split.

    The whole string is tried first (so ``Generic (math)`` or a label containing a comma stays one
    value); otherwise it is split at ``;`` and ``,``, and a part that is not a label is split at
    `` and `` (``Pruning and Distillation``; ``Deep and thin ...`` stays whole). Unmatched items keep
    their text. The ORKG objects are resources; each item is its own resource on push.
    """

    name = "concepts"
    value_kind = "resource"

    def __init__(
        self,
        *,
        index: dict[str, str],
        pref: dict[str, str],
        orkg: dict[str, str] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.index = index  # norm label -> concept IRI
        self.pref = pref  # concept IRI -> prefLabel
        self.orkg = orkg or {}  # concept IRI -> ORKG resource id (skos:exactMatch)

    def _one(self, text: str) -> ConceptValue:
        return ConceptValue(self.index.get(norm_label(text)), text.strip())

    def parse(self, label: str) -> tuple[ConceptValue, ...] | None:
        if is_missing(label):
            return None
        whole = self._one(label)
        if whole.concept is not None:
            return (whole,)
        items: list[ConceptValue] = []
        for part in _SPLIT_RE.split(label.strip()):
            if not part.strip():
                continue
            one = self._one(part)
            subs = [self._one(x) for x in _AND_RE.split(part) if x.strip()] if one.concept is None else []
            items.extend(subs if len(subs) > 1 and any(x.concept for x in subs) else [one])
        if len(items) <= 1 or all(i.concept is None for i in items):
            return (whole,)
        return tuple(items)

    def render_new(self, value: tuple[ConceptValue, ...], style_hint: str | None) -> str:
        return "; ".join(self.pref.get(v.concept, v.text) if v.concept else v.text for v in value)

    def to_rdf(self, value: tuple[ConceptValue, ...], prop: str) -> list[tuple[str, Term]]:
        return [(prop, ox.NamedNode(v.concept) if v.concept else ox.Literal(v.text)) for v in value]

    def notes(self, value: tuple[ConceptValue, ...]) -> list[str]:
        return [
            f"{v.text!r} is not in the vocabulary; kept as a note on its value record"
            for v in value
            if not v.concept
        ]

    # ---- push: which ORKG resources a column's RDF values stand for -----------------------------
    def item_label(self, key: str, term: Term) -> str:
        """The ORKG label to write for one desired item."""
        if isinstance(term, ox.NamedNode):
            return self.pref.get(term.value, term.value.rsplit("/", 1)[-1])
        return term.value

    def item_key(self, term: Term) -> str:
        return term.value if isinstance(term, ox.NamedNode) else norm_label(term.value)

    def existing_keys(self, label: str, object_id: str) -> set[str] | None:
        """Item keys one existing ORKG object covers (None: its label does not parse)."""
        parsed = self.parse(label)
        if not parsed:
            return set()
        return {c.concept or norm_label(c.text) for c in parsed}

    def object_id(self, term: Term) -> str | None:
        """The ORKG resource a concept is an exact match of: a push links it instead of making a new one."""
        return self.orkg.get(term.value) if isinstance(term, ox.NamedNode) else None

    def value_of(self, term: Term) -> Any:  # pragma: no cover - resource rules push items
        raise NotImplementedError

    @classmethod
    def detect(cls, labels: Sequence[str], datatypes: Sequence[str | None]) -> float:
        return 0.0  # chosen by `init` for resource columns, with a scheme it writes itself
