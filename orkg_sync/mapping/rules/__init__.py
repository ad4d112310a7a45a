"""The rule registry: one module per rule, each with both directions and ``detect`` (see base.py).

A new rule is one new module with a :class:`Rule` subclass plus a line in :data:`RULES`.
"""

from __future__ import annotations

from orkg_sync.mapping.rules.base import (
    MISSING_MARKERS,
    Rule,
    RuleError,
    Term,
    is_missing,
    norm_label,
    parse_share,
)
from orkg_sync.mapping.rules.concepts import ConceptsRule, ConceptValue
from orkg_sync.mapping.rules.literal import (
    LEXICAL,
    LITERAL_RULES,
    BooleanRule,
    DateRule,
    DecimalRule,
    IntegerRule,
    LiteralRule,
    StringRule,
    UriRule,
    accepts,
    rule_for_datatype,
)
from orkg_sync.mapping.rules.parameter_counts import ParameterCounts, ParameterCountsRule, Size
from orkg_sync.mapping.rules.resource import ResourceRef, ResourceRule
from orkg_sync.mapping.rules.year_month import YearMonth, YearMonthRule

_BUILTIN: tuple[type[Rule], ...] = (
    ParameterCountsRule,
    YearMonthRule,
    ConceptsRule,
    *LITERAL_RULES,
    ResourceRule,
)
RULES: dict[str, type[Rule]] = {cls.name: cls for cls in _BUILTIN}
RULE_NAMES = tuple(RULES)


def register(cls: type[Rule]) -> type[Rule]:
    """Add a rule class to the registry (usable as a decorator by a plug-in module)."""
    RULES[cls.name] = cls
    return cls


__all__ = [
    "LEXICAL",
    "MISSING_MARKERS",
    "RULES",
    "RULE_NAMES",
    "BooleanRule",
    "ConceptValue",
    "ConceptsRule",
    "DateRule",
    "DecimalRule",
    "IntegerRule",
    "LiteralRule",
    "ParameterCounts",
    "ParameterCountsRule",
    "ResourceRef",
    "ResourceRule",
    "Rule",
    "RuleError",
    "Size",
    "StringRule",
    "Term",
    "UriRule",
    "YearMonth",
    "YearMonthRule",
    "accepts",
    "is_missing",
    "norm_label",
    "parse_share",
    "register",
    "rule_for_datatype",
]
