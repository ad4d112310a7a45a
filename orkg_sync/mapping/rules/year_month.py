"""Year and month: ``2024.9`` / ``2024.09`` / ``2024-09`` -> ``"2024-09"^^xsd:gYearMonth``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from orkg_sync.mapping.rules.base import Rule, RuleError, Term, is_missing, parse_share
from orkg_sync.namespaces import XSD

_YM_RE = re.compile(r"\s*(\d{4})\s*([.\-/])\s*(\d{1,2})\s*")
XSD_GYM = ox.NamedNode(XSD + "gYearMonth")


@dataclass(frozen=True)
class YearMonth:
    year: int
    month: int

    @property
    def iso(self) -> str:
        """The xsd:gYearMonth lexical form."""
        return f"{self.year:04d}-{self.month:02d}"


class YearMonthRule(Rule):
    """``2024.9`` / ``2024.09`` / ``2024-09`` -> 2024-09; always read as text (2023.1 != 2023.10)."""

    name = "year_month"

    def parse(self, label: str) -> YearMonth | None:
        if is_missing(label):
            return None
        m = _YM_RE.fullmatch(label)
        if not m:
            raise RuleError(f"not a year and month (yyyy.m or yyyy-mm): {label.strip()!r}")
        month = int(m.group(3))
        if not 1 <= month <= 12:
            raise RuleError(f"month out of range 1-12: {label.strip()!r}")
        return YearMonth(int(m.group(1)), month)

    def render_new(self, value: YearMonth, style_hint: str | None) -> str:
        m = _YM_RE.fullmatch(style_hint) if style_hint is not None else None
        if m:
            sep, padded = m.group(2), len(m.group(3)) == 2 and m.group(3).startswith("0")
            month = f"{value.month:02d}" if padded or sep == "-" else str(value.month)
            return f"{value.year}{sep}{month}"
        return f"{value.year}.{value.month}"  # the survey's own style

    def to_rdf(self, value: YearMonth, prop: str) -> list[tuple[str, Term]]:
        return [(prop, ox.Literal(value.iso, datatype=XSD_GYM))]

    def value_of(self, term: Term) -> YearMonth:
        year, month = term.value.split("-")[:2]
        return YearMonth(int(year), int(month))

    @classmethod
    def detect(cls, labels: Sequence[str], datatypes: Sequence[str | None]) -> float:
        return 0.9 * parse_share(cls(), labels)
