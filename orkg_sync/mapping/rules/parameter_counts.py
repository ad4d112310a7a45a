"""Parameter counts: ``1B; 3B``, ``135M, 360M, 1.7B``, ranges ``111M-13B`` -> one xsd:integer per size."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from orkg_sync.mapping.rules.base import Rule, RuleError, Term, is_missing, parse_share
from orkg_sync.namespaces import XSD, XSD_STRING

_UNITS = {"K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_SIZE_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMBTkmbt])\s*")
_RANGE_RE = re.compile(r"\s*(\d+(?:\.\d+)?\s*[KMBTkmbt])\s*[-–]\s*(\d+(?:\.\d+)?\s*[KMBTkmbt])\s*")
_SEP_RE = re.compile(r"[;,]")
XSD_INTEGER = ox.NamedNode(XSD + "integer")


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


class ParameterCountsRule(Rule):
    """``1B; 3B``, ``135M, 360M, 1.7B``, ``500M; 4B``, ranges ``111M-13B`` (hyphen = range).

    A list states one integer per size under the property; with ``min_property``/``max_property``
    options the smallest and largest also get their own properties (a range only has those).
    """

    name = "parameter_counts"

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

    def render_new(self, value: ParameterCounts, style_hint: str | None) -> str:
        if value.is_range:
            return f"{value.sizes[0].render()}-{value.sizes[1].render()}"
        sep = ", " if style_hint and "," in style_hint and ";" not in style_hint else "; "
        return sep.join(s.render() for s in value.sizes)

    def companions(self) -> dict[str, str]:
        out = {}
        for tag in ("min", "max"):
            if f"{tag}_property" in self.options:
                out[tag] = str(self.options[f"{tag}_property"])
        return out

    def to_rdf(self, value: ParameterCounts, prop: str) -> list[tuple[str, Term]]:
        out: list[tuple[str, Term]] = []
        if not value.is_range:
            out.extend((prop, ox.Literal(str(c), datatype=XSD_INTEGER)) for c in value.counts)
        for tag, n in (("min", value.minimum), ("max", value.maximum)):
            iri = self.companions().get(tag)
            if iri is not None:
                out.append((iri, ox.Literal(str(n), datatype=XSD_INTEGER)))
        return out

    def from_rdf(
        self, terms: Sequence[Term], companions: dict[str, list[Term]], hints: list[str]
    ) -> list[str]:
        """Counts (or, without them, min and max as a range) in the units the old label used."""
        hint = hints[0] if hints else None
        units: dict[int, str] = {}
        for label in hints:
            try:
                parsed = self.parse(label)
            except RuleError:
                continue
            if parsed is not None:
                units.update({s.count: s.unit for s in parsed.sizes})
        lits = [t for t in terms if isinstance(t, ox.Literal)]
        texts = [t.value for t in lits if t.datatype.value == XSD_STRING]
        counts = sorted(int(t.value) for t in lits if t.datatype == XSD_INTEGER)
        if counts:
            self._check_derived(counts, companions)
            return [self.render(ParameterCounts(tuple(Size(c, units.get(c, "")) for c in counts)), hint)]
        low, high = companions.get("min"), companions.get("max")
        if low and high and not texts:
            a, b = int(low[0].value), int(high[0].value)
            value = ParameterCounts((Size(a, units.get(a, "")), Size(b, units.get(b, ""))), is_range=True)
            return [self.render(value, hint)]
        return texts

    def _check_derived(self, counts: list[int], companions: dict[str, list[Term]]) -> None:
        """min/max are derived from the counts: an edit to them alone cannot be pushed, so it is refused."""
        from orkg_sync.errors import InputError
        from orkg_sync.namespaces import SLM

        for tag, derived in (("min", min(counts)), ("max", max(counts))):
            for t in companions.get(tag, []):
                if int(t.value) != derived:
                    iri = self.companions()[tag]
                    name = "slm:" + iri.removeprefix(SLM) if iri.startswith(SLM) else f"<{iri}>"
                    raise InputError(
                        f"{name} is derived from the parameter counts ({', '.join(map(str, counts))}):"
                        " edit slm:numberOfParameters instead"
                    )

    @classmethod
    def detect(cls, labels: Sequence[str], datatypes: Sequence[str | None]) -> float:
        # bare numbers are integers, not sizes: only labels with a unit count
        share = parse_share(cls(), labels)
        return 0.9 * share

    def value_of(self, term: Term) -> Any:  # pragma: no cover - from_rdf is overridden
        raise NotImplementedError
