"""Graph endpoints: resources, predicates, literals, classes, things, statements, bundle, subgraph."""

from __future__ import annotations

from collections import deque
from typing import Any

from flask import Flask, Response, request

from orkg_sync.sandbox.db import Json


def register(app: Flask, c: Any) -> None:
    store, fail = c.store, c.fail

    # ---- resources ------------------------------------------------------------------
    @app.get("/api/resources/<rid>")
    def get_resource(rid: str) -> Response:
        return c.json_resp(c.with_shared(c.thing_or_404(rid, "resource")))

    def resource_filters(items: list[Json], base_class: bool = True) -> list[Json]:
        a = request.args
        include = c.class_list(a.getlist("include"))
        exclude = c.class_list(a.getlist("exclude"))
        if include:
            items = [i for i in items if include <= set(i.get("classes", []))]
        if exclude:
            items = [i for i in items if not exclude & set(i.get("classes", []))]
        if base_class and a.get("base_class"):
            items = [i for i in items if a["base_class"] in i.get("classes", [])]
        vis = a.get("visibility")
        if vis:
            allowed = {
                "ALL_LISTED": {"DEFAULT", "FEATURED"},
                "UNLISTED": {"UNLISTED"},
                "FEATURED": {"FEATURED"},
                "NON_FEATURED": {"DEFAULT"},
                "DELETED": {"DELETED"},
            }.get(vis)
            if allowed is None:
                fail(400, "type_mismatch", f'Invalid visibility "{vis}".')
            items = [i for i in items if i.get("visibility") in (allowed or set())]
        for key in ("observatory_id", "organization_id"):
            if a.get(key):
                items = [i for i in items if i.get(key) == a[key]]
        return c.common_filters(items)

    @app.get("/api/resources")
    def list_resources() -> Response:
        counts = store.shared_counts()
        items = [c.with_shared(r, counts) for r in resource_filters(store.things("resource"))]
        items, fuzzy = c.label_filter(items)
        return c.page(items, "resource", sortable=not fuzzy, default="created_at" if not fuzzy else "__keep")

    @app.post("/api/resources")
    def create_resource() -> Response:
        acc = c.user()
        c.consumes_json()
        b = c.body({"id", "label", "classes", "uri", "extraction_method"}, {"label"})
        c.check_label(b["label"])
        with store.tx():
            rid = c.new_thing_id(b.get("id"), "R")
            classes = c.check_classes(b.get("classes"))
            c.check_uri(b.get("uri"))
            c.make_resource(
                acc, rid, b["label"], classes, b.get("uri"), c.check_extraction(b.get("extraction_method"))
            )
        return c.created(f"/api/resources/{rid}")

    @app.route("/api/resources/<rid>", methods=["PUT", "PATCH"])
    def update_resource(rid: str) -> Response:
        acc = c.user()
        c.consumes_json()
        b = c.body(
            {
                "id",
                "label",
                "classes",
                "uri",
                "extraction_method",
                "visibility",
                "observatory_id",
                "organization_id",
                "verified",
            }
        )
        with store.tx():
            res = c.thing_or_404(rid, "resource")
            if not res.get("modifiable", True):
                fail(403, "resource_not_modifiable", f'Resource "{rid}" is not modifiable.', resource_id=rid)
            if "label" in b and b["label"] is not None:
                c.check_label(b["label"])
                res["label"] = b["label"]
            if b.get("classes") is not None:
                res["classes"] = c.check_classes(b["classes"])
            if b.get("uri") is not None and b["uri"] != res.get("uri"):
                if res.get("uri") is not None:
                    fail(400, "cannot_reset_uri", f'The URI of "{rid}" cannot be changed.', thing_id=rid)
                c.check_uri(b["uri"], rid)
                res["uri"] = b["uri"]
            if b.get("extraction_method") is not None:
                res["extraction_method"] = c.check_extraction(b["extraction_method"])
            vis = b.get("visibility")
            if vis is not None and vis != res.get("visibility"):
                if vis not in {"DEFAULT", "UNLISTED", "FEATURED", "DELETED"}:
                    fail(400, "mismatched_json_input", f'Invalid visibility "{vis}".', pointer="#/visibility")
                if not acc.curator and (vis in {"FEATURED", "UNLISTED"} or res["created_by"] != acc.id):
                    fail(
                        403,
                        "neither_owner_nor_curator",
                        f'Contributor <{acc.id}> does not own resource "{rid}" and is not a curator.',
                        contributor_id=acc.id,
                    )
                res["visibility"] = vis
                res["featured"] = vis == "FEATURED"
                res["unlisted"] = vis == "UNLISTED"
            if b.get("verified") is not None:
                if not acc.curator:
                    fail(
                        403,
                        "not_a_curator",
                        f"Contributor <{acc.id}> is not a curator.",
                        contributor_id=acc.id,
                    )
                res["verified"] = bool(b["verified"])
            for key in ("observatory_id", "organization_id"):
                if b.get(key) is not None:
                    res[key] = b[key]
            store.put_thing(res)
        return c.updated(f"/api/resources/{rid}")

    @app.delete("/api/resources/<rid>")
    def delete_resource(rid: str) -> Response:
        acc = c.user()
        with store.tx():
            res = c.thing_or_404(rid, "resource")
            if not res.get("modifiable", True):
                fail(403, "resource_not_modifiable", f'Resource "{rid}" is not modifiable.', resource_id=rid)
            if store.shared(rid):
                fail(
                    403,
                    "resource_in_use",
                    f'Unable to delete resource "{rid}" because it is used in at least one statement.',
                    resource_id=rid,
                )
            if res["created_by"] != acc.id and not acc.curator:
                fail(
                    403,
                    "neither_owner_nor_curator",
                    f'Contributor <{acc.id}> does not own resource "{rid}" and is not a curator.',
                    contributor_id=acc.id,
                )
            for st in store.find_statements(s=rid):
                store.delete_statement(st["id"])
            store.delete_thing(rid)
        return Response(status=204)

    # ---- predicates, classes, literals ---------------------------------------------------
    def simple_kind(kind: str, prefix: str, plural: str, fields: set[str]) -> None:
        def get_one(tid: str) -> Response:
            return c.json_resp(c.thing_or_404(tid, kind))

        def get_many() -> Response:
            items = c.common_filters(store.things(kind))
            items, fuzzy = c.label_filter(items)
            return c.page(items, kind, sortable=not fuzzy, default="created_at" if not fuzzy else "__keep")

        app.add_url_rule(f"/api/{plural}/<tid>", f"get_{kind}", get_one, methods=["GET"])
        app.add_url_rule(f"/api/{plural}", f"list_{kind}", get_many, methods=["GET"])

    simple_kind("predicate", "P", "predicates", set())
    simple_kind("class", "C", "classes", set())
    simple_kind("literal", "L", "literals", set())

    @app.post("/api/predicates")
    def create_predicate() -> Response:
        acc = c.user()
        c.consumes_json()
        b = c.body({"id", "label", "uri", "extraction_method"}, {"label"})
        c.check_label(b["label"])
        with store.tx():
            pid = c.new_thing_id(b.get("id"), "P")
            c.check_uri(b.get("uri"))
            c.make_predicate(
                acc, pid, b["label"], b.get("uri"), c.check_extraction(b.get("extraction_method"))
            )
        return c.created(f"/api/predicates/{pid}")

    @app.post("/api/classes")
    def create_class() -> Response:
        acc = c.user()
        c.consumes_json()
        b = c.body({"id", "label", "uri", "extraction_method"}, {"label"})
        c.check_label(b["label"])
        with store.tx():
            cid = c.new_thing_id(b.get("id"), "C")
            c.check_uri(b.get("uri"))
            store.put_thing(
                {
                    "id": cid,
                    "label": b["label"],
                    "uri": b.get("uri"),
                    "description": None,
                    "created_at": c.now_iso(),
                    "created_by": acc.id,
                    "extraction_method": c.check_extraction(b.get("extraction_method")),
                    "modifiable": True,
                    "_class": "class",
                }
            )
        return c.created(f"/api/classes/{cid}")

    @app.post("/api/literals")
    def create_literal() -> Response:
        acc = c.user()
        c.consumes_json()
        b = c.body({"label", "datatype", "extraction_method"}, {"label"})
        c.check_label(b["label"], literal=True)
        with store.tx():
            lit = c.make_literal(
                acc,
                b["label"],
                _datatype(c, b.get("datatype")),
                c.check_extraction(b.get("extraction_method")),
            )
        return c.created(f"/api/literals/{lit['id']}")

    def generic_update(kind: str, plural: str, fields: set[str], full: bool = False) -> Any:
        def update(tid: str) -> Response:
            c.user()
            c.consumes_json()
            b = c.body(fields | ({"id"} if kind != "literal" else set()), {"label"} if full else set())
            with store.tx():
                t = c.thing_or_404(tid, kind)
                if not t.get("modifiable", True):
                    fail(
                        403,
                        f"{kind}_not_modifiable",
                        f'{kind.capitalize()} "{tid}" is not modifiable.',
                        **{f"{kind}_id": tid},
                    )
                if b.get("label") is not None:
                    c.check_label(b["label"], literal=kind == "literal")
                    t["label"] = b["label"]
                if b.get("uri") is not None and b["uri"] != t.get("uri"):
                    if t.get("uri") is not None:
                        fail(400, "cannot_reset_uri", f'The URI of "{tid}" cannot be changed.', thing_id=tid)
                    c.check_uri(b["uri"], tid)
                    t["uri"] = b["uri"]
                if b.get("datatype") is not None:
                    t["datatype"] = _datatype(c, b["datatype"])
                if b.get("extraction_method") is not None:
                    t["extraction_method"] = c.check_extraction(b["extraction_method"])
                store.put_thing(t)
            return c.updated(f"/api/{plural}/{tid}")

        return update

    app.add_url_rule(
        "/api/predicates/<tid>",
        "put_predicate",
        generic_update("predicate", "predicates", {"label", "uri", "extraction_method"}),
        methods=["PUT"],
    )
    app.add_url_rule(
        "/api/literals/<tid>",
        "put_literal",
        generic_update("literal", "literals", {"label", "datatype", "extraction_method"}),
        methods=["PUT"],
    )
    app.add_url_rule(
        "/api/classes/<tid>",
        "put_class",
        generic_update("class", "classes", {"label", "uri", "extraction_method"}, full=True),
        methods=["PUT"],
    )
    app.add_url_rule(
        "/api/classes/<tid>",
        "patch_class",
        generic_update("class", "classes", {"label", "uri", "extraction_method"}),
        methods=["PATCH"],
    )

    @app.delete("/api/predicates/<pid>")
    def delete_predicate(pid: str) -> Response:
        acc = c.user()
        with store.tx():
            pred = c.thing_or_404(pid, "predicate")
            if not pred.get("modifiable", True):
                fail(
                    403, "predicate_not_modifiable", f'Predicate "{pid}" is not modifiable.', predicate_id=pid
                )
            if store.find_statements(p=pid) or store.shared(pid):
                fail(
                    403,
                    "predicate_in_use",
                    f'Unable to delete predicate "{pid}" because it is used in at least one statement.',
                    predicate_id=pid,
                )
            if pred["created_by"] != acc.id and not acc.curator:
                fail(
                    403,
                    "neither_owner_nor_curator",
                    f'Contributor <{acc.id}> does not own predicate "{pid}" and is not a curator.',
                    contributor_id=acc.id,
                )
            store.delete_thing(pid)
        return Response(status=204)

    # ---- things -------------------------------------------------------------------------
    @app.get("/api/things/<tid>")
    def get_thing(tid: str) -> Response:
        t = store.thing(tid)
        if t is None:
            fail(404, "thing_not_found", f'Thing "{tid}" not found.', thing_id=tid)
        return c.json_resp(c.with_shared(t))

    @app.get("/api/things")
    def list_things() -> Response:
        counts = store.shared_counts()
        items = [c.with_shared(t, counts) for t in store.things()]
        res = [t for t in items if t["_class"] == "resource"]
        others = [t for t in items if t["_class"] != "resource"]
        if any(
            request.args.get(k)
            for k in ("include", "exclude", "visibility", "observatory_id", "organization_id")
        ):
            items = resource_filters(res, base_class=False)
        else:
            items = c.common_filters(res + others)
        items, fuzzy = c.label_filter(items)
        return c.page(items, "resource", sortable=not fuzzy, default="created_at" if not fuzzy else "__keep")

    # ---- statements -----------------------------------------------------------------------
    @app.get("/api/statements/<sid>")
    def get_statement(sid: str) -> Response:
        st = store.statement(sid)
        if st is None:
            fail(404, "statement_not_found", f'Statement "{sid}" not found.', statement_id=sid)
        return c.json_resp(c.statement_repr(st))

    def class_match(thing: Json | None, classes: set[str]) -> bool:
        if thing is None:
            return False
        kind = {"resource": "Resource", "class": "Class", "predicate": "Predicate", "literal": "Literal"}
        if kind[thing["_class"]] in classes:
            return True
        return bool(classes & set(thing.get("classes", []))) if thing["_class"] == "resource" else False

    @app.get("/api/statements")
    def list_statements() -> Response:
        a = request.args
        sts = store.find_statements(a.get("subject_id"), a.get("predicate_id"), a.get("object_id"))
        sub_cls, obj_cls = (
            c.class_list(a.getlist("subject_classes")),
            c.class_list(a.getlist("object_classes")),
        )
        if sub_cls:
            sts = [s for s in sts if class_match(store.thing(s["subject_id"]), sub_cls)]
        if obj_cls:
            sts = [s for s in sts if class_match(store.thing(s["object_id"]), obj_cls)]
        for param, key in (("subject_label", "subject_id"), ("object_label", "object_id")):
            if a.get(param) is not None:
                sts = [s for s in sts if (store.thing(s[key]) or {}).get("label") == a[param]]
        sts = c.common_filters(sts)
        counts = store.shared_counts()
        return c.page([c.statement_repr(s, counts) for s in sts], "statement")

    @app.post("/api/statements")
    def create_statement() -> Response:
        acc = c.user()
        c.consumes_json()
        b = c.body(
            {"id", "subject_id", "predicate_id", "object_id", "extraction_method"},
            {"subject_id", "predicate_id", "object_id"},
        )
        with store.tx():
            sid = _create_statement(c, acc, b)
        return c.created(f"/api/statements/{sid}")

    @app.put("/api/statements/<sid>")
    def update_statement(sid: str) -> Response:
        acc = c.user()
        c.consumes_json()
        b = c.body({"subject_id", "predicate_id", "object_id", "extraction_method"})
        with store.tx():
            st = store.statement(sid)
            if st is None:
                fail(404, "statement_not_found", f'Statement "{sid}" not found.', statement_id=sid)
            if not st.get("modifiable", True):
                fail(
                    403, "statement_not_modifiable", f'Statement "{sid}" is not modifiable.', statement_id=sid
                )
            merged = {
                "subject_id": b.get("subject_id") or st["subject_id"],
                "predicate_id": b.get("predicate_id") or st["predicate_id"],
                "object_id": b.get("object_id") or st["object_id"],
            }
            _check_triple(c, merged)
            store.delete_statement(sid)
            new = dict(st) | merged
            new["created_by"] = acc.id
            new["created_at"] = c.now_iso()
            if b.get("extraction_method") is not None:
                new["extraction_method"] = c.check_extraction(b["extraction_method"])
            store.put_statement(new)
        return c.updated(f"/api/statements/{sid}")

    @app.delete("/api/statements/<sid>")
    def delete_statement(sid: str) -> Response:
        c.user()
        with store.tx():
            _delete_statement(c, sid)
        return Response(status=204)

    # ---- bundle / subgraph -------------------------------------------------------------------
    def traverse(
        root: str,
        min_level: int,
        max_level: int | None,
        deny: set[str],
        allow: set[str],
        stop: set[str],
        include_first: bool,
    ) -> list[Json]:
        out: dict[str, Json] = {}
        seen = {root}
        queue: deque[tuple[str, int]] = deque([(root, 1)])
        while queue:
            node, level = queue.popleft()
            if max_level is not None and level > max_level:
                continue
            for st in store.find_statements(s=node):
                obj = store.thing(st["object_id"])
                classes = set(obj.get("classes", [])) if obj and obj["_class"] == "resource" else set()
                denied = bool(classes & deny) or (
                    bool(allow) and obj is not None and obj["_class"] == "resource" and not classes & allow
                )
                if (level >= min_level and not denied) or (include_first and level == 1):
                    out[st["id"]] = st
                if denied or classes & stop or obj is None or obj["_class"] == "literal":
                    continue
                if obj["id"] not in seen:
                    seen.add(obj["id"])
                    queue.append((obj["id"], level + 1))
        return list(out.values())

    def int_arg(*names: str, default: int | None = None) -> int | None:
        for n in names:
            if request.args.get(n) is not None:
                try:
                    return int(request.args[n])
                except ValueError:
                    fail(400, "type_mismatch", f"{n} must be an integer.")
        return default

    @app.get("/api/statements/<tid>/bundle")
    def bundle(tid: str) -> Response:
        if store.thing(tid) is None:
            fail(404, "thing_not_found", f'Thing "{tid}" not found.', thing_id=tid)
        first = request.args.get("include_first", request.args.get("includeFirst", "true")).lower() != "false"
        sts = traverse(
            tid,
            int_arg("min_level", "minLevel", default=0) or 0,
            int_arg("max_level", "maxLevel"),
            c.class_list(request.args.getlist("blacklist")),
            c.class_list(request.args.getlist("whitelist")),
            set(),
            first,
        )
        counts = store.shared_counts()
        reprs = [c.statement_repr(s, counts) for s in sts]
        specs = request.args.getlist("sort")
        if specs:
            prop, _, direction = specs[0].partition(",")
            if prop not in {"created_at", "created_by", "index"}:
                fail(
                    400, "unknown_sorting_property", f'Unknown sorting property "{prop}".', property_name=prop
                )
            reprs.sort(key=lambda s: c.sort_value(s, prop), reverse=direction.lower() == "desc")
        else:
            reprs.sort(key=lambda s: c.sort_value(s, "created_at"), reverse=True)
        return c.json_resp({"root": tid, "statements": reprs})

    @app.get("/api/things/<tid>/subgraph")
    def subgraph(tid: str) -> Response:
        if store.thing(tid) is None:
            fail(404, "thing_not_found", f'Thing "{tid}" not found.', thing_id=tid)
        lo, hi = int_arg("min_hops", default=1) or 1, int_arg("max_hops", default=10) or 10
        if not (1 <= lo <= 10 and 1 <= hi <= 10) or lo > hi:
            fail(400, "invalid_hop_bounds", f"Invalid hop bounds {lo}..{hi}.", min_hops=lo, max_hops=hi)
        a = request.args
        sts = traverse(
            tid,
            lo,
            hi,
            c.class_list(a.getlist("deny_classes")),
            c.class_list(a.getlist("allow_classes")),
            c.class_list(a.getlist("termination_classes")),
            False,
        )
        counts = store.shared_counts()
        return c.page([c.statement_repr(s, counts) for s in sts], "statement")


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


