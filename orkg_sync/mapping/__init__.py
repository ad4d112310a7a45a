"""Declarative mapping between an ORKG comparison and the SLM ontology (see docs/ARCHITECTURE.md)."""

from orkg_sync.mapping.config import Mapping, PropertyMapping, default_mapping_path, load_mapping
from orkg_sync.mapping.convert import MappingResult, MappingWarning, ModelInfo, snapshot_to_rdf, web_host
from orkg_sync.mapping.rules import (
    ConceptValue,
    ParameterCounts,
    RuleError,
    Size,
    YearMonth,
    is_missing,
    norm_label,
)
from orkg_sync.mapping.terms import DEFAULT_BASE, PREFIXES, expand, slug
from orkg_sync.mapping.vocab import ConceptIndex, ontology_quads

__all__ = [
    "DEFAULT_BASE",
    "PREFIXES",
    "ConceptIndex",
    "ConceptValue",
    "Mapping",
    "MappingResult",
    "MappingWarning",
    "ModelInfo",
    "ParameterCounts",
    "PropertyMapping",
    "RuleError",
    "Size",
    "YearMonth",
    "default_mapping_path",
    "expand",
    "is_missing",
    "load_mapping",
    "norm_label",
    "ontology_quads",
    "slug",
    "snapshot_to_rdf",
    "web_host",
]
