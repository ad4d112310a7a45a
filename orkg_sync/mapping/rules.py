"""Parse/render rules: ORKG value labels <-> structured values.

Each rule is a pure object with ``parse(label) -> structured | None`` (None = a missing marker) and
``render(structured, style_hint) -> label``. ``render(parse(x), None)`` is the canonical form of ``x``;
``render(parse(x), x)`` is ``x`` itself, so a push writes unchanged values back byte for byte, and a
changed value borrows the original's separator, unit and padding style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MISSING_MARKERS = frozenset({"", "unknown", "unk", "-", "n/a", "na", "none", "?", "—", "–"})


def is_missing(label: str) -> bool:
    return label.strip().lower() in MISSING_MARKERS


class RuleError(ValueError):
    """The label cannot be parsed by this rule (kept as a plain literal, with a warning)."""


# ---- parameter counts -----------------------------------------------------------------------
_UNITS = {"K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_SIZE_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMBTkmbt])\s*")
_RANGE_RE = re.compile(r"\s*(\d+(?:\.\d+)?\s*[KMBTkmbt])\s*[-–]\s*(\d+(?:\.\d+)?\s*[KMBTkmbt])\s*")
_SEP_RE = re.compile(r"[;,]")


@dataclass(frozen=True)
class Size:
    """One parameter count with the unit it was written in (``0.5B`` and ``500M`` are equal counts)."""

    count: int
    unit: str = ""  # "", or K/M/B/T: the unit to render with

    def render(self) -> str:
        unit = self.unit or _best_unit(self.count)
        text = format(Decimal(self.count) / _UNITS[unit], "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + unit


def _best_unit(count: int) -> str:
    for unit in ("T", "B", "M", "K"):
        if count >= _UNITS[unit]:
            return unit
    return "K"


def _size(token: str) -> Size:
    m = _SIZE_RE.fullmatch(token)
    if not m:
        raise RuleError(f"not a parameter count: {token.strip()!r}")
    unit = m.group(2).upper()
    try:
        value = Decimal(m.group(1)) * _UNITS[unit]
    except InvalidOperation:  # pragma: no cover - regex guarantees digits
        raise RuleError(f"not a parameter count: {token.strip()!r}") from None
    if value != value.to_integral_value() or value <= 0:
        raise RuleError(f"parameter count is not a positive whole number: {token.strip()!r}")
    return Size(int(value), unit)


@dataclass(frozen=True)
class ParameterCounts:
    """Listed sizes, or a range (``is_range``: sizes = (low, high), not a list)."""

    sizes: tuple[Size, ...]
    is_range: bool = False

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(s.count for s in self.sizes)

    @property
    def minimum(self) -> int:
        return min(self.counts)

    @property
    def maximum(self) -> int:
        return max(self.counts)


class ParameterCountsRule:
    """``1B; 3B``, ``135M, 360M, 1.7B``, ``500M; 4B``, ranges ``111M-13B`` (hyphen = range)."""

    name = "parameter_counts"

    def __init__(self, **options: object) -> None:
        self.options = options

    def parse(self, label: str) -> ParameterCounts | None:
        if is_missing(label):
            return None
        rm = _RANGE_RE.fullmatch(label)
        if rm:
            low, high = _size(rm.group(1)), _size(rm.group(2))
            if low.count > high.count:
                raise RuleError(f"range low end exceeds high end: {label.strip()!r}")
            return ParameterCounts((low, high), is_range=True)
        parts = _SEP_RE.split(label)
        if any(not p.strip() for p in parts):
            raise RuleError(f"empty item in parameter list: {label.strip()!r}")
        return ParameterCounts(tuple(_size(p) for p in parts))

    def render(self, value: ParameterCounts, style_hint: str | None = None) -> str:
        if style_hint is not None:
            try:
                if self.parse(style_hint) == value:
                    return style_hint
            except RuleError:
                pass
        if value.is_range:
            return f"{value.sizes[0].render()}-{value.sizes[1].render()}"
        sep = ", " if style_hint and "," in style_hint and ";" not in style_hint else "; "
        return sep.join(s.render() for s in value.sizes)


# ---- year and month -------------------------------------------------------------------------
_YM_RE = re.compile(r"\s*(\d{4})\s*([.\-/])\s*(\d{1,2})\s*")


@dataclass(frozen=True)
class YearMonth:
    year: int
    month: int

    @property
    def iso(self) -> str:
        """The xsd:gYearMonth lexical form."""
        return f"{self.year:04d}-{self.month:02d}"


class YearMonthRule:
    """``2024.9`` / ``2024.09`` / ``2024-09`` -> 2024-09; always read as text (2023.1 != 2023.10)."""

    name = "year_month"

    def __init__(self, **options: object) -> None:
        self.options = options

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

    def render(self, value: YearMonth, style_hint: str | None = None) -> str:
        if style_hint is not None:
            try:
                if self.parse(style_hint) == value:
                    return style_hint
            except RuleError:
                pass
            m = _YM_RE.fullmatch(style_hint)
            if m:
                sep, padded = m.group(2), len(m.group(3)) == 2 and m.group(3).startswith("0")
                month = f"{value.month:02d}" if padded or sep == "-" else str(value.month)
                return f"{value.year}{sep}{month}"
        return f"{value.year}.{value.month}"  # the survey's own style


# ---- SKOS concepts --------------------------------------------------------------------------
_NORM_RE = re.compile(r"[\s\-_]+")
_SPLIT_RE = re.compile(r"\s*;\s*|\s*,\s*(?:and\s+)?")
_AND_RE = re.compile(r"\s+and\s+")


def norm_label(text: str) -> str:
    """Case-, whitespace- and hyphen-insensitive key for label matching."""
    return _NORM_RE.sub("", text.lower())


@dataclass(frozen=True)
class ConceptValue:
    """One categorical item: its concept IRI (None when not in the vocabulary) and its text."""

    concept: str | None
    text: str


class ConceptsRule:
    """Free text -> concepts of one SKOS scheme via prefLabel/altLabel; multi-value strings split.

    The whole string is tried first (so ``Generic (math)`` or a label containing a comma stays one
    value); otherwise it is split at ``;`` and ``,``, and a part that is not a label is split at
    `` and `` (``Pruning and Distillation``; ``Deep and thin ...`` stays whole). Unmatched items keep
    their text.
    """

    name = "concepts"

    def __init__(self, *, index: dict[str, str], pref: dict[str, str], **options: object) -> None:
        self.index = index  # norm label -> concept IRI
        self.pref = pref  # concept IRI -> prefLabel
        self.options = options

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

    def render(self, value: tuple[ConceptValue, ...], style_hint: str | None = None) -> str:
        if style_hint is not None:
            try:
                if self.parse(style_hint) == value:
                    return style_hint
            except RuleError:
                pass
        return "; ".join(self.pref.get(v.concept, v.text) if v.concept else v.text for v in value)


Rule = ParameterCountsRule | YearMonthRule | ConceptsRule
RULE_NAMES = ("parameter_counts", "year_month", "concepts")
