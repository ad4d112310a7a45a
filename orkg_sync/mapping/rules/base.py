"""The rule protocol: one ORKG column kind, both directions, and how to tell that a column fits it.

``parse(label)`` gives a structured value (None for a missing marker, RuleError when the label does not
fit); ``render(value, hint)`` gives the ORKG label back, in the hint's style when the hint means the same;
``to_rdf`` gives the (property, term) pairs the dataset states; ``from_rdf`` turns a column's RDF terms
back into ORKG labels; ``detect`` scores how well observed labels/datatypes fit (what `init` uses).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

import pyoxigraph as ox

from orkg_sync.namespaces import XSD_STRING

Term = ox.NamedNode | ox.Literal
MISSING_MARKERS = frozenset({"", "unknown", "unk", "-", "n/a", "na", "none", "?", "—", "–"})
_NORM_RE = re.compile(r"[\s\-_]+")


def is_missing(label: str) -> bool:
    return label.strip().lower() in MISSING_MARKERS


def norm_label(text: str) -> str:
    """Case-, whitespace- and hyphen-insensitive key for label matching."""
    return _NORM_RE.sub("", text.lower())


class RuleError(ValueError):
    """The label cannot be parsed by this rule (kept as a plain literal, with a warning)."""


class Rule:
    """Base of every rule; subclasses set ``name`` and ``value_kind`` and override parse/render/RDF."""

    name: ClassVar[str] = ""
    value_kind: ClassVar[str] = "literal"  # what the ORKG object is: "literal" or "resource"

    def __init__(self, **options: Any) -> None:
        self.options = options

    # ---- ORKG label <-> structured value ------------------------------------------------------
    def parse(self, label: str) -> Any:
        raise NotImplementedError

    def render_new(self, value: Any, style_hint: str | None) -> str:
        """The label of a value that the hint does not already spell (the rule's own style)."""
        raise NotImplementedError

    def render(self, value: Any, style_hint: str | None = None) -> str:
        """Keep the original spelling when it means the same value; otherwise render in its style."""
        if style_hint is not None:
            try:
                if self.parse(style_hint) == value:
                    return style_hint
            except RuleError:
                pass
        return self.render_new(value, style_hint)

    def parse_object(self, obj: dict[str, Any]) -> Any:
        """Parse an ORKG object (literal or resource representation); most rules read its label."""
        return self.parse(str(obj.get("label") or ""))

    # ---- structured value <-> RDF -------------------------------------------------------------
    def companions(self) -> dict[str, str]:
        """Extra properties that belong to this column (tag -> IRI), e.g. min/max of a size list."""
        return {}

    def to_rdf(self, value: Any, prop: str) -> list[tuple[str, Term]]:
        """The (property IRI, object) pairs one parsed ORKG value states."""
        raise NotImplementedError

    def about(self, value: Any) -> list[tuple[ox.NamedNode, ox.NamedNode, Term]]:
        """Triples about the value itself (e.g. an ORKG resource's label), beside the model's."""
        return []

    def notes(self, value: Any) -> list[str]:
        """Mapping warnings for a parsed value (e.g. items outside the vocabulary)."""
        return []

    def from_rdf(
        self, terms: Sequence[Term], companions: dict[str, list[Term]], hints: list[str]
    ) -> list[str]:
        """A literal column's RDF terms -> its ORKG labels, styled like the old labels (``hints``)."""
        labels = []
        for i, t in enumerate(terms):
            hint = hints[i] if i < len(hints) else (hints[0] if hints else None)
            if isinstance(t, ox.Literal) and t.datatype.value == XSD_STRING:
                labels.append(t.value)  # a value kept as text by the mapping stays text
                continue
            try:
                labels.append(self.render(self.value_of(t), hint))
            except (ValueError, RuleError):  # another datatype than the rule's: its lexical form
                labels.append(t.value)
        return labels

    def value_of(self, term: Term) -> Any:
        """One RDF term back into this rule's structured value."""
        raise NotImplementedError

    # ---- resource columns on push: which ORKG objects a column's RDF values stand for ---------
    def item_key(self, term: Term) -> str:
        """Identity of one desired item (a concept/resource IRI, or normalised free text)."""
        return term.value if isinstance(term, ox.NamedNode) else norm_label(term.value)

    def item_label(self, key: str, term: Term) -> str:
        """The ORKG label to write for one desired item."""
        return term.value

    def existing_keys(self, label: str, object_id: str) -> set[str] | None:
        """Item keys one existing ORKG object covers (None: its label does not parse)."""
        return {norm_label(label)}

    def object_id(self, term: Term) -> str | None:
        """The existing ORKG resource a term names directly, if any."""
        return None

    # ---- fit ----------------------------------------------------------------------------------
    @classmethod
    def detect(cls, labels: Sequence[str], datatypes: Sequence[str | None]) -> float:
        """0..1: how well a column whose objects have these labels (and literal datatypes) fits."""
        return 0.0


def parse_share(rule: Rule, labels: Sequence[str]) -> float:
    """Share of the non-missing labels that ``rule`` parses (0 when there are none)."""
    present = [x for x in labels if not is_missing(x)]
    if not present:
        return 0.0
    ok = 0
    for label in present:
        try:
            rule.parse(label)
            ok += 1
        except RuleError:
            pass
    return ok / len(present)
