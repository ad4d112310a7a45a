"""Things and statements: validation, creation and representation shared by the blueprints."""

from __future__ import annotations

import re
from typing import Any

from orkg_sync.sandbox.auth import Account
from orkg_sync.sandbox.db import Json, natural_key, now_iso
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

UNKNOWN = "00000000-0000-0000-0000-000000000000"
ID_RE = re.compile(r"^[a-zA-Z0-9:_-]+$")
RESERVED_CLASSES = {"Literal", "Class", "Predicate", "Resource", "List", "RosettaStoneStatement", "Thing"}
EXTRACTION = {"AUTOMATIC", "MANUAL", "UNKNOWN", "AI_GENERATED", "AI_GENERATED_WITH_MANUAL_REVIEW"}
LABEL_RULE = (
    "A label must not be blank or contain newlines or NULL characters and must be at most "
    "8164 characters long."
)


# ---- lookups ------------------------------------------------------------------------------
def thing_or_404(thing_id: str, kind: str) -> Json:
    t = get_store().thing(thing_id)
    if t is None or t["_class"] != kind:
        fail(
            404,
            f"{kind}_not_found",
            f'{kind.capitalize()} "{thing_id}" not found.',
            **{f"{kind}_id": thing_id},
        )
    return t


def with_shared(thing: Json, counts: dict[str, int] | None = None) -> Json:
    """Resources carry ``shared``: the number of statements with the resource as object."""
    if thing["_class"] == "resource":
        thing = dict(thing)
        thing["shared"] = (
            counts.get(thing["id"], 0) if counts is not None else get_store().shared(thing["id"])
        )
    return thing


def objs(s: str, p: str) -> list[Json]:
    store = get_store()
    return [t for st in store.find_statements(s=s, p=p) if (t := store.thing(st["object_id"])) is not None]


def label_ref(t: Json) -> Json:
    return {"id": t["id"], "label": t["label"]}


def lit_values(s: str, p: str) -> list[str]:
    return [t["label"] for t in objs(s, p) if t["_class"] == "literal"]


# ---- validation ---------------------------------------------------------------------------
def check_label(label: Any, literal: bool = False, title: bool = False) -> None:
    """ORKG's Label rule (Label.kt): "" is valid, whitespace-only, newlines, NUL and > 8164 characters
    are not; content-type titles (``title``) must not be empty either (NotBlank)."""
    bad = not isinstance(label, str) or len(label) > 8164
    if not literal and isinstance(label, str):
        blank = not label.strip() if title else (label != "" and not label.strip())
        bad = bad or blank or "\n" in label or "\x00" in label
    if bad:
        error = {"detail": LABEL_RULE, "pointer": "#/label", "message": LABEL_RULE, "field": "#/label"}
        fail(400, "invalid_label", None, errors=[error])


def check_uri(uri: Any, own_id: str | None = None) -> None:
    if uri is None:
        return
    if not isinstance(uri, str) or not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", uri):
        fail(400, "uri_not_absolute", f"The URI <{uri}> is not absolute.", uri=uri)
    for t in get_store().things():
        if t.get("uri") == uri and t["id"] != own_id:
            fail(400, "uri_already_in_use", f'The URI <{uri}> is already in use by "{t["id"]}".', uri=uri)


def check_extraction(v: Any) -> str:
    if v is None:
        return "UNKNOWN"
    if v not in EXTRACTION:
        fail(400, "mismatched_json_input", f'Unknown extraction method "{v}".', pointer="#/extraction_method")
    return str(v)


def new_thing_id(requested: Any, prefix: str) -> str:
    store = get_store()
    if requested is None:
        return store.new_id(prefix)
    if not isinstance(requested, str) or not ID_RE.match(requested):
        fail(400, "invalid_thing_id", f'"{requested}" is not a valid id.')  # unconfirmed type
    if store.thing(requested) is not None:
        fail(400, "thing_already_exists", f'A thing with id "{requested}" already exists.', id=requested)
    return requested


