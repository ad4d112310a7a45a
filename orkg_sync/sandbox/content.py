"""Content-type building blocks shared by papers and comparisons: authors, lists, version refs."""

from __future__ import annotations

from orkg_sync.sandbox.auth import Account
from orkg_sync.sandbox.db import Json
from orkg_sync.sandbox.graph import lit_values, make_literal, make_resource, make_statement, objs
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store


def authors_of(s: str) -> list[Json]:
    """The ``hasAuthors`` list: literal authors by name, resource authors with ORCID and homepage."""
    out = []
    for lst in objs(s, "hasAuthors"):
        for el in objs(lst["id"], "hasListElement"):
            if el["_class"] == "literal":
                out.append({"id": None, "name": el["label"], "identifiers": {}, "homepage": None})
                continue
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
    return {"id": t["id"], "label": t["label"], "created_at": t["created_at"], "created_by": t["created_by"]}


def int_or_none(values: list[str]) -> int | None:
    for v in values:
        try:
            return int(v)
        except ValueError:
            continue
    return None


def new_list(acc: Account, label: str, elements: list[str]) -> str:
    store = get_store()
    lid = store.new_id("R")
    make_resource(acc, lid, label, ["List"])
    for i, el in enumerate(elements):
        sid = make_statement(acc, lid, "hasListElement", el)
        st = store.statement(sid)
        assert st is not None
        st["index"] = i
        store.put_statement(st)
    return lid


def author_ids(acc: Account, authors: list[Json]) -> list[str]:
    """List elements for request authors: an existing author resource by id, else a name literal."""
    store = get_store()
    out = []
    for a in authors:
        if not isinstance(a, dict) or set(a) - {"id", "name", "identifiers", "homepage"}:
            fail(400, "unknown_json_field", "Unknown field in authors.", pointer="#/authors")
        if a.get("id"):
            if store.thing(a["id"]) is None:
                fail(400, "author_not_found", f'Author "{a["id"]}" not found.', author_id=a["id"])
            out.append(a["id"])
        else:
            out.append(make_literal(acc, str(a.get("name", "")), "xsd:string")["id"])
    return out


def set_authors(acc: Account, subject: str, authors: list[Json]) -> None:
    store = get_store()
    for st in store.find_statements(s=subject, p="hasAuthors"):
        store.delete_statement(st["id"])
    make_statement(acc, subject, "hasAuthors", new_list(acc, "authors list", author_ids(acc, authors)))
