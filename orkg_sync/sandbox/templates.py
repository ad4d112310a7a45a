"""ORKG templates read from their graph encoding (NodeShape + PropertyShapes with SHACL predicate ids).

Follows the backend's ``Template.from`` / ``TemplateProperty.from`` (content-types-core-model
``Template.kt``) and ``TemplateRepresentation`` (content-types-adapter-input-representations
``Representations.kt``): a property without ``sh:order`` or ``sh:path`` is skipped; the property type is
``string_literal`` for datatype ``String``, ``number_literal`` for numeric datatype classes,
``other_literal`` for any other datatype class, ``resource`` with ``sh:class``, else ``untyped``.
"""

from __future__ import annotations

from typing import Any

from orkg_sync.sandbox.db import Json, Store

UNKNOWN = "00000000-0000-0000-0000-000000000000"
NUMBER_CLASSES = {
    "Integer",
    "Decimal",
    "Float",
    "Double",
    "Int",
    "NonPositiveInteger",
    "NegativeInteger",
    "Long",
    "Short",
    "Byte",
    "NonNegativeInteger",
    "UnsignedLong",
    "UnsignedInt",
    "UnsignedShort",
    "UnsignedByte",
    "PositiveInteger",
}


def _objects(store: Store, subject: str, predicate: str) -> list[Json]:
    out = []
    for st in store.find_statements(s=subject, p=predicate):
        obj = store.thing(st["object_id"])
        if obj is not None:
            out.append(obj)
    return out


def _single(store: Store, subject: str, predicate: str) -> Json | None:
    found = _objects(store, subject, predicate)
    return found[0] if len(found) == 1 else None


def _label(store: Store, subject: str, predicate: str) -> str | None:
    obj = _single(store, subject, predicate)
    return None if obj is None else str(obj["label"])


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _number(value: str | None) -> int | float | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return None


def _id_label(thing: Json) -> Json:
    return {"id": thing["id"], "label": thing["label"]}


def class_ref(thing: Json) -> Json:
    return {"id": thing["id"], "label": thing["label"], "uri": thing.get("uri"), "_class": "class_ref"}


def is_template(thing: Json | None) -> bool:
    return thing is not None and thing["_class"] == "resource" and "NodeShape" in thing.get("classes", [])


def property_repr(store: Store, shape: Json) -> Json | None:
    """One PropertyShape as the backend renders it, or None when it lacks an order or a path."""
    sid = shape["id"]
    order, path = _int(_label(store, sid, "sh:order")), _single(store, sid, "sh:path")
    if order is None or path is None:
        return None
    datatype = _single(store, sid, "sh:datatype")
    datatype = datatype if datatype is not None and datatype["_class"] == "class" else None
    cls = _single(store, sid, "sh:class")
    out: Json = {
        "id": sid,
        "label": shape["label"],
        "placeholder": _label(store, sid, "placeholder"),
        "description": _label(store, sid, "description"),
        "order": order,
        "min_count": _int(_label(store, sid, "sh:minCount")),
        "max_count": _int(_label(store, sid, "sh:maxCount")),
        "path": _id_label(path),
        "created_at": shape["created_at"],
        "created_by": shape["created_by"],
    }
    kind: dict[str, Any]
    if datatype is not None and datatype["id"] == "String":
        kind = {"type": "string_literal", "pattern": _label(store, sid, "sh:pattern")}
    elif datatype is not None and datatype["id"] in NUMBER_CLASSES:
        kind = {
            "type": "number_literal",
            "min_inclusive": _number(_label(store, sid, "sh:minInclusive")),
            "max_inclusive": _number(_label(store, sid, "sh:maxInclusive")),
        }
    elif datatype is not None:
        kind = {"type": "other_literal"}
    elif cls is not None:
        return {"type": "resource"} | out | {"class": _id_label(cls)}
    else:
        return {"type": "untyped"} | out
    return {"type": kind.pop("type")} | out | kind | {"datatype": class_ref(datatype)}


def template_repr(store: Store, t: Json) -> Json:
    tid = t["id"]
    targets = [o for o in _objects(store, tid, "sh:targetClass") if o["_class"] == "class"]
    shapes = [
        o
        for o in _objects(store, tid, "sh:property")
        if o["_class"] == "resource" and "PropertyShape" in o.get("classes", [])
    ]
    props = [p for p in (property_repr(store, s) for s in shapes) if p is not None]
    props.sort(key=lambda p: int(p["order"]))
    predicate = _single(store, tid, "TemplateOfPredicate")
    return {
        "id": tid,
        "label": t["label"],
        "description": _label(store, tid, "description"),
        "formatted_label": _label(store, tid, "TemplateLabelFormat"),
        "target_class": class_ref(targets[0]) if targets else None,
        "relations": {
            "research_fields": [_id_label(o) for o in _objects(store, tid, "TemplateOfResearchField")],
            "research_problems": [_id_label(o) for o in _objects(store, tid, "TemplateOfResearchProblem")],
            "predicate": _id_label(predicate) if predicate is not None else None,
        },
        "properties": props,
        "is_closed": (_label(store, tid, "sh:closed") or "").lower() == "true",
        "created_at": t["created_at"],
        "created_by": t["created_by"],
        "observatories": [t.get("observatory_id") or UNKNOWN],
        "organizations": [t.get("organization_id") or UNKNOWN],
        "extraction_method": t.get("extraction_method", "UNKNOWN"),
        "visibility": t.get("visibility", "DEFAULT"),
        "_class": "template",
    }


def matches(store: Store, t: Json, args: Any) -> bool:
    """The list filters of ``GET /api/templates`` beyond the common ones (q, created_by, ...)."""
    tid = t["id"]
    checks = (
        ("target_class", "sh:targetClass"),
        ("research_field", "TemplateOfResearchField"),
        ("research_problem", "TemplateOfResearchProblem"),
    )
    for param, pred in checks:
        want = args.get(param)
        if want and want not in {o["id"] for o in _objects(store, tid, pred)}:
            return False
    for key in ("observatory_id", "organization_id"):
        if args.get(key) and t.get(key) != args[key]:
            return False
    return True