def _datatype(c: Any, dt: Any) -> str:
    if dt is None:
        return "xsd:string"
    if isinstance(dt, str) and dt.startswith(c.XSD):
        dt = "xsd:" + dt[len(c.XSD) :]
    if isinstance(dt, str) and (dt.startswith("xsd:") and dt[4:] in XSD_NAMES):
        return dt
    if isinstance(dt, str) and not dt.startswith("xsd:") and ":" in dt and " " not in dt:
        return dt
    c.fail(400, "invalid_literal_datatype", f'Invalid datatype "{dt}".', datatype=dt)
    return ""


def _check_triple(c: Any, b: Json) -> tuple[Json, Json, Json]:
    store = c.store
    s, p, o = store.thing(b["subject_id"]), store.thing(b["predicate_id"]), store.thing(b["object_id"])
    if s is None:
        c.fail(
            400,
            "statement_subject_not_found",
            f'Subject "{b["subject_id"]}" not found.',
            subject_id=b["subject_id"],
        )
    if p is None or p["_class"] != "predicate":
        c.fail(
            400,
            "statement_predicate_not_found",
            f'Predicate "{b["predicate_id"]}" not found.',
            predicate_id=b["predicate_id"],
        )
    if o is None:
        c.fail(
            400,
            "statement_object_not_found",
            f'Object "{b["object_id"]}" not found.',
            object_id=b["object_id"],
        )
    if s["_class"] == "literal":
        c.fail(400, "invalid_statement", "A literal cannot be the subject of a statement.")
    if s["_class"] == "resource" and "RosettaStoneStatement" in s.get("classes", []):
        c.fail(400, "invalid_statement", "Rosetta stone statements cannot be the subject of a statement.")
    if b["predicate_id"] == "hasListElement" and s["_class"] == "resource" and "List" in s.get("classes", []):
        c.fail(400, "invalid_statement", "Use /api/lists to change list elements.")
    return s, p, o


