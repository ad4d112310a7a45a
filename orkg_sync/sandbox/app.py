"""The Flask application: ORKG REST endpoints, token endpoint, and the sandbox-only admin routes."""

from __future__ import annotations

import functools
import json
import math
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NoReturn

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from orkg_sync.sandbox.auth import CLIENT_IDS, Account, Tokens
from orkg_sync.sandbox.db import Json, Store, natural_key, now_iso
from orkg_sync.sandbox.faults import FaultConfig, Faults

UNKNOWN = "00000000-0000-0000-0000-000000000000"
ID_RE = re.compile(r"^[a-zA-Z0-9:_-]+$")
MAX_PAGE = 2500
MT_PAPER = "application/vnd.orkg.paper.v2+json"
MT_CONTRIB = "application/vnd.orkg.contribution.v2+json"
MT_CMP = "application/vnd.orkg.comparison.v3+json"
MT_CMP_V2 = "application/vnd.orkg.comparison.v2+json"
RESERVED_CLASSES = {"Literal", "Class", "Predicate", "Resource", "List", "RosettaStoneStatement", "Thing"}
EXTRACTION = {"AUTOMATIC", "MANUAL", "UNKNOWN", "AI_GENERATED", "AI_GENERATED_WITH_MANUAL_REVIEW"}
CMP_TYPES = {
    "SYSTEMATIC_COMPARISON",
    "RELATED_WORK_COMPARISON",
    "STATE_OF_THE_ART_COMPARISON",
    "RESOURCE_COMPARISON",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
SORT_KEYS = {
    "resource": {"id", "label", "created_at", "created_by", "visibility"},
    "predicate": {"id", "label", "created_at", "created_by"},
    "class": {"id", "label", "created_at", "created_by"},
    "literal": {"id", "label", "created_at", "created_by"},
    "statement": {"id", "index", "created_at", "created_by"}
    | {f"{a}.{b}" for a in ("sub", "obj") for b in ("id", "label", "created_at", "created_by")},
}
REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class Problem(Exception):
    def __init__(self, status: int, kind: str, detail: str | None, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.kind, self.detail, self.extra = status, kind, detail, extra


def fail(status: int, kind: str, detail: str | None, **extra: Any) -> NoReturn:
    raise Problem(status, kind, detail, **extra)


def problem_response(status: int, kind: str, detail: str | None, extra: dict[str, Any]) -> Response:
    title = REASONS.get(status, "Error")
    body: Json = {
        "type": kind if kind == "about:blank" else f"orkg:problem:{kind}",
        "title": title,
        "status": status,
    }
    if detail is not None:
        body["detail"] = detail
    body["instance"] = request.path
    body.update(extra)
    body["error"] = title
    if detail is not None:
        body["message"] = detail
    body["path"] = request.path
    body["timestamp"] = now_iso()
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def create_app(store: Store, tokens: Tokens, accounts: dict[str, Account], faults: Faults) -> Flask:
    app = Flask("orkg_sandbox")
    app.url_map.strict_slashes = False
    app.json.sort_keys = False  # type: ignore[attr-defined]

    # ---- plumbing -------------------------------------------------------------------
    @app.errorhandler(Problem)
    def _problem(p: Problem) -> Response:
        return problem_response(p.status, p.kind, p.detail, p.extra)

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException) -> Response:
        return problem_response(e.code or 500, "about:blank", e.description, {})

    @app.errorhandler(Exception)
    def _crash(e: Exception) -> Response:
        app.logger.exception("unhandled error")
        return problem_response(500, "about:blank", "Internal server error.", {})

    @app.before_request
    def _before() -> Response | None:
        g.fault = None
        g.t0 = time.perf_counter()
        if request.path != "/" and request.path.endswith("/"):
            target = request.url_root.rstrip("/") + request.path.rstrip("/")
            if request.query_string:
                target += "?" + request.query_string.decode()
            return Response(status=308, headers={"Location": target})
        if request.path.startswith("/api"):
            header = request.headers.get("Authorization", "")
            if header:  # Spring's bearer filter rejects a bad token before any controller, GETs included
                token = header[7:].strip() if header.lower().startswith("bearer ") else ""
                if not token or tokens.user(token) is None:
                    resp = problem_response(401, "about:blank", "Invalid or expired bearer token.", {})
                    resp.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
                    return resp
            delay, fault = faults.roll(request.method)
            if delay:
                time.sleep(delay)
            g.fault = fault
            if fault == "drop":
                request.environ["sandbox.drop"] = True
                return Response(status=500)
            if fault in ("500", "503"):
                kind = "internal_server_error" if fault == "500" else "service_unavailable"
                return problem_response(int(fault), kind, "Injected fault.", {})
            if fault == "429":
                resp = problem_response(429, "about:blank", "Too many requests.", {})
                resp.headers["Retry-After"] = str(faults.config.retry_after)
                return resp
        return None

    @app.after_request
    def _after(resp: Response) -> Response:
        rule = request.url_rule.rule if request.url_rule else request.path
        faults.record(f"{request.method} {rule}", resp.status_code, g.get("fault"))
        if g.get("fault") == "commit_drop" and resp.status_code < 400:
            request.environ["sandbox.drop"] = True
        if "Location" in resp.headers:
            resp.headers["Access-Control-Expose-Headers"] = "Location"
        resp.headers["Access-Control-Allow-Origin"] = "*"
        return resp

    # ---- helpers --------------------------------------------------------------------
    def user(required: bool = True) -> Account | None:
        header = request.headers.get("Authorization", "")
        if not header:
            if required:
                fail(403, "access_denied", "Access denied.")
            return None
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        acc = tokens.user(token) if token else None
        if acc is None:
            resp = problem_response(401, "about:blank", "Invalid or expired bearer token.", {})
            resp.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            raise _Abort(resp)
        return acc

    def body(allowed: set[str], required: set[str] = frozenset()) -> Json:  # type: ignore[assignment]
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
                fail(
                    400,
                    "mismatched_json_input",
                    f'Field "#/{k}" is either missing or null.',
                    pointer=f"#/{k}",
                )
        return doc

    def negotiate(vendor: str, also: tuple[str, ...] = ()) -> str:
        accept = request.headers.get("Accept", "*/*")
        if MT_CMP_V2 in accept:
            raise _Abort(Response(status=406))
        offered = [vendor, *also]
        for part in accept.split(","):
            mt = part.split(";")[0].strip().lower()
            for cand in offered:
                if mt in (cand, "*/*", cand.split("/")[0] + "/*"):
                    return cand
        raise _Abort(problem_response(406, "about:blank", "Not acceptable.", {}))

    def consumes(vendor: str) -> None:
        ct = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ct != vendor:
            raise _Abort(problem_response(415, "about:blank", f"Content-Type '{ct}' is not supported.", {}))

    def consumes_json() -> None:
        ct = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ct not in ("application/json",) and not ct.endswith("+json"):
            raise _Abort(problem_response(415, "about:blank", f"Content-Type '{ct}' is not supported.", {}))

    def created(path: str) -> Response:
        return Response(status=201, headers={"Location": request.url_root.rstrip("/") + path})

    def updated(path: str) -> Response:
        return Response(status=204, headers={"Location": request.url_root.rstrip("/") + path})

    def json_resp(doc: Any, mimetype: str = "application/json") -> Response:
        return Response(json.dumps(doc), mimetype=mimetype)

    def with_shared(thing: Json, counts: dict[str, int] | None = None) -> Json:
        if thing["_class"] == "resource":
            thing = dict(thing)
            thing["shared"] = counts.get(thing["id"], 0) if counts is not None else store.shared(thing["id"])
        return thing

    def sort_value(item: Json, key: str) -> Any:
        v = item.get(key)
        if key in ("created_at",) and isinstance(v, str):
            try:
                return datetime.fromisoformat(v)
            except ValueError:
                return datetime.min.replace(tzinfo=UTC)
        if key == "id" and isinstance(v, str):
            return natural_key(v)
        return "" if v is None else v

    def page(
        items: list[Json],
        kind: str | None,
        default: str = "created_at",
        desc: bool = False,
        sortable: bool = True,
    ) -> Response:
        try:
            number = max(int(request.args.get("page", 0)), 0)
            size = int(request.args.get("size", 20))
        except ValueError:
            fail(400, "type_mismatch", "page and size must be integers.")
        size = min(max(size, 1), MAX_PAGE)
        specs = []
        for raw in request.args.getlist("sort"):
            parts = [p.strip() for p in raw.split(",") if p.strip()]
            if not parts:
                continue
            direction = "asc"
            if parts[-1].lower() in ("asc", "desc"):
                direction = parts.pop().lower()
            for prop in parts:
                if kind is not None and prop not in SORT_KEYS.get(kind, set()):
                    fail(
                        400,
                        "unknown_sorting_property",
                        f'Unknown sorting property "{prop}".',
                        property_name=prop,
                    )
                specs.append((prop, direction == "desc"))
        if not sortable:
            specs = []
        if not specs and default == "__keep":
            ordered = list(items)
            specs = []
        else:
            specs = specs or [(default, desc)]
            ordered = sorted(items, key=lambda i: natural_key(str(i.get("id", ""))))
        for prop, rev in reversed(specs):
            ordered.sort(key=functools.partial(_path_value, prop=prop, value=sort_value), reverse=rev)
        total = len(ordered)
        content = ordered[number * size : (number + 1) * size]
        meta = {
            "size": size,
            "number": number,
            "total_elements": total,
            "total_pages": math.ceil(total / size) if size else 0,
        }
        return json_resp({"content": content, "page": meta})

    def norm(s: str) -> str:
        return " ".join(s.lower().split())

    def label_filter(items: list[Json], key: str = "label", param: str = "q") -> tuple[list[Json], bool]:
        q = request.args.get(param)
        if q is None or not q.strip():
            return items, False
        nq = norm(q)
        if request.args.get("exact", "false").lower() == "true":
            return [i for i in items if norm(str(i.get(key) or "")) == nq], False
        words = nq.split()
        must = [w.lstrip("+") for w in words if not w.startswith("-")]
        mustnt = [w[1:] for w in words if w.startswith("-") and len(w) > 1]
        out = [
            i
            for i in items
            if all(w in norm(str(i.get(key) or "")) for w in must)
            and not any(w in norm(str(i.get(key) or "")) for w in mustnt)
        ]
        out.sort(
            key=lambda i: (len(str(i.get(key) or "")), sort_value(i, "created_at"), natural_key(i["id"]))
        )
        return out, True

    def common_filters(items: list[Json]) -> list[Json]:
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

    def listed(kind: str) -> list[Json]:
        return store.things(kind)

    def class_list(values: list[str]) -> set[str]:
        out: set[str] = set()
        for v in values:
            out.update(x.strip() for x in v.split(",") if x.strip())
        return out

    def thing_or_404(thing_id: str, kind: str) -> Json:
        t = store.thing(thing_id)
        if t is None or t["_class"] != kind:
            fail(
                404,
                f"{kind}_not_found",
                f'{kind.capitalize()} "{thing_id}" not found.',
                **{f"{kind}_id": thing_id},
            )
        return t

    def check_label(label: Any, literal: bool = False) -> None:
        bad = not isinstance(label, str) or len(label) > 8164
        if not literal and isinstance(label, str):
            bad = bad or not label.strip() or "\n" in label or "\x00" in label
        if bad:
            msg = (
                "A label must not be blank or contain newlines or NULL characters and must be at most "
                "8164 characters long."
            )
            raise _Abort(
                problem_response(
                    400,
                    "invalid_label",
                    None,
                    {"errors": [{"detail": msg, "pointer": "#/label", "message": msg, "field": "#/label"}]},
                )
            )

    def check_uri(uri: Any, own_id: str | None = None) -> None:
        if uri is None:
            return
        if not isinstance(uri, str) or not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", uri):
            fail(400, "uri_not_absolute", f"The URI <{uri}> is not absolute.", uri=uri)
        for t in store.things():
            if t.get("uri") == uri and t["id"] != own_id:
                fail(400, "uri_already_in_use", f'The URI <{uri}> is already in use by "{t["id"]}".', uri=uri)

    def check_extraction(v: Any) -> str:
        if v is None:
            return "UNKNOWN"
        if v not in EXTRACTION:
            fail(
                400,
                "mismatched_json_input",
                f'Unknown extraction method "{v}".',
                pointer="#/extraction_method",
            )
        return str(v)

    def new_thing_id(requested: Any, prefix: str) -> str:
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
            t = store.thing(c)
            if t is None or t["_class"] != "class":
                fail(
                    400,
                    "invalid_class_collection",
                    f'The collection of classes "{classes}" contains one or more invalid classes.',
                    class_ids=classes,
                )
        return sorted(set(classes), key=natural_key)

    def make_resource(
        acc: Account, rid: str, label: str, classes: list[str], uri: Any = None, extraction: str = "UNKNOWN"
    ) -> Json:
        res = {
            "id": rid,
            "label": label,
            "classes": classes,
            "uri": uri,
            "shared": 0,
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
        store.put_thing({k: v for k, v in res.items() if k != "shared"})
        return res

    def make_literal(acc: Account, label: str, datatype: str, extraction: str = "UNKNOWN") -> Json:
        lit = {
            "id": store.new_id("L"),
            "label": label,
            "datatype": datatype,
            "created_at": now_iso(),
            "created_by": acc.id,
            "extraction_method": extraction,
            "modifiable": True,
            "_class": "literal",
        }
        store.put_thing(lit)
        return lit

    def make_predicate(
        acc: Account, pid: str, label: str, uri: Any = None, extraction: str = "UNKNOWN"
    ) -> Json:
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
        store.put_thing(pred)
        return pred

    def make_statement(
        acc: Account, s: str, p: str, o: str, sid: str | None = None, extraction: str = "UNKNOWN"
    ) -> str:
        st = {
            "id": sid or store.new_id("S"),
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

    def statement_repr(st: Json, counts: dict[str, int] | None = None) -> Json:
        def resolved(tid: str) -> Json:
            t = store.thing(tid)
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

    def objs(s: str, p: str) -> list[Json]:
        return [
            t for st in store.find_statements(s=s, p=p) if (t := store.thing(st["object_id"])) is not None
        ]

    def label_ref(t: Json) -> Json:
        return {"id": t["id"], "label": t["label"]}

    # ---- auth -----------------------------------------------------------------------
    @app.post("/realms/orkg/protocol/openid-connect/token")
    def token() -> Response:
        form = request.form

        def oauth_error(status: int, err: str, desc: str) -> Response:
            return Response(
                json.dumps({"error": err, "error_description": desc}),
                status=status,
                mimetype="application/json",
            )

        if form.get("client_id", "orkg-client") not in CLIENT_IDS:
            return oauth_error(401, "unauthorized_client", "Invalid client or Invalid client credentials")
        grant = form.get("grant_type")
        if grant == "password":
            acc = accounts.get(form.get("username", ""))
            if acc is None or acc.password != form.get("password"):
                return oauth_error(401, "invalid_grant", "Invalid user credentials")
        elif grant == "refresh_token":
            found = tokens.redeem_refresh(form.get("refresh_token", ""))
            if found is None:
                return oauth_error(400, "invalid_grant", "Invalid refresh token")
            acc = found
        else:
            return oauth_error(400, "unsupported_grant_type", "Unsupported grant type")
        return json_resp(tokens.issue(acc))

    @app.get("/api/user")
    def me() -> Response:
        acc = user(required=False)
        if acc is None:
            fail(401, "unauthorized", "Unauthorized.")
        return json_resp(
            {
                "id": acc.id,
                "email": acc.username,
                "display_name": acc.display_name,
                "created_at": "2024-12-20T10:00:00.000+01:00",
                "organization_id": None,
                "observatory_id": None,
                "is_curation_allowed": acc.curator,
            }
        )

    # ---- sandbox admin --------------------------------------------------------------
    @app.route("/_sandbox/faults", methods=["GET", "PUT", "POST"])
    def faults_admin() -> Response:
        if request.method != "GET":
            try:
                doc = json.loads(request.get_data() or b"{}")
                base = None if request.method == "PUT" else faults.config
                faults.configure(FaultConfig.from_dict(doc, base))
            except (ValueError, TypeError) as exc:
                fail(400, "invalid_fault_config", str(exc))
        return json_resp(faults.stats()["faults"])

    @app.route("/_sandbox/stats", methods=["GET", "DELETE"])
    def stats() -> Response:
        if request.method == "DELETE":
            faults.reset_stats()
        return json_resp(faults.stats())

    @app.get("/api/version")
    def version() -> Response:
        return json_resp({"version": "0.102.0-sandbox"})

    # ---- things ---------------------------------------------------------------------
    from orkg_sync.sandbox import routes_content, routes_graph, routes_templates

    helpers = {k: v for k, v in locals().items() if not k.startswith("_") and k != "app"}
    shared = {
        "fail": fail,
        "now_iso": now_iso,
        "natural_key": natural_key,
        "UNKNOWN": UNKNOWN,
        "ID_RE": ID_RE,
        "XSD": XSD,
        "CMP_TYPES": CMP_TYPES,
    }
    ctx = _Ctx(**shared, **helpers)
    routes_graph.register(app, ctx)
    routes_content.register(app, ctx)
    routes_templates.register(app, ctx)

    @app.errorhandler(_Abort)
    def _abort(e: _Abort) -> Response:
        return e.response

    return app


class _Abort(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__("abort")
        self.response = response


class _Ctx:
    """Bag of the shared helpers handed to the route modules."""

    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)

    def __getattr__(self, name: str) -> Callable[..., Any]:  # for mypy: helpers are dynamic
        raise AttributeError(name)


def _path_value(item: Json, prop: str, value: Callable[[Json, str], Any]) -> Any:
    if prop.startswith(("sub.", "obj.")):
        inner = item.get("subject" if prop.startswith("sub.") else "object") or {}
        return value(inner, prop.split(".", 1)[1])
    return value(item, prop)
