"""Request and response helpers shared by the blueprints: bodies, media types, pages, filters."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Response, request

from orkg_sync.sandbox.db import Json, natural_key
from orkg_sync.sandbox.problems import Problem, fail

MAX_PAGE = 2500
MT_CMP_V2 = "application/vnd.orkg.comparison.v2+json"
SORT_KEYS = {
    "resource": {"id", "label", "created_at", "created_by", "visibility"},
    "predicate": {"id", "label", "created_at", "created_by"},
    "class": {"id", "label", "created_at", "created_by"},
    "literal": {"id", "label", "created_at", "created_by"},
    "statement": {"id", "index", "created_at", "created_by"}
    | {f"{a}.{b}" for a in ("sub", "obj") for b in ("id", "label", "created_at", "created_by")},
}


# ---- request bodies and media types -----------------------------------------------------
def json_body(allowed: set[str], required: Iterable[str] = ()) -> Json:
    """The JSON object body; unknown fields and missing required ones are 400 as in ORKG."""
    try:
        doc = json.loads(request.get_data() or b"null")
    except ValueError:
        fail(400, "invalid_json", "Malformed JSON.")
    if not isinstance(doc, dict):
        fail(400, "mismatched_json_input", "Expected a JSON object.", pointer="#/")
    for k in doc:
        if k not in allowed:
            fail(400, "unknown_json_field", f'Unknown field "{k}".', pointer=f"#/{k}")
    for k in sorted(required):
        if doc.get(k) is None:
            fail(400, "mismatched_json_input", f'Field "#/{k}" is either missing or null.', pointer=f"#/{k}")
    return doc


def negotiate(vendor: str, also: tuple[str, ...] = ()) -> str:
    """The media type to answer with, or 406 (``comparison.v2``: 406 with an empty body)."""
    accept = request.headers.get("Accept", "*/*")
    if MT_CMP_V2 in accept:
        raise Problem(406, "about:blank", None, bare=True)
    offered = [vendor, *also]
    for part in accept.split(","):
        mt = part.split(";")[0].strip().lower()
        for cand in offered:
            if mt in (cand, "*/*", cand.split("/")[0] + "/*"):
                return cand
    fail(406, "about:blank", "Not acceptable.")


def _content_type() -> str:
    return (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def consumes(vendor: str) -> None:
    ct = _content_type()
    if ct != vendor:
        fail(415, "about:blank", f"Content-Type '{ct}' is not supported.")


def consumes_json() -> None:
    ct = _content_type()
    if ct != "application/json" and not ct.endswith("+json"):
        fail(415, "about:blank", f"Content-Type '{ct}' is not supported.")


# ---- responses --------------------------------------------------------------------------
def created(path: str) -> Response:
    return Response(status=201, headers={"Location": request.url_root.rstrip("/") + path})


def updated(path: str) -> Response:
    return Response(status=204, headers={"Location": request.url_root.rstrip("/") + path})


def json_resp(doc: Any, mimetype: str = "application/json") -> Response:
    return Response(json.dumps(doc), mimetype=mimetype)


def sort_value(item: Json, key: str) -> Any:
    v = item.get(key)
    if key == "created_at" and isinstance(v, str):
        try:
            return datetime.fromisoformat(v)
        except ValueError:
            return datetime.min.replace(tzinfo=UTC)
    if key == "id" and isinstance(v, str):
        return natural_key(v)
    return "" if v is None else v


Render = Callable[[list[Json]], list[Json]]
SortValue = Callable[[Json, str], Any]


def _path_value(item: Json, prop: str) -> Any:
    if prop.startswith(("sub.", "obj.")):
        inner = item.get("subject" if prop.startswith("sub.") else "object") or {}
        return sort_value(inner, prop.split(".", 1)[1])
    return sort_value(item, prop)


def sort_specs(kind: str | None) -> list[tuple[str, bool]]:
    """The ``sort=prop[,prop],dir`` parameters; unknown properties are 400 ``unknown_sorting_property``."""
    specs = []
    for raw in request.args.getlist("sort"):
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        direction = parts.pop().lower() if parts and parts[-1].lower() in ("asc", "desc") else "asc"
        for prop in parts:
            if kind is not None and prop not in SORT_KEYS.get(kind, set()):
                fail(
                    400, "unknown_sorting_property", f'Unknown sorting property "{prop}".', property_name=prop
                )
            specs.append((prop, direction == "desc"))
    return specs


def page_args() -> tuple[int, int]:
    try:
        number = max(int(request.args.get("page", 0)), 0)
        size = int(request.args.get("size", 20))
    except ValueError:
        fail(400, "type_mismatch", "page and size must be integers.")
    return number, min(max(size, 1), MAX_PAGE)


def paginate(
    items: list[Json],
    kind: str | None,
    *,
    default: str = "created_at",
    keep_order: bool = False,
    render: Render | None = None,
    value: SortValue = _path_value,
) -> Response:
    """One page in ORKG's envelope; ``keep_order`` (fuzzy search) ignores ``sort`` after checking it.

    ``render`` turns only the page's items into their representation (so a page costs O(page) in
    lookups such as ``shared``); ``value`` reads a sort property from an unrendered item."""
    number, size = page_args()
    specs = sort_specs(kind)
    if keep_order:
        ordered = list(items)
    else:
        ordered = sorted(items, key=lambda i: natural_key(str(i.get("id", ""))))
        for prop, rev in reversed(specs or [(default, False)]):
            keys = {id(i): value(i, prop) for i in ordered}
            ordered.sort(key=lambda i: keys[id(i)], reverse=rev)
    content = ordered[number * size : (number + 1) * size]
    return page_response(render(content) if render else content, len(ordered), number, size)


def page_response(content: list[Json], total: int, number: int, size: int) -> Response:
    meta = {
        "size": size,
        "number": number,
        "total_elements": total,
        "total_pages": math.ceil(total / size) if size else 0,
    }
    return json_resp({"content": content, "page": meta})


# ---- list filters -----------------------------------------------------------------------
def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def label_filter(items: list[Json], key: str = "label", param: str = "q") -> tuple[list[Json], bool]:
    """``q``/``exact`` search; fuzzy results come ordered by label length (True = fuzzy)."""
    q = request.args.get(param)
    if q is None or not q.strip():
        return items, False
    nq = _norm(q)
    if request.args.get("exact", "false").lower() == "true":
        return [i for i in items if _norm(str(i.get(key) or "")) == nq], False
    words = nq.split()
    must = [w.lstrip("+") for w in words if not w.startswith("-")]
    mustnt = [w[1:] for w in words if w.startswith("-") and len(w) > 1]

    def hit(i: Json) -> bool:
        text = _norm(str(i.get(key) or ""))
        return all(w in text for w in must) and not any(w in text for w in mustnt)

    out = [i for i in items if hit(i)]
    out.sort(key=lambda i: (len(str(i.get(key) or "")), sort_value(i, "created_at"), natural_key(i["id"])))
    return out, True


def common_filters(items: list[Json]) -> list[Json]:
    """``created_by``, ``created_at_start``/``_end`` and ``uri``."""
    a = request.args
    if a.get("created_by"):
        items = [i for i in items if i.get("created_by") == a["created_by"]]
    for p, op in (("created_at_start", 1), ("created_at_end", -1)):
        if a.get(p):
            try:
                bound = datetime.fromisoformat(a[p])
            except ValueError:
                fail(400, "type_mismatch", f"{p} is not an ISO date-time.")
            if bound.tzinfo is None:
                bound = bound.replace(tzinfo=UTC)
            items = [
                i
                for i in items
                if (datetime.fromisoformat(i["created_at"]) - bound).total_seconds() * op >= 0
            ]
    if a.get("uri"):
        items = [i for i in items if i.get("uri") == a["uri"]]
    return items


def class_list(values: list[str]) -> set[str]:
    """Repeated and comma-separated class ids of one parameter."""
    out: set[str] = set()
    for v in values:
        out.update(x.strip() for x in v.split(",") if x.strip())
    return out


def int_arg(*names: str, default: int | None = None) -> int | None:
    for n in names:
        if request.args.get(n) is not None:
            try:
                return int(request.args[n])
            except ValueError:
                fail(400, "type_mismatch", f"{n} must be an integer.")
    return default
