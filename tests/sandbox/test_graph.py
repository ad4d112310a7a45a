"""Contract tests: things (resources, predicates, literals, classes), paging, errors, auth basics."""

from __future__ import annotations

import requests

RESOURCE_FIELDS = {
    "id",
    "label",
    "classes",
    "uri",
    "shared",
    "observatory_id",
    "organization_id",
    "created_at",
    "created_by",
    "featured",
    "unlisted",
    "visibility",
    "verified",
    "formatted_label",
    "extraction_method",
    "_class",
    "modifiable",
}
PROBLEM_FIELDS = {"type", "title", "status", "instance", "error", "path", "timestamp"}


def test_resource_representation_has_every_field(sandbox):
    r = requests.get(f"{sandbox.url}/api/resources/R790020", timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == RESOURCE_FIELDS
    assert body["_class"] == "resource" and "ComparisonPublished" in body["classes"]
    assert body["uri"] is None and body["formatted_label"] is None
    assert body["created_at"].endswith("+01:00")
    assert body["shared"] == 1  # the head's hasPublishedVersion statement


def test_missing_resource_is_problem_json(sandbox):
    r = requests.get(f"{sandbox.url}/api/resources/R1234567890", timeout=10)
    assert r.status_code == 404
    assert r.headers["Content-Type"] == "application/problem+json"
    body = r.json()
    assert set(body) >= PROBLEM_FIELDS
    assert body["type"] == "orkg:problem:resource_not_found"
    assert body["resource_id"] == "R1234567890"
    assert body["message"] == body["detail"] and body["path"] == "/api/resources/R1234567890"


def test_trailing_slash_redirects_308_keeping_query(sandbox):
    r = requests.get(f"{sandbox.url}/api/resources/?q=llama&size=3", allow_redirects=False, timeout=10)
    assert r.status_code == 308
    assert r.headers["Location"] == f"{sandbox.url}/api/resources?q=llama&size=3"
    r = requests.post(f"{sandbox.url}/api/resources/", json={"label": "x"}, allow_redirects=False, timeout=10)
    assert r.status_code == 308


def test_page_envelope_and_size_cap(sandbox):
    r = requests.get(f"{sandbox.url}/api/resources", params={"size": 5, "page": 1}, timeout=10)
    body = r.json()
    assert set(body) == {"content", "page"}
    assert body["page"]["size"] == 5 and body["page"]["number"] == 1
    assert len(body["content"]) == 5
    total = body["page"]["total_elements"]
    assert body["page"]["total_pages"] == -(-total // 5)
    big = requests.get(f"{sandbox.url}/api/resources", params={"size": 99999}, timeout=10).json()
    assert big["page"]["size"] == 2500
    assert len(big["content"]) == big["page"]["total_elements"] == total
    default = requests.get(f"{sandbox.url}/api/resources", timeout=10).json()
    assert default["page"]["size"] == 20


def test_default_sort_is_created_at_ascending_and_sort_param(sandbox):
    content = requests.get(f"{sandbox.url}/api/predicates", params={"size": 2500}, timeout=10).json()[
        "content"
    ]
    stamps = [p["created_at"] for p in content]
    assert stamps == sorted(stamps)
    by_label = requests.get(
        f"{sandbox.url}/api/predicates", params={"size": 2500, "sort": "label,desc"}, timeout=10
    ).json()["content"]
    assert [p["label"] for p in by_label] == sorted((p["label"] for p in content), reverse=True)


def test_unknown_sort_key_is_400(sandbox):
    r = requests.get(f"{sandbox.url}/api/resources", params={"sort": "colour,asc"}, timeout=10)
    assert r.status_code == 400
    assert r.json()["type"] == "orkg:problem:unknown_sorting_property"
    assert r.json()["property_name"] == "colour"


def test_search_fuzzy_and_exact(sandbox):
    fuzzy = requests.get(f"{sandbox.url}/api/resources", params={"q": "LLAMA"}, timeout=10).json()["content"]
    labels = [r["label"] for r in fuzzy]
    assert "Llama 3.2" in labels and "TinyLlama" in labels
    assert [len(x) for x in labels] == sorted(len(x) for x in labels)
    exact = requests.get(
        f"{sandbox.url}/api/resources", params={"q": "llama  3.2", "exact": "true"}, timeout=10
    ).json()["content"]
    assert [r["label"] for r in exact] == ["Llama 3.2"]


def test_class_filter(sandbox):
    content = requests.get(
        f"{sandbox.url}/api/resources", params={"include": "Contribution", "size": 100}, timeout=10
    ).json()["content"]
    seeded = {f"R{n}" for n in (9000005, 9000011, 9000060)}
    assert seeded <= {r["id"] for r in content} and len(content) >= 38  # other tests may add contributions
    assert all("Contribution" in r["classes"] for r in content)


def test_create_resource_201_empty_body_absolute_location(sandbox):
    r = requests.post(
        f"{sandbox.url}/api/resources",
        json={"label": "New thing", "classes": ["Contribution"]},
        headers=sandbox.auth(),
        timeout=10,
    )
    assert r.status_code == 201
    assert r.content == b""
    loc = r.headers["Location"]
    assert loc.startswith(f"{sandbox.url}/api/resources/R")
    got = requests.get(loc, timeout=10).json()
    assert got["label"] == "New thing" and got["created_by"] == sandbox.user_id and got["shared"] == 0
    assert int(got["id"][1:]) > 9000000  # counters start above the seeded ids


def test_create_with_chosen_id_and_duplicate(sandbox):
    h = sandbox.auth()
    r = requests.post(
        f"{sandbox.url}/api/resources", json={"id": "Rchosen_1", "label": "c"}, headers=h, timeout=10
    )
    assert r.status_code == 201 and r.headers["Location"].endswith("/api/resources/Rchosen_1")
    r = requests.post(
        f"{sandbox.url}/api/resources", json={"id": "Rchosen_1", "label": "c"}, headers=h, timeout=10
    )
    assert r.status_code == 400 and r.json()["type"] == "orkg:problem:thing_already_exists"


def test_unknown_json_field_is_400(sandbox):
    r = requests.post(
        f"{sandbox.url}/api/resources",
        json={"label": "x", "colour": "red"},
        headers=sandbox.auth(),
        timeout=10,
    )
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json()["type"] == "orkg:problem:unknown_json_field"


def test_invalid_label_has_errors_array(sandbox):
    r = requests.post(
        f"{sandbox.url}/api/resources", json={"label": "a\nb"}, headers=sandbox.auth(), timeout=10
    )
    assert r.status_code == 400
    body = r.json()
    assert body["type"] == "orkg:problem:invalid_label"
    assert body["errors"][0]["pointer"] == "#/label" and "detail" not in body


def test_reserved_and_unknown_classes(sandbox):
    h = sandbox.auth()
    r = requests.post(
        f"{sandbox.url}/api/resources", json={"label": "x", "classes": ["Literal"]}, headers=h, timeout=10
    )
    assert r.status_code == 400
    r = requests.post(
        f"{sandbox.url}/api/resources", json={"label": "x", "classes": ["NoSuchClass"]}, headers=h, timeout=10
    )
    assert r.status_code == 400 and r.json()["type"] == "orkg:problem:invalid_class_collection"


def test_update_resource_204_and_partial(sandbox):
    h = sandbox.auth()
    loc = requests.post(
        f"{sandbox.url}/api/resources", json={"label": "before"}, headers=h, timeout=10
    ).headers["Location"]
    r = requests.put(loc, json={"label": "after"}, headers=h, timeout=10)
    assert r.status_code == 204 and r.headers["Location"] == loc and r.content == b""
    got = requests.get(loc, timeout=10).json()
    assert got["label"] == "after" and got["classes"] == []


def test_delete_resource_in_use_is_403_else_204(sandbox):
    h = sandbox.auth()
    r = requests.delete(f"{sandbox.url}/api/resources/R9000005", headers=h, timeout=10)
    assert r.status_code == 403 and r.json()["type"] == "orkg:problem:resource_in_use"
    loc = requests.post(
        f"{sandbox.url}/api/resources", json={"label": "temp"}, headers=h, timeout=10
    ).headers["Location"]
    assert requests.delete(loc, headers=h, timeout=10).status_code == 204
    assert requests.get(loc, timeout=10).status_code == 404


def test_predicates_literals_classes_roundtrip(sandbox):
    h = sandbox.auth()
    p = requests.post(f"{sandbox.url}/api/predicates", json={"label": "has score"}, headers=h, timeout=10)
    assert p.status_code == 201
    pred = requests.get(p.headers["Location"], timeout=10).json()
    assert set(pred) == {
        "id",
        "label",
        "description",
        "uri",
        "created_at",
        "created_by",
        "extraction_method",
        "modifiable",
        "_class",
    }
    lit = requests.post(
        f"{sandbox.url}/api/literals",
        json={"label": "0.91", "datatype": "xsd:decimal"},
        headers=h,
        timeout=10,
    )
    assert lit.status_code == 201
    lbody = requests.get(lit.headers["Location"], timeout=10).json()
    assert lbody["datatype"] == "xsd:decimal" and lbody["_class"] == "literal" and lbody["id"].startswith("L")
    assert (
        requests.put(lit.headers["Location"], json={"label": "0.92"}, headers=h, timeout=10).status_code
        == 204
    )
    assert requests.get(lit.headers["Location"], timeout=10).json()["label"] == "0.92"
    bad = requests.post(f"{sandbox.url}/api/literals", json={"label": "x", "id": "L1"}, headers=h, timeout=10)
    assert bad.status_code == 400  # literals cannot be given an id
    cls = requests.post(
        f"{sandbox.url}/api/classes",
        json={"label": "Model family", "uri": "https://ex.org/mf"},
        headers=h,
        timeout=10,
    )
    assert cls.status_code == 201
    assert requests.get(cls.headers["Location"], timeout=10).json()["uri"] == "https://ex.org/mf"
    dup = requests.post(
        f"{sandbox.url}/api/classes",
        json={"label": "Other", "uri": "https://ex.org/mf"},
        headers=h,
        timeout=10,
    )
    assert dup.status_code == 400 and dup.json()["type"] == "orkg:problem:uri_already_in_use"


def test_things_endpoint_discriminates(sandbox):
    for tid, kind in (
        ("R790020", "resource"),
        ("P31", "predicate"),
        ("Paper", "class"),
        ("L9000001", "literal"),
    ):
        r = requests.get(f"{sandbox.url}/api/things/{tid}", timeout=10)
        assert r.status_code == 200 and r.json()["_class"] == kind
    r = requests.get(f"{sandbox.url}/api/things/NOPE", timeout=10)
    assert r.status_code == 404 and r.json()["type"] == "orkg:problem:thing_not_found"
