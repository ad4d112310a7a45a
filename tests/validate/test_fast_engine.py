"""The fast engine's shortcuts must give rdflib's (and so pyshacl's) verdicts."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from orkg_sync.validate import fast

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("value", "datatype"),
    [
        ("abc", "string"),
        ("", "string"),
        ("\x00 control", "string"),
        ("  padded  ", "string"),
        ("12", "integer"),
        ("12.5", "integer"),
        ("1e3", "decimal"),
        ("2024-02", "gYearMonth"),
        ("2024-13", "gYearMonth"),
        ("2024-02-30", "date"),
        ("true", "boolean"),
        ("yes", "boolean"),
    ],
)
def test_ill_typed_is_rdflibs_verdict(value: str, datatype: str) -> None:
    lit = ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))
    assert fast._ill_typed(lit) == bool(rdflib.Literal(value, datatype=XSD + datatype).ill_typed)
