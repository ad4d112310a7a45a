"""Content-type endpoints: papers (paper.v2), contributions (contribution.v2), comparisons (comparison.v3)."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request

from orkg_sync.sandbox import tables
from orkg_sync.sandbox.db import Json
from orkg_sync.sandbox.routes_graph import _create_statement, _datatype

MT_PAPER = "application/vnd.orkg.paper.v2+json"
MT_CONTRIB = "application/vnd.orkg.contribution.v2+json"
MT_CMP = "application/vnd.orkg.comparison.v3+json"


def register(app: Flask, c: Any) -> None:
    store, fail = c.store, c.fail

    def lit_values(s: str, p: str) -> list[str]:
        return [t["label"] for t in c.objs(s, p) if t["_class"] == "literal"]

    def authors_of(s: str) -> list[Json]:
        out = []
        for lst in c.objs(s, "hasAuthors"):
            for el in c.objs(lst["id"], "hasListElement"):
                if el["_class"] == "literal":
                    out.append({"id": None, "name": el["label"], "identifiers": {}, "homepage": None})
                else:
                    ids: Json = {}
                    orcid = lit_values(el["id"], "HAS_ORCID")
                    if orcid:
                        ids["orcid"] = orcid
                    homepage = lit_values(el["id"], "website")
                    out.append(
                        {
                            "id": el["id"],
                            "name": el["label"],
                            "identifiers": ids,
                            "homepage": homepage[0] if homepage else None,
                        }
                    )
        return out

    def version_ref(t: Json) -> Json:
        return {
            "id": t["id"],
            "label": t["label"],
            "created_at": t["created_at"],
            "created_by": t["created_by"],
        }

    def int_or_none(values: list[str]) -> int | None:
        for v in values:
            try:
                return int(v)
            except ValueError:
                continue
        return None

    # ---- papers ---------------------------------------------------------------------
    def paper_repr(p: Json) -> Json:
        pid = p["id"]
        venue = [t for t in c.objs(pid, "HAS_VENUE")]
        url = lit_values(pid, "url")
        dois = lit_values(pid, "P26")
        return {
            "id": pid,
            "title": p["label"],
            "research_fields": [c.label_ref(t) for t in c.objs(pid, "P30")],
            "identifiers": {"doi": dois} if dois else {},
            "publication_info": {
                "published_month": int_or_none(lit_values(pid, "P28")),
                "published_year": int_or_none(lit_values(pid, "P29")),
                "published_in": c.label_ref(venue[0]) if venue else None,
                "url": url[0] if url else None,
            },
            "authors": authors_of(pid),
            "versions": {"head": version_ref(p), "published": []},
            "contributions": [c.label_ref(t) for t in c.objs(pid, "P31")],
            "sdgs": [c.label_ref(t) for t in c.objs(pid, "sustainableDevelopmentGoal")],
            "mentionings": [
                {
                    "id": t["id"],
                    "label": t["label"],
                    "classes": t.get("classes", []),
                    "uri": t.get("uri"),
                    "_class": "resource_ref",
                }
                for t in c.objs(pid, "mentions")
            ],
            "observatories": [p["observatory_id"]]
            if p.get("observatory_id") not in (None, c.UNKNOWN)
            else [],
            "organizations": [p["organization_id"]]
            if p.get("organization_id") not in (None, c.UNKNOWN)
            else [],
            "extraction_method": p.get("extraction_method", "UNKNOWN"),
            "created_at": p["created_at"],
            "created_by": p["created_by"],
            "verified": p.get("verified", False),
            "visibility": p.get("visibility", "DEFAULT"),
            "modifiable": p.get("modifiable", True),
            "published": False,
            "_class": "paper",
        }

    def paper_or_404(pid: str) -> Json:
        t = store.thing(pid)
        if t is None or t["_class"] != "resource" or "Paper" not in t.get("classes", []):
            fail(404, "paper_not_found", f'Paper "{pid}" not found.', paper_id=pid)
        return t

    @app.get("/api/papers/<pid>")
    def get_paper(pid: str) -> Response:
        mt = c.negotiate(MT_PAPER)
        return c.json_resp(paper_repr(paper_or_404(pid)), mt)

    @app.get("/api/papers")
    def list_papers() -> Response:
        mt = c.negotiate(MT_PAPER)
        items = [t for t in store.things("resource") if "Paper" in t.get("classes", [])]
        items, fuzzy = c.label_filter(items, param="title")
        if request.args.get("doi"):
            items = [
                t
                for t in items
                if request.args["doi"].lower() in [d.lower() for d in lit_values(t["id"], "P26")]
            ]
        if request.args.get("research_field"):
            items = [
                t
                for t in items
                if request.args["research_field"] in [x["id"] for x in c.objs(t["id"], "P30")]
            ]
        items = c.common_filters(items)
        if request.method == "HEAD":  # existence check by doi/title: 200 + Location, or 404
            if not items:
                return Response(status=404)
            root = request.url_root.rstrip("/")
            return Response(status=200, headers={"Location": f"{root}/api/papers/{items[0]['id']}"})
        resp = c.page(
            [paper_repr(t) for t in items],
            "resource",
            sortable=not fuzzy,
            default="created_at" if not fuzzy else "__keep",
        )
        resp.mimetype = mt
        return resp

    def new_list(acc: Any, label: str, elements: list[str]) -> str:
        lid = store.new_id("R")
        c.make_resource(acc, lid, label, ["List"])
        for i, el in enumerate(elements):
            sid = c.make_statement(acc, lid, "hasListElement", el)
            st = store.statement(sid)
            st["index"] = i
            store.put_statement(st)
        return lid

    def author_ids(acc: Any, authors: list[Json]) -> list[str]:
        out = []
        for a in authors:
            if not isinstance(a, dict) or set(a) - {"id", "name", "identifiers", "homepage"}:
                fail(400, "unknown_json_field", "Unknown field in authors.", pointer="#/authors")
            if a.get("id"):
                if store.thing(a["id"]) is None:
                    fail(400, "author_not_found", f'Author "{a["id"]}" not found.', author_id=a["id"])
                out.append(a["id"])
            else:
                out.append(c.make_literal(acc, str(a.get("name", "")), "xsd:string")["id"])
        return out

    def contribution_graph(acc: Any, target: str, body: Json, extraction: str) -> str:
        """Create one contribution from the temp-id request shape; returns its id."""
        temp: dict[str, str] = {}
        for key, _kind in (("resources", "R"), ("literals", "L"), ("predicates", "P"), ("lists", "R")):
            for tid in body.get(key) or {}:
                if not str(tid).startswith("#"):
                    fail(
                        400,
                        "invalid_temp_id",
                        f'Invalid temp id "{tid}". Requires "#" as prefix.',
                        temp_id=tid,
                    )
                if tid in temp:
                    fail(400, "duplicate_temp_ids", f'Duplicate temp id "{tid}".', temp_id=tid)
                temp[tid] = ""
        for tid, spec in (body.get("resources") or {}).items():
            classes = c.check_classes(spec.get("classes"))
            rid = store.new_id("R")
            c.make_resource(acc, rid, spec["label"], classes, None, extraction)
            temp[tid] = rid
        for tid, spec in (body.get("literals") or {}).items():
            temp[tid] = c.make_literal(acc, spec["label"], _datatype(c, spec.get("data_type")), extraction)[
                "id"
            ]
        for tid, spec in (body.get("predicates") or {}).items():
            pid = store.new_id("P")
            c.make_predicate(acc, pid, spec["label"], None, extraction)
            if spec.get("description"):
                lit = c.make_literal(acc, spec["description"], "xsd:string")
                c.make_statement(acc, pid, "description", lit["id"])
            temp[tid] = pid

        def resolve(ref: str) -> str:
            if ref.startswith("#"):
                if ref not in temp:
                    fail(400, "thing_not_defined", f'Thing "{ref}" not defined.', thing_id=ref)
                return temp[ref]
            if store.thing(ref) is None:
                fail(400, "thing_not_found", f'Thing "{ref}" not found.', thing_id=ref)
            return ref

        for tid, spec in (body.get("lists") or {}).items():
            temp[tid] = new_list(acc, spec.get("label", ""), [resolve(e) for e in spec.get("elements", [])])
        contrib: Json = body.get("contribution")  # type: ignore[assignment]
        if not isinstance(contrib, dict):
            fail(
                400,
                "mismatched_json_input",
                'Field "#/contribution" is either missing or null.',
                pointer="#/contribution",
            )
        if not contrib.get("statements"):
            fail(400, "empty_contribution", "The contribution does not contain any statements.")
        cid = store.new_id("R")
        classes = sorted(set(["Contribution", *c.check_classes(contrib.get("classes"))]))
        c.make_resource(acc, cid, contrib.get("label", ""), classes, None, extraction)

        def walk(subject: str, statements: Json) -> None:
            for pred, objects in statements.items():
                p = resolve(pred)
                for o in objects:
                    oid = resolve(o["id"])
                    _create_statement(
                        c,
                        acc,
                        {
                            "subject_id": subject,
                            "predicate_id": p,
                            "object_id": oid,
                            "extraction_method": extraction,
                        },
                    )
                    if o.get("statements"):
                        walk(oid, o["statements"])

        walk(cid, contrib["statements"])
        c.make_statement(acc, target, "P31", cid, None, extraction)
        return cid

    @app.post("/api/papers")
    def create_paper() -> Response:
        acc = c.user()
        c.consumes(MT_PAPER)
        b = c.body(
            {
                "title",
                "research_fields",
                "identifiers",
                "publication_info",
                "authors",
                "sdgs",
                "mentionings",
                "observatories",
                "organizations",
                "contents",
                "extraction_method",
            },
            {"title", "research_fields", "authors"},
        )
        c.check_label(b["title"])
        if len(b["research_fields"]) != 1:
            fail(400, "invalid_research_field_count", "Exactly one research field is required.")
        extraction = c.check_extraction(b.get("extraction_method"))
        with store.tx():
            pid = store.new_id("R")
            c.make_resource(acc, pid, b["title"], ["Paper"], None, extraction)
            rf = b["research_fields"][0]
            if store.thing(rf) is None:
                fail(
                    404, "research_field_not_found", f'Research field "{rf}" not found.', research_field_id=rf
                )
            c.make_statement(acc, pid, "P30", rf)
            for doi in (b.get("identifiers") or {}).get("doi", []):
                c.make_statement(acc, pid, "P26", c.make_literal(acc, doi, "xsd:string")["id"])
            info = b.get("publication_info") or {}
            for key, pred, dt in (
                ("published_month", "P28", "xsd:integer"),
                ("published_year", "P29", "xsd:integer"),
                ("url", "url", "xsd:anyURI"),
            ):
                if info.get(key) is not None:
                    c.make_statement(acc, pid, pred, c.make_literal(acc, str(info[key]), dt)["id"])
            if info.get("published_in"):
                vid = store.new_id("R")
                c.make_resource(acc, vid, info["published_in"], ["Venue"] if store.thing("Venue") else [])
                c.make_statement(acc, pid, "HAS_VENUE", vid)
            if b["authors"]:
                c.make_statement(
                    acc, pid, "hasAuthors", new_list(acc, "authors list", author_ids(acc, b["authors"]))
                )
            for sdg in b.get("sdgs") or []:
                c.make_statement(acc, pid, "sustainableDevelopmentGoal", sdg)
            for contrib in (b.get("contents") or {}).get("contributions", []):
                contents = dict(b["contents"])
                contents.pop("contributions")
                contribution_graph(acc, pid, contents | {"contribution": contrib}, extraction)
        return c.created(f"/api/papers/{pid}")

    @app.post("/api/papers/<pid>/contributions")
    def create_contribution(pid: str) -> Response:
        acc = c.user()
        c.consumes(MT_CONTRIB)
        b = c.body(
            {"resources", "literals", "predicates", "lists", "contribution", "extraction_method"},
            {"contribution"},
        )
        with store.tx():
            paper_or_404(pid)
            cid = contribution_graph(acc, pid, b, c.check_extraction(b.get("extraction_method")))
        return c.created(f"/api/contributions/{cid}")

    def contribution_repr(t: Json) -> Json:
        props: dict[str, list[str]] = {}
        for st in store.find_statements(s=t["id"]):
            props.setdefault(st["predicate_id"], []).append(st["object_id"])
        return {
            "id": t["id"],
            "label": t["label"],
            "classes": t.get("classes", []),
            "properties": props,
            "extraction_method": t.get("extraction_method", "UNKNOWN"),
            "created_at": t["created_at"],
            "created_by": t["created_by"],
            "visibility": t.get("visibility", "DEFAULT"),
        }

    @app.get("/api/contributions/<cid>")
    def get_contribution(cid: str) -> Response:
        mt = c.negotiate(MT_CONTRIB)
        t = store.thing(cid)
        if t is None or "Contribution" not in t.get("classes", []):
            fail(404, "contribution_not_found", f'Contribution "{cid}" not found.', contribution_id=cid)
        return c.json_resp(contribution_repr(t), mt)

    @app.get("/api/contributions")
    def list_contributions() -> Response:
        mt = c.negotiate(MT_CONTRIB)
        items = [
            contribution_repr(t) for t in store.things("resource") if "Contribution" in t.get("classes", [])
        ]
        resp = c.page(items, "resource")
        resp.mimetype = mt
        return resp

    # ---- comparisons ----------------------------------------------------------------------
    def head_of(cid: str) -> str:
        heads = [st["subject_id"] for st in store.find_statements(p="hasPublishedVersion", o=cid)]
        return heads[0] if heads else cid

    def sources_of(cid: str) -> list[str]:
        return [st["object_id"] for st in store.find_statements(s=cid, p="compareContribution")]

    def comparison_or_404(cid: str) -> Json:
        t = store.thing(cid)
        if (
            t is None
            or t["_class"] != "resource"
            or not {"Comparison", "ComparisonPublished"} & set(t["classes"])
        ):
            fail(404, "comparison_not_found", f'Comparison "{cid}" not found.', comparison_id=cid)
        return t

    def comparison_repr(t: Json) -> Json:
        cid = t["id"]
        head = store.thing(head_of(cid)) or t
        published = [x for x in c.objs(head["id"], "hasPublishedVersion")]
        published.sort(key=lambda x: (x["created_at"], c.natural_key(x["id"])), reverse=True)
        years = lit_values(cid, "P29")
        year = next((int(y) for y in years if y.isdigit() and len(y) == 4), None)
        month = int_or_none(lit_values(cid, "P28")) or next(
            (int(y) for y in years if y.isdigit() and len(y) <= 2), None
        )
        cls = set(t["classes"])
        ctype = next((x for x in sorted(cls) if x in c.CMP_TYPES), "UNKNOWN")
        anon = lit_values(cid, "IsAnonymized")
        desc = lit_values(cid, "description")
        return {
            "id": cid,
            "type": ctype,
            "title": t["label"],
            "description": desc[0] if desc else None,
            "research_fields": [c.label_ref(x) for x in c.objs(cid, "hasSubject")],
            "identifiers": {"doi": lit_values(cid, "P26")} if lit_values(cid, "P26") else {},
            "publication_info": {
                "published_month": month,
                "published_year": year,
                "published_in": None,
                "url": None,
            },
            "authors": authors_of(cid),
            "search_protocol": {
                "inclusion_criteria": None,
                "exclusion_criteria": None,
                "search_engines": [],
                "search_strings": [],
                "research_questions": [],
                "number_of_studies_originally_returned": None,
                "number_of_studies_retained": None,
            },
            "sdgs": [c.label_ref(x) for x in c.objs(cid, "sustainableDevelopmentGoal")],
            "sources": [{"id": s, "type": "THING"} for s in sources_of(cid)],
            "visualizations": [c.label_ref(x) for x in c.objs(cid, "hasVisualization")],
            "related_figures": [c.label_ref(x) for x in c.objs(cid, "RelatedFigure")],
            "related_resources": [c.label_ref(x) for x in c.objs(cid, "RelatedResource")],
            "references": lit_values(cid, "reference"),
            "observatories": [t["observatory_id"]]
            if t.get("observatory_id") not in (None, c.UNKNOWN)
            else [],
            "organizations": [t["organization_id"]]
            if t.get("organization_id") not in (None, c.UNKNOWN)
            else [],
            "extraction_method": t.get("extraction_method", "UNKNOWN"),
            "created_at": t["created_at"],
            "created_by": t["created_by"],
            "versions": {
                "head": version_ref(head),
                "published": [
                    version_ref(x) | {"changelog": next(iter(lit_values(x["id"], "description")), None)}
                    for x in published
                ],
            },
            "is_anonymized": bool(anon and anon[0].lower() == "true"),
            "visibility": t.get("visibility", "DEFAULT"),
            "published": "ComparisonPublished" in cls,
            "_class": "comparison",
        }

    @app.get("/api/comparisons/<cid>")
    def get_comparison(cid: str) -> Response:
        mt = c.negotiate(MT_CMP)
        return c.json_resp(comparison_repr(comparison_or_404(cid)), mt)

    @app.get("/api/comparisons")
    def list_comparisons() -> Response:
        mt = c.negotiate(MT_CMP)
        items = [
            t for t in store.things("resource") if {"Comparison", "ComparisonPublished"} & set(t["classes"])
        ]
        items, fuzzy = c.label_filter(items, param="title")
        pub = request.args.get("published")
        if pub is not None:
            items = [t for t in items if ("ComparisonPublished" in t["classes"]) == (pub.lower() == "true")]
        if request.args.get("doi"):
            items = [t for t in items if request.args["doi"] in lit_values(t["id"], "P26")]
        items = c.common_filters(items)
        resp = c.page(
            [comparison_repr(t) for t in items],
            "resource",
            sortable=not fuzzy,
            default="created_at" if not fuzzy else "__keep",
        )
        resp.mimetype = mt
        return resp

    cmp_fields = {
        "title",
        "description",
        "research_fields",
        "authors",
        "sources",
        "references",
        "observatories",
        "organizations",
        "is_anonymized",
        "type",
        "search_protocol",
        "sdgs",
        "visualizations",
        "extraction_method",
    }

    def set_sources(acc: Any, cid: str, sources: list[Json]) -> None:
        ids = [s.get("id") for s in sources]
        if len(set(ids)) != len(ids):
            fail(400, "duplicate_comparison_sources", "Duplicate comparison sources.")
        for s in sources:
            if set(s) - {"id", "type"} or s.get("type", "THING") not in ("THING", "ROSETTA_STONE_STATEMENT"):
                fail(400, "mismatched_json_input", "Invalid source.", pointer="#/sources")
            if store.thing(s["id"]) is None:
                fail(404, "thing_not_found", f'Thing "{s["id"]}" not found.', thing_id=s["id"])
        for st in store.find_statements(s=cid, p="compareContribution"):
            if st["object_id"] not in ids:
                store.delete_statement(st["id"])
        have = set(sources_of(cid))
        for source_id in ids:
            if source_id not in have:
                c.make_statement(acc, cid, "compareContribution", source_id)

    def set_literals(acc: Any, cid: str, pred: str, values: list[str], dt: str = "xsd:string") -> None:
        for st in store.find_statements(s=cid, p=pred):
            from orkg_sync.sandbox.routes_graph import _delete_statement

            _delete_statement(c, st["id"])
        for v in values:
            c.make_statement(acc, cid, pred, c.make_literal(acc, v, dt)["id"])

    def set_objects(acc: Any, cid: str, pred: str, ids: list[str]) -> None:
        for st in store.find_statements(s=cid, p=pred):
            store.delete_statement(st["id"])
        for i in ids:
            if store.thing(i) is None:
                fail(404, "thing_not_found", f'Thing "{i}" not found.', thing_id=i)
            c.make_statement(acc, cid, pred, i)

    def apply_comparison(acc: Any, cid: str, b: Json) -> None:
        if b.get("description") is not None:
            set_literals(acc, cid, "description", [b["description"]])
        if b.get("research_fields") is not None:
            if len(b["research_fields"]) != 1:
                fail(400, "invalid_research_field_count", "Exactly one research field is required.")
            set_objects(acc, cid, "hasSubject", b["research_fields"])
        if b.get("authors") is not None:
            for st in store.find_statements(s=cid, p="hasAuthors"):
                store.delete_statement(st["id"])
            c.make_statement(
                acc, cid, "hasAuthors", new_list(acc, "authors list", author_ids(acc, b["authors"]))
            )
        if b.get("sources") is not None:
            set_sources(acc, cid, b["sources"])
        if b.get("references") is not None:
            set_literals(acc, cid, "reference", b["references"])
        if b.get("is_anonymized") is not None:
            set_literals(acc, cid, "IsAnonymized", [str(bool(b["is_anonymized"])).lower()], "xsd:boolean")
        if b.get("sdgs") is not None:
            set_objects(acc, cid, "sustainableDevelopmentGoal", b["sdgs"])
        if b.get("visualizations") is not None:
            set_objects(acc, cid, "hasVisualization", b["visualizations"])

    @app.post("/api/comparisons")
    def create_comparison() -> Response:
        acc = c.user()
        c.consumes(MT_CMP)
        b = c.body(
            cmp_fields,
            {
                "title",
                "description",
                "research_fields",
                "authors",
                "sources",
                "references",
                "observatories",
                "organizations",
                "is_anonymized",
            },
        )
        c.check_label(b["title"])
        ctype = b.get("type") or "UNKNOWN"
        if ctype != "UNKNOWN" and ctype not in c.CMP_TYPES:
            fail(400, "mismatched_json_input", f'Invalid type "{ctype}".', pointer="#/type")
        with store.tx():
            cid = store.new_id("R")
            classes = ["Comparison"] + ([ctype] if ctype != "UNKNOWN" and store.thing(ctype) else [])
            c.make_resource(
                acc, cid, b["title"], classes, None, c.check_extraction(b.get("extraction_method"))
            )
            apply_comparison(acc, cid, b)
            store.put_table(cid, tables.initial_paths(store, sources_of(cid)), None)
        return c.created(f"/api/comparisons/{cid}")

    @app.put("/api/comparisons/<cid>")
    def update_comparison(cid: str) -> Response:
        acc = c.user()
        c.consumes(MT_CMP)
        b = c.body(cmp_fields | {"visibility"})
        with store.tx():
            t = comparison_or_404(cid)
            if "ComparisonPublished" in t["classes"]:
                fail(
                    403,
                    "comparison_not_modifiable",
                    f'Comparison "{cid}" is not modifiable.',
                    comparison_id=cid,
                )
            if b.get("title") is not None:
                c.check_label(b["title"])
                t["label"] = b["title"]
            if b.get("visibility") is not None and b["visibility"] != t.get("visibility"):
                if not acc.curator and t["created_by"] != acc.id:
                    fail(
                        403, "neither_owner_nor_curator", "Neither owner nor curator.", contributor_id=acc.id
                    )
                t["visibility"] = b["visibility"]
            store.put_thing(t)
            apply_comparison(acc, cid, b)
        return c.updated(f"/api/comparisons/{cid}")

    @app.delete("/api/comparisons/<cid>")
    def delete_comparison(cid: str) -> Response:
        acc = c.user()
        c.consumes(MT_CMP)
        with store.tx():
            t = store.thing(cid)
            if t is None:
                return Response(status=204)
            comparison_or_404(cid)
            if "ComparisonPublished" in t["classes"] or c.objs(cid, "hasPublishedVersion"):
                fail(
                    403,
                    "comparison_already_published",
                    f'Comparison "{cid}" is already published.',
                    comparison_id=cid,
                )
            if not t.get("modifiable", True) or store.shared(cid):
                fail(
                    403,
                    "comparison_not_modifiable",
                    f'Comparison "{cid}" is not modifiable.',
                    comparison_id=cid,
                )
            if t["created_by"] != acc.id and not acc.curator:
                fail(403, "neither_owner_nor_curator", "Neither owner nor curator.", contributor_id=acc.id)
            from orkg_sync.sandbox.routes_graph import _delete_statement

            for st in store.find_statements(s=cid):
                _delete_statement(c, st["id"])
            store.delete_thing(cid)
            store.delete_table(cid)
        return Response(status=204)

    @app.get("/api/comparisons/<cid>/table-paths")
    def table_paths(cid: str) -> Response:
        mt = c.negotiate(MT_CMP)
        comparison_or_404(cid)
        return c.json_resp(tables.table_paths(store, sources_of(cid)), mt)

    def contents_of(cid: str) -> Json:
        t = comparison_or_404(cid)
        stored = store.table(cid)
        if "ComparisonPublished" in t["classes"]:
            if stored is None or stored[1] is None:
                fail(
                    404,
                    "comparison_table_not_found",
                    f'Comparison table for "{cid}" not found.',
                    comparison_id=cid,
                )
            return stored[1]
        paths = stored[0] if stored else []
        return tables.live_contents(store, sources_of(cid), paths)

    @app.get("/api/comparisons/<cid>/contents")
    def get_contents(cid: str) -> Response:
        mt = c.negotiate(MT_CMP, ("text/csv",))
        contents = contents_of(cid)
        if mt == "text/csv":
            transposed = "transposed=true" in request.headers.get("Accept", "").replace(" ", "").lower()
            return Response(tables.contents_csv(contents, transposed=transposed), mimetype="text/csv")
        return c.json_resp(contents, mt)

    @app.put("/api/comparisons/<cid>/contents")
    def put_contents(cid: str) -> Response:
        c.user()
        c.consumes(MT_CMP)
        b = c.body({"selected_paths"}, {"selected_paths"})
        with store.tx():
            t = comparison_or_404(cid)
            if "ComparisonPublished" in t["classes"]:
                fail(
                    403,
                    "comparison_already_published",
                    f'Comparison "{cid}" is already published.',
                    comparison_id=cid,
                )
            for p in b["selected_paths"]:
                if not isinstance(p, dict) or set(p) - {
                    "id",
                    "type",
                    "children",
                    "label",
                    "description",
                    "sources",
                }:
                    fail(
                        400,
                        "unknown_json_field",
                        "Unknown field in selected_paths.",
                        pointer="#/selected_paths",
                    )
                if p.get("children") is None:
                    fail(400, "mismatched_json_input", "children is required.", pointer="#/selected_paths")
            filled = tables.fill_labels(store, b["selected_paths"])
            if isinstance(filled, str):
                fail(
                    404, "comparison_path_not_found", f'Comparison path "{filled}" not found.', path_id=filled
                )
            store.put_table(cid, filled, None)
        return c.updated(f"/api/comparisons/{cid}/contents")

    @app.post("/api/comparisons/<cid>/publish")
    def publish(cid: str) -> Response:
        acc = c.user()
        c.consumes_json()
        b = c.body({"subject", "description", "authors", "assign_doi"}, {"subject", "description", "authors"})
        if not b["authors"]:
            fail(400, "mismatched_json_input", "At least one author is required.", pointer="#/authors")
        with store.tx():
            t = comparison_or_404(cid)
            if "ComparisonPublished" in t["classes"]:
                fail(
                    403,
                    "comparison_already_published",
                    f'Comparison "{cid}" is already published.',
                    comparison_id=cid,
                )
            sources = sources_of(cid)
            if len(set(sources)) < 2:
                fail(
                    400,
                    "requires_at_least_two_sources",
                    "A comparison needs at least two sources to be published.",
                )
            frozen = contents_of(cid)
            vid = store.new_id("R")
            extra = [x for x in t["classes"] if x in c.CMP_TYPES]
            c.make_resource(
                acc,
                vid,
                t["label"],
                ["ComparisonPublished", "LatestVersion", *extra],
                None,
                t.get("extraction_method", "UNKNOWN"),
            )
            current = comparison_repr(t)
            for st in store.find_statements(s=cid):
                if st["predicate_id"] in (
                    "hasSubject",
                    "compareContribution",
                    "sustainableDevelopmentGoal",
                    "hasVisualization",
                    "RelatedFigure",
                    "RelatedResource",
                    "reference",
                    "IsAnonymized",
                ):
                    obj = store.thing(st["object_id"])
                    if obj and obj["_class"] == "literal":
                        oid = c.make_literal(acc, obj["label"], obj["datatype"])["id"]
                    else:
                        oid = st["object_id"]
                    c.make_statement(acc, vid, st["predicate_id"], oid)
            c.make_statement(
                acc, vid, "description", c.make_literal(acc, b["description"], "xsd:string")["id"]
            )
            c.make_statement(
                acc, vid, "hasAuthors", new_list(acc, "authors list", author_ids(acc, b["authors"]))
            )
            now = c.now_iso()
            c.make_statement(acc, vid, "P29", c.make_literal(acc, now[:4], "xsd:integer")["id"])
            # Quirk kept from ComparisonPublicationInfoCreator.kt: the month also goes under P29.
            c.make_statement(acc, vid, "P29", c.make_literal(acc, str(int(now[5:7])), "xsd:integer")["id"])
            for old in c.objs(cid, "hasPublishedVersion"):
                if "LatestVersion" in old["classes"]:
                    old["classes"] = ["ComparisonPublished"]
                    store.put_thing({k: v for k, v in old.items() if k != "shared"})
            c.make_statement(acc, cid, "hasPublishedVersion", vid)
            if b.get("assign_doi"):
                c.make_statement(
                    acc, vid, "P26", c.make_literal(acc, f"10.48366/{vid.lower()}", "xsd:string")["id"]
                )
            store.put_table(vid, frozen["selected_paths"], frozen)
            del current
        return c.created(f"/api/comparisons/{vid}")
