"""Literal datatypes: the names ORKG accepts and how it normalises them (LiteralService.kt)."""

from __future__ import annotations

import re
from typing import Any

from orkg_sync.sandbox.problems import fail

XSD = "http://www.w3.org/2001/XMLSchema#"
MAX_LABEL_LENGTH = 8164
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


# ---- label validation (Literals.XSD.canParse in graph-core-model Constants.kt) -----------------
_INT = r"[+-]?[0-9]+"
_TZ = r"(Z|[+-](0\d|1[0-4]):[0-5]\d)?"
_DATE = r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
_PATTERNS = {
    "integer": _INT,
    "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "boolean": r"true|false|1|0",
    "date": _DATE + _TZ,
    "dateTime": _DATE + "T" + _TIME + _TZ,
    "dateTimeStamp": _DATE + "T" + _TIME + r"(Z|[+-](0\d|1[0-4]):[0-5]\d)",
    "time": _TIME + _TZ,
    "gYear": r"-?\d{4,}" + _TZ,
    "gYearMonth": r"-?\d{4,}-(0[1-9]|1[0-2])" + _TZ,
    "gMonth": r"--(0[1-9]|1[0-2])" + _TZ,
    "gMonthDay": r"--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + _TZ,
    "gDay": r"---(0[1-9]|[12]\d|3[01])" + _TZ,
    "duration": r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?",
    "hexBinary": r"([0-9a-fA-F]{2})*",
    "anyURI": r"[^\s<>\"{}|\\^`]*",
    "float": r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[fFdD]?|NaN|[+-]?Infinity",
    "double": r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[fFdD]?|NaN|[+-]?Infinity",
}
_BOUNDS = {  # integer subtypes: (minimum, maximum), None = unbounded
    "int": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}


def can_parse(label: str, datatype: str) -> bool:
    """Whether ORKG accepts ``label`` for an ``xsd:`` datatype; other datatypes accept any label."""
    name = datatype[4:] if datatype.startswith("xsd:") else None
    if name is None:
        return True
    if name in _BOUNDS:
        if not re.fullmatch(_INT, label):
            return False
        lo, hi = _BOUNDS[name]
        return (lo is None or int(label) >= lo) and (hi is None or int(label) <= hi)
    pattern = _PATTERNS.get(name)
    return pattern is None or re.fullmatch(pattern, label) is not None


def validate_label(label: str, datatype: str) -> None:
    """400 ``invalid_literal_label`` as LiteralService.kt (length first, then the datatype)."""
    if len(label) > MAX_LABEL_LENGTH:
        _invalid(f"A literal must be at most {MAX_LABEL_LENGTH} characters long.")
    if not can_parse(label, datatype):
        _invalid(f'Literal value "{label}" is not a valid "{datatype}".')


def _invalid(message: str) -> None:
    error = {"detail": message, "pointer": "#/label", "message": message, "field": "#/label"}
    fail(400, "invalid_literal_label", None, errors=[error])