def check_classes(classes: Any) -> list[str]:
    if classes is None:
        return []
    if not isinstance(classes, list):
        fail(400, "mismatched_json_input", "classes must be a list.", pointer="#/classes")
    for c in classes:
        if c in RESERVED_CLASSES:
            fail(400, "reserved_class", f'Class id "{c}" is reserved.', class_id=c)
        t = get_store().thing(c)
        if t is None or t["_class"] != "class":
            fail(
                400,
                "invalid_class_collection",
                f'The collection of classes "{classes}" contains one or more invalid classes.',
                class_ids=classes,
            )
    return sorted(set(classes), key=natural_key)


def owner_or_curator(acc: Account, thing: Json, kind: str) -> None:
    if thing["created_by"] != acc.id and not acc.curator:
        fail(
            403,
            "neither_owner_nor_curator",
            f'Contributor <{acc.id}> does not own {kind} "{thing["id"]}" and is not a curator.',
            contributor_id=acc.id,
        )


def not_modifiable_guard(thing: Json, kind: str) -> None:
    if not thing.get("modifiable", True):
        fail(
            403,
            f"{kind}_not_modifiable",
            f'{kind.capitalize()} "{thing["id"]}" is not modifiable.',
            **{f"{kind}_id": thing["id"]},
        )


# ---- creation -----------------------------------------------------------------------------
def make_resource(
    acc: Account, rid: str, label: str, classes: list[str], uri: Any = None, extraction: str = "UNKNOWN"
) -> Json:
    res = {
        "id": rid,
        "label": label,
        "classes": classes,
        "uri": uri,
        "observatory_id": UNKNOWN,
        "organization_id": UNKNOWN,
        "created_at": now_iso(),
        "created_by": acc.id,
        "featured": False,
        "unlisted": False,
        "visibility": "DEFAULT",
        "verified": False,
        "formatted_label": None,
        "extraction_method": extraction,
        "_class": "resource",
        "modifiable": True,
    }
    get_store().put_thing(res)
    return res | {"shared": 0}


def make_literal(acc: Account, label: str, datatype: str, extraction: str = "UNKNOWN") -> Json:
    lit = {
        "id": get_store().new_id("L"),
        "label": label,
        "datatype": datatype,
        "created_at": now_iso(),
        "created_by": acc.id,
        "extraction_method": extraction,
        "modifiable": True,
        "_class": "literal",
    }
    get_store().put_thing(lit)
    return lit


def make_predicate(acc: Account, pid: str, label: str, uri: Any = None, extraction: str = "UNKNOWN") -> Json:
    pred = {
        "id": pid,
        "label": label,
        "description": None,
        "uri": uri,
        "created_at": now_iso(),
        "created_by": acc.id,
        "extraction_method": extraction,
        "modifiable": True,
        "_class": "predicate",
    }
    get_store().put_thing(pred)
    return pred


def make_statement(acc: Account, s: str, p: str, o: str, extraction: str = "UNKNOWN") -> str:
    """A new statement; the server always mints the id."""
    store = get_store()
    st = {
        "id": store.new_id("S"),
        "subject_id": s,
        "predicate_id": p,
        "object_id": o,
        "created_at": now_iso(),
        "created_by": acc.id,
        "extraction_method": extraction,
        "modifiable": True,
    }
    store.put_statement(st)
    return str(st["id"])


def statement_repr(
    st: Json, counts: dict[str, int] | None = None, things: dict[str, Json] | None = None
) -> Json:
    """A statement with its things embedded; ``things`` is an optional prefetched id -> thing map."""
    store = get_store()

    def resolved(tid: str) -> Json:
        t = things.get(tid) if things is not None else store.thing(tid)
        return with_shared(t, counts) if t is not None else {"id": tid}

    out: Json = {
        "id": st["id"],
        "subject": resolved(st["subject_id"]),
        "predicate": resolved(st["predicate_id"]),
        "object": resolved(st["object_id"]),
        "created_at": st["created_at"],
        "created_by": st["created_by"],
        "extraction_method": st.get("extraction_method", "UNKNOWN"),
        "modifiable": st.get("modifiable", True),
    }
    if st.get("index") is not None:
        out["index"] = st["index"]
    return out


