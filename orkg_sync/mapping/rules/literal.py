"""Generic typed literals: integer, decimal, date, boolean, URI and string, typed by their ORKG datatype.

``LEXICAL`` is what ORKG's backend accepts per datatype (LiteralService validates a label against its
datatype on create and update; 400 ``invalid_literal_label`` otherwise), so `doctor` can check that a
rule's rendering fits the column's ORKG datatype before anything is pushed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

import pyoxigraph as ox

from orkg_sync.mapping.rules.base import Rule, RuleError, Term, is_missing, parse_share
from orkg_sync.namespaces import XSD

_INT = r"[+-]?\d+"
_DEC = r"[+-]?(\d+(\.\d*)?|\.\d+)"
_FLOAT = r"([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)"
LEXICAL: dict[str, re.Pattern[str]] = {
    "xsd:integer": re.compile(_INT),
    "xsd:int": re.compile(_INT),
    "xsd:long": re.compile(_INT),
    "xsd:nonNegativeInteger": re.compile(r"\+?\d+|-0+"),
    "xsd:positiveInteger": re.compile(r"\+?0*[1-9]\d*"),
    "xsd:decimal": re.compile(_DEC),
    "xsd:float": re.compile(_FLOAT),
    "xsd:double": re.compile(_FLOAT),
    "xsd:date": re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    "xsd:dateTime": re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"),
    "xsd:boolean": re.compile(r"true|false|1|0"),
    "xsd:anyURI": re.compile(r"\S*"),
}


def accepts(datatype: str | None, label: str) -> bool:
    """Does ORKG accept ``label`` as a literal of ``datatype``? (unknown datatypes and strings: yes)."""
    pattern = LEXICAL.get(datatype or "xsd:string")
    return pattern is None or pattern.fullmatch(label) is not None


class LiteralRule(Rule):
    """One ORKG literal per value, stated as a literal of ``rdf_datatype``; missing markers state nothing."""

    rdf_datatype: ClassVar[str] = "string"
    orkg_datatypes: ClassVar[tuple[str, ...]] = ()  # ORKG datatypes this rule is the natural reading of
    pattern: ClassVar[re.Pattern[str]] = re.compile(r".*", re.S)

    def parse(self, label: str) -> Any:
        if is_missing(label):
            return None
        text = label.strip()
        if not self.pattern.fullmatch(text):
            raise RuleError(f"not a {self.name}: {text!r}")
        return self.convert(text)

    def convert(self, text: str) -> Any:
        return text

    def lexical(self, value: Any) -> str:
        return str(value)

    def render_new(self, value: Any, style_hint: str | None) -> str:
        return self.lexical(value)

    def to_rdf(self, value: Any, prop: str) -> list[tuple[str, Term]]:
        return [(prop, ox.Literal(self.lexical(value), datatype=ox.NamedNode(XSD + self.rdf_datatype)))]

    def value_of(self, term: Term) -> Any:
        return self.convert(term.value)

    @classmethod
    def detect(cls, labels: Sequence[str], datatypes: Sequence[str | None]) -> float:
        share = parse_share(cls(), labels)
        if share < 1.0:
            return 0.5 * share  # some labels do not fit: at best a guess
        typed = [d for d in datatypes if d]
        natural = bool(typed) and all(d in cls.orkg_datatypes for d in typed)
        return 1.0 if natural else 0.8


class IntegerRule(LiteralRule):
    name = "integer"
    rdf_datatype = "integer"
    orkg_datatypes = ("xsd:integer", "xsd:int", "xsd:long", "xsd:nonNegativeInteger", "xsd:positiveInteger")
    pattern = re.compile(_INT)

    def convert(self, text: str) -> int:
        return int(text)


class DecimalRule(LiteralRule):
    name = "decimal"
    rdf_datatype = "decimal"
    orkg_datatypes = ("xsd:decimal", "xsd:float", "xsd:double")
    pattern = re.compile(_DEC)

    def convert(self, text: str) -> Decimal:
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise RuleError(f"not a decimal: {text!r}") from None

    def lexical(self, value: Decimal) -> str:
        text = format(value, "f")
        return text if "." in text else text + ".0"

    def to_rdf(self, value: Any, prop: str) -> list[tuple[str, Term]]:
        """The canonical form a store keeps (``81.0`` and ``81.00`` are ``81``), so that the mapped graph
        and the same graph read back from a file compare equal in diff."""
        text = format(value, "f")
        text = text.rstrip("0").rstrip(".") if "." in text else text
        text = "0" if text in ("", "-0") else text
        return [(prop, ox.Literal(text, datatype=ox.NamedNode(XSD + self.rdf_datatype)))]


class DateRule(LiteralRule):
    name = "date"
    rdf_datatype = "date"
    orkg_datatypes = ("xsd:date",)
    pattern = re.compile(r"\d{4}-\d{2}-\d{2}")

    def convert(self, text: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise RuleError(f"not a date: {text!r}") from None

    def lexical(self, value: dt.date) -> str:
        return value.isoformat()


class BooleanRule(LiteralRule):
    name = "boolean"
    rdf_datatype = "boolean"
    orkg_datatypes = ("xsd:boolean",)
    pattern = re.compile(r"(?i:true|false)")

    def convert(self, text: str) -> bool:
        return text.lower() == "true"

    def lexical(self, value: bool) -> str:
        return "true" if value else "false"


class UriRule(LiteralRule):
    name = "uri"
    rdf_datatype = "anyURI"
    orkg_datatypes = ("xsd:anyURI",)
    pattern = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S+")


class StringRule(LiteralRule):
    """Any text, kept exactly (no missing markers: a string column says what it says)."""

    name = "string"
    rdf_datatype = "string"
    orkg_datatypes = ("xsd:string",)

    def parse(self, label: str) -> str:
        return label

    def to_rdf(self, value: str, prop: str) -> list[tuple[str, Term]]:
        return [(prop, ox.Literal(value))]

    @classmethod
    def detect(cls, labels: Sequence[str], datatypes: Sequence[str | None]) -> float:
        return 0.3  # always fits; the fallback


def rule_for_datatype(datatype: str | None) -> str:
    """The generic literal rule that reads a column of one ORKG datatype (strings otherwise)."""
    for cls in (IntegerRule, DecimalRule, DateRule, BooleanRule, UriRule):
        if datatype in cls.orkg_datatypes:
            return cls.name
    return StringRule.name


LITERAL_RULES: tuple[type[LiteralRule], ...] = (
    IntegerRule,
    DecimalRule,
    DateRule,
    BooleanRule,
    UriRule,
    StringRule,
)
