"""Contract tests: statements (create idempotency, errors, delete cascade), bundle and subgraph."""

from __future__ import annotations

import requests


def _new(sandbox, kind, body):
    r = requests.post(f"{sandbox.url}/api/{kind}", json=body, headers=sandbox.auth(), timeout=10)
    assert r.status_code == 201, r.text
    return r.headers["Location"].rsplit("/", 1)[1]


def test_get_statement_embeds_full_things(sandbox):
    body = requests.get(f"{sandbox.url}/api/statements/S9000001", timeout=10).json()
    assert set(body) == {
        "id",
        "subject",
        "predicate",
        "object",
        "created_at",
        "created_by",
        "extraction_method",
        "modifiable",
    }
    assert body["subject"]["id"] == "R9000003" and body["predicate"]["_class"] == "predicate"
    assert "shared" in body["object"]
    r = requests.get(f"{sandbox.url}/api/statements/S1", timeout=10)
    assert r.status_code == 404 and r.json()["type"] == "orkg:problem:statement_not_found"


def test_list_filters(sandbox):
    page = requests.get(
        f"{sandbox.url}/api/statements",
        params={"subject_id": "R790020", "predicate_id": "compareContribution", "size": 100},
        timeout=10,
    ).json()
    assert page["page"]["total_elements"] == 38
    assert {s["predicate"]["id"] for s in page["content"]} == {"compareContribution"}
    lits = requests.get(
        f"{sandbox.url}/api/statements",
        params={"subject_id": "R9000003", "object_classes": "Literal"},
        timeout=10,
    ).json()["content"]
    assert lits and all(s["object"]["_class"] == "literal" for s in lits)
    r = requests.get(f"{sandbox.url}/api/statements", params={"sort": "sub.label,asc", "size": 3}, timeout=10)
    assert r.status_code == 200
    r = requests.get(f"{sandbox.url}/api/statements", params={"sort": "subject,asc"}, timeout=10)
    assert r.status_code == 400 and r.json()["property_name"] == "subject"


def test_create_is_idempotent(sandbox):
    s = _new(sandbox, "resources", {"label": "s"})
    o = _new(sandbox, "resources", {"label": "o"})
    body = {"subject_id": s, "predicate_id": "P32", "object_id": o}
    first = requests.post(f"{sandbox.url}/api/statements", json=body, headers=sandbox.auth(), timeout=10)
    second = requests.post(f"{sandbox.url}/api/statements", json=body, headers=sandbox.auth(), timeout=10)
    assert first.status_code == second.status_code == 201
    assert first.headers["Location"] == second.headers["Location"]
    assert requests.get(f"{sandbox.url}/api/resources/{o}", timeout=10).json()["shared"] == 1
    # a client-chosen id is ignored (StatementController.kt): the existing statement answers
    chosen = requests.post(
        f"{sandbox.url}/api/statements", json=body | {"id": "S77777777"}, headers=sandbox.auth(), timeout=10
    )
    assert chosen.status_code == 201 and chosen.headers["Location"] == first.headers["Location"]


def test_create_with_missing_parts_is_400(sandbox):
    s = _new(sandbox, "resources", {"label": "s2"})
    for field, kind in (("subject_id", "subject"), ("predicate_id", "predicate"), ("object_id", "object")):
        body = {"subject_id": s, "predicate_id": "P32", "object_id": s} | {field: "Rmissing"}
        r = requests.post(f"{sandbox.url}/api/statements", json=body, headers=sandbox.auth(), timeout=10)
        assert r.status_code == 400
        assert r.json()["type"] == f"orkg:problem:statement_{kind}_not_found"


def test_literal_subject_is_400(sandbox):
    r = requests.post(
        f"{sandbox.url}/api/statements",
        json={"subject_id": "L9000001", "predicate_id": "P32", "object_id": "R790020"},
        headers=sandbox.auth(),
        timeout=10,
    )
    assert r.status_code == 400


def test_update_keeps_id(sandbox):
    s = _new(sandbox, "resources", {"label": "s3"})
    a = _new(sandbox, "literals", {"label": "a"})
    b = _new(sandbox, "literals", {"label": "b"})
    sid = _new(sandbox, "statements", {"subject_id": s, "predicate_id": "P32", "object_id": a})
    r = requests.put(
        f"{sandbox.url}/api/statements/{sid}", json={"object_id": b}, headers=sandbox.auth(), timeout=10
    )
    assert r.status_code == 204
    assert requests.get(f"{sandbox.url}/api/statements/{sid}", timeout=10).json()["object"]["id"] == b