def things_with_shared(things: list[Json]) -> list[Json]:
    """``with_shared`` for a page of things, with one indexed count query for the page."""
    counts = get_store().shared_counts(t["id"] for t in things if t["_class"] == "resource")
    return [with_shared(t, counts) for t in things]


def statement_reprs(statements: list[Json]) -> list[Json]:
    """Representations of a page (or bundle) of statements; ``shared`` counted for its things only."""
    ids = {st[k] for st in statements for k in ("subject_id", "predicate_id", "object_id")}
    store = get_store()
    counts, things = store.shared_counts(ids), store.things_by_id(ids)
    return [statement_repr(st, counts, things) for st in statements]


def statement_sort_value(st: Json, prop: str) -> Any:
    """A sort property of an unrendered statement (``sub.*``/``obj.*`` look the thing up)."""
    from orkg_sync.sandbox.http import sort_value

    if prop.startswith(("sub.", "obj.")):
        key = "subject_id" if prop.startswith("sub.") else "object_id"
        return sort_value(get_store().thing(st[key]) or {}, prop.split(".", 1)[1])
    return sort_value(st, prop)


# ---- statement rules ---------------------------------------------------------------------
def check_triple(b: Json) -> tuple[Json, Json, Json]:
    store = get_store()
    s, p, o = store.thing(b["subject_id"]), store.thing(b["predicate_id"]), store.thing(b["object_id"])
    if s is None:
        fail(
            400,
            "statement_subject_not_found",
            f'Subject "{b["subject_id"]}" not found.',
            subject_id=b["subject_id"],
        )
    if p is None or p["_class"] != "predicate":
        pid = b["predicate_id"]
        fail(400, "statement_predicate_not_found", f'Predicate "{pid}" not found.', predicate_id=pid)
    if o is None:
        fail(
            400,
            "statement_object_not_found",
            f'Object "{b["object_id"]}" not found.',
            object_id=b["object_id"],
        )
    if s["_class"] == "literal":
        fail(400, "invalid_statement", "A literal cannot be the subject of a statement.")
    if s["_class"] == "resource" and "RosettaStoneStatement" in s.get("classes", []):
        fail(400, "invalid_statement", "Rosetta stone statements cannot be the subject of a statement.")
    if b["predicate_id"] == "hasListElement" and s["_class"] == "resource" and "List" in s.get("classes", []):
        fail(400, "invalid_statement", "Use /api/lists to change list elements.")
    return s, p, o


def create_statement(acc: Account, b: Json) -> str:
    """Idempotent: an existing (s, p, o) triple answers with its id. An ``id`` in the body is ignored
    (StatementController.kt: the server always mints statement ids)."""
    store = get_store()
    check_triple(b)
    existing = store.find_statements(b["subject_id"], b["predicate_id"], b["object_id"])
    if existing:
        return str(existing[0]["id"])
    extraction = check_extraction(b.get("extraction_method"))
    return make_statement(acc, b["subject_id"], b["predicate_id"], b["object_id"], extraction)


def delete_statement(sid: str) -> None:
    """Missing ids are fine; an orphaned literal object goes with its last statement."""
    store = get_store()
    st = store.statement(sid)
    if st is None:
        return
    not_modifiable_guard(st, "statement")
    if st["predicate_id"] == "hasListElement":
        subj = store.thing(st["subject_id"]) or {}
        if "List" in subj.get("classes", []):
            fail(400, "statement_in_use", f'Statement "{sid}" is in use.', statement_id=sid)
    store.delete_statement(sid)
    obj = store.thing(st["object_id"])
    if obj is not None and obj["_class"] == "literal" and not store.find_statements(o=obj["id"]):
        store.delete_thing(obj["id"])