def _create_statement(c: Any, acc: Any, b: Json) -> str:
    """Idempotent: an existing (s, p, o) triple answers with its id."""
    store = c.store
    sid = b.get("id")
    if sid is not None and (not isinstance(sid, str) or not sid.startswith("S") or not c.ID_RE.match(sid)):
        c.fail(400, "invalid_statement_id", f'"{sid}" is not a valid statement id.')
    _check_triple(c, b)
    existing = store.find_statements(b["subject_id"], b["predicate_id"], b["object_id"])
    if existing:
        if sid is not None and sid != existing[0]["id"]:
            c.fail(400, "statement_already_exists", f'Statement "{sid}" already exists.', statement_id=sid)
        return str(existing[0]["id"])
    if sid is not None and store.statement(sid) is not None:
        c.fail(400, "statement_already_exists", f'Statement "{sid}" already exists.', statement_id=sid)
    return str(
        c.make_statement(
            acc,
            b["subject_id"],
            b["predicate_id"],
            b["object_id"],
            sid,
            c.check_extraction(b.get("extraction_method")),
        )
    )


def _delete_statement(c: Any, sid: str) -> None:
    """Missing ids are fine; an orphaned literal object goes with its last statement."""
    store = c.store
    st = store.statement(sid)
    if st is None:
        return
    if not st.get("modifiable", True):
        c.fail(403, "statement_not_modifiable", f'Statement "{sid}" is not modifiable.', statement_id=sid)
    if st["predicate_id"] == "hasListElement":
        subj = store.thing(st["subject_id"]) or {}
        if "List" in subj.get("classes", []):
            c.fail(400, "statement_in_use", f'Statement "{sid}" is in use.', statement_id=sid)
    store.delete_statement(sid)
    obj = store.thing(st["object_id"])
    if obj is not None and obj["_class"] == "literal" and not store.find_statements(o=obj["id"]):
        store.delete_thing(obj["id"])