def test_delete_cascades_orphan_literal_and_missing_is_204(sandbox):
    s = _new(sandbox, "resources", {"label": "s4"})
    lit = _new(sandbox, "literals", {"label": "gone"})
    kept = _new(sandbox, "literals", {"label": "kept"})
    sid = _new(sandbox, "statements", {"subject_id": s, "predicate_id": "P32", "object_id": lit})
    sid2 = _new(sandbox, "statements", {"subject_id": s, "predicate_id": "P32", "object_id": kept})
    _new(sandbox, "statements", {"subject_id": s, "predicate_id": "P29", "object_id": kept})
    h = sandbox.auth()
    assert requests.delete(f"{sandbox.url}/api/statements/{sid}", headers=h, timeout=10).status_code == 204
    assert requests.get(f"{sandbox.url}/api/literals/{lit}", timeout=10).status_code == 404
    assert requests.delete(f"{sandbox.url}/api/statements/{sid2}", headers=h, timeout=10).status_code == 204
    assert requests.get(f"{sandbox.url}/api/literals/{kept}", timeout=10).status_code == 200
    assert (
        requests.delete(f"{sandbox.url}/api/statements/S424242424", headers=h, timeout=10).status_code == 204
    )


def test_bundle(sandbox):
    r = requests.get(f"{sandbox.url}/api/statements/R9000003/bundle", timeout=10)
    body = r.json()
    assert body["root"] == "R9000003"
    ids = {s["id"] for s in body["statements"]}
    subjects = {s["subject"]["id"] for s in body["statements"]}
    assert "R9000005" in subjects  # reached the contributions
    stamps = [s["created_at"] for s in body["statements"]]
    assert stamps == sorted(stamps, reverse=True)
    one = requests.get(
        f"{sandbox.url}/api/statements/R9000003/bundle", params={"maxLevel": 1}, timeout=10
    ).json()
    assert {s["subject"]["id"] for s in one["statements"]} == {"R9000003"}
    assert len(one["statements"]) < len(ids)
    assert requests.get(f"{sandbox.url}/api/statements/NOPE/bundle", timeout=10).status_code == 404


def test_subgraph_paged(sandbox):
    r = requests.get(f"{sandbox.url}/api/things/R9000005/subgraph", params={"size": 2500}, timeout=10)
    body = r.json()
    assert set(body) == {"content", "page"} and body["page"]["total_elements"] > 0
    assert all(
        s["subject"]["id"] == "R9000005" or s["subject"]["_class"] == "resource" for s in body["content"]
    )
    bad = requests.get(
        f"{sandbox.url}/api/things/R9000005/subgraph", params={"min_hops": 3, "max_hops": 2}, timeout=10
    )
    assert bad.status_code == 400 and bad.json()["type"] == "orkg:problem:invalid_hop_bounds"


def test_indexed_page_matches_the_sorted_listing(sandbox):
    """The O(page) path (no filters but s/p/o) orders exactly like the general sorted listing."""

    def ids(**params):
        r = requests.get(f"{sandbox.url}/api/statements", params=params, timeout=30)
        assert r.status_code == 200
        body = r.json()
        return [s["id"] for s in body["content"]], body["page"]["total_elements"]

    fast, total = ids(size=2500)
    slow, slow_total = ids(size=2500, sort="created_at,asc")
    assert fast == slow and total == slow_total >= 399
    for n in (0, 3):
        assert ids(size=7, page=n)[0] == slow[n * 7 : (n + 1) * 7]
    by_subject, _ = ids(subject_id="R9000003", size=50)
    assert by_subject == ids(subject_id="R9000003", size=50, sort="created_at,asc")[0]
    page = requests.get(f"{sandbox.url}/api/statements", params={"object_id": "R9000001"}, timeout=10).json()
    assert all(s["object"]["id"] == "R9000001" for s in page["content"])
    assert page["content"][0]["object"]["shared"] == page["page"]["total_elements"]
