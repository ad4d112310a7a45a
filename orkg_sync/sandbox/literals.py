"""Literal datatypes: the names ORKG accepts and how it normalises them (LiteralService.kt)."""

from __future__ import annotations

from typing import Any

from orkg_sync.sandbox.problems import fail

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_NAMES = {
    "string",
    "integer",
    "decimal",
    "date",
    "boolean",
    "float",
    "double",
    "anyURI",
    "duration",
    "dateTime",
    "time",
    "gYearMonth",
    "gYear",
    "gMonthDay",
    "gDay",
    "gMonth",
    "hexBinary",
    "base64Binary",
    "normalizedString",
    "token",
    "language",
    "int",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "positiveInteger",
    "yearMonthDuration",
    "dayTimeDuration",
    "dateTimeStamp",
}


def normalise_datatype(dt: Any) -> str:
    """``xsd:`` names (full XSD IRIs shortened), other absolute IRIs or prefixed names; else 400."""
    if dt is None:
        return "xsd:string"
    if isinstance(dt, str) and dt.startswith(XSD):
        dt = "xsd:" + dt[len(XSD) :]
    if isinstance(dt, str) and dt.startswith("xsd:") and dt[4:] in XSD_NAMES:
        return dt
    if isinstance(dt, str) and not dt.startswith("xsd:") and ":" in dt and " " not in dt:
        return dt
    fail(400, "invalid_literal_datatype", f'Invalid datatype "{dt}".', datatype=dt)
