"""Contract tests for the differences a line-by-line reading of the backend found (issue 10).

Each would fail on the sandbox before the fix; docs/sandbox.md ("Checked in the backend") names the
backend file each one follows.
"""

from __future__ import annotations

import requests

CMP = "application/vnd.orkg.comparison.v3+json"
PAPER = "application/vnd.orkg.paper.v2+json"
CONTRIB = "application/vnd.orkg.contribution.v2+json"
ZERO = "00000000-0000-0000-0000-000000000000"


def _post(sb, path, body, ct="application/json", accept="application/json"):
    h = sb.auth() | {"Content-Type": ct, "Accept": accept}
    return requests.post(f"{sb.url}{path}", json=body, headers=h, timeout=10)


def _new(sb, kind, body):
    r = _post(sb, f"/api/{kind}", body)
    assert r.status_code == 201, r.text
    return r.headers["Location"].rsplit("/", 1)[1]


def _stmt(sb, s, p, o):
    return _new(sb, "statements", {"subject_id": s, "predicate_id": p, "object_id": o})


def _get(sb, path, accept=CMP):
    r = requests.get(f"{sb.url}{path}", headers={"Accept": accept}, timeout=10)
    assert r.status_code == 200, (path, r.status_code, r.text[:200])
    return r.json()


def _comparison(sb, sources, paths=None):
    body = {
        "title": "Fidelity",
        "description": "head description",
        "research_fields": ["R9000001"],
        "authors": [{"name": "Head Author"}],
        "sources": [{"id": s, "type": "THING"} for s in sources],
        "references": [],
        "observatories": [],
        "organizations": [],
        "is_anonymized": False,
    }
    cid = _new_cmp(sb, body)
    if paths is not None:
        h = sb.auth() | {"Content-Type": CMP}
        r = requests.put(
            f"{sb.url}/api/comparisons/{cid}/contents", json={"selected_paths": paths}, headers=h
        )
        assert r.status_code == 204, r.text
    return cid


def _new_cmp(sb, body):
    r = _post(sb, "/api/comparisons", body, CMP, CMP)
    assert r.status_code == 201, r.text
    return r.headers["Location"].rsplit("/", 1)[1]


def _problem_type(r):
    return r.json()["type"].removeprefix("orkg:problem:")


# ---- literals (LiteralService.kt, ThingsCommandValidator.kt) --------------------------------------
def test_literal_label_is_validated_against_its_datatype(sandbox):
    for label, dt in (
        ("abc", "xsd:integer"),
        ("1.2.3", "xsd:decimal"),
        ("2024-13-01", "xsd:date"),
        ("yes", "xsd:boolean"),
    ):
        r = _post(sandbox, "/api/literals", {"label": label, "datatype": dt})
        assert r.status_code == 400 and _problem_type(r) == "invalid_literal_label", (label, dt)
        assert r.json()["errors"][0]["pointer"] == "#/label"
    full = _post(
        sandbox, "/api/literals", {"label": "x", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    )
    assert full.status_code == 400
    for label, dt in (
        ("-42", "xsd:integer"),
        (".5", "xsd:decimal"),
        ("2024-02-29", "xsd:date"),
        ("0", "xsd:boolean"),
        ("anything", "xsd:string"),
    ):
        assert _post(sandbox, "/api/literals", {"label": label, "datatype": dt}).status_code == 201, (
            label,
            dt,
        )
    lid = _new(sandbox, "literals", {"label": "5", "datatype": "xsd:integer"})
    put = requests.put(f"{sandbox.url}/api/literals/{lid}", json={"label": "five"}, headers=sandbox.auth())
    assert put.status_code == 400 and _problem_type(put) == "invalid_literal_label"
    retype = requests.put(
        f"{sandbox.url}/api/literals/{lid}", json={"datatype": "xsd:date"}, headers=sandbox.auth()
    )
    assert retype.status_code == 400
    assert _get(sandbox, f"/api/literals/{lid}", "application/json")["label"] == "5"
    ok = requests.put(f"{sandbox.url}/api/literals/{lid}", json={"label": "6"}, headers=sandbox.auth())
    assert ok.status_code == 204


def test_contribution_literals_are_validated_too(sandbox):
    body = {
        "literals": {"#l": {"label": "lots", "data_type": "xsd:integer"}},
        "contribution": {"label": "bad literal", "statements": {"P9000001": [{"id": "#l"}]}},
    }
    r = _post(sandbox, "/api/papers/R9000003/contributions", body, CONTRIB, CONTRIB)
    assert r.status_code == 400 and _problem_type(r) == "invalid_literal_label"
    labels = [c["label"] for c in _get(sandbox, "/api/papers/R9000003", PAPER)["contributions"]]
    assert "bad literal" not in labels  # nothing of the request was written


# ---- labels, statement ids, resource updates (Label.kt, StatementController.kt, ResourceController.kt)
def test_empty_label_is_valid_whitespace_is_not(sandbox):
    assert _post(sandbox, "/api/resources", {"label": ""}).status_code == 201
    blank = _post(sandbox, "/api/resources", {"label": "   "})
    assert blank.status_code == 400 and _problem_type(blank) == "invalid_label"


def test_client_chosen_statement_id_is_ignored(sandbox):
    s, o = _new(sandbox, "resources", {"label": "s"}), _new(sandbox, "resources", {"label": "o"})
    r = _post(
        sandbox,
        "/api/statements",
        {"id": "S777000111", "subject_id": s, "predicate_id": "P32", "object_id": o},
    )
    assert r.status_code == 201
    assert not r.headers["Location"].endswith("/S777000111")
    assert requests.get(f"{sandbox.url}/api/statements/S777000111", timeout=10).status_code == 404


def test_resource_update_rejects_verified_and_patch(sandbox):
    rid = _new(sandbox, "resources", {"label": "to update"})
    r = requests.put(f"{sandbox.url}/api/resources/{rid}", json={"verified": True}, headers=sandbox.auth())
    assert r.status_code == 400 and _problem_type(r) == "unknown_json_field"
    patch = requests.patch(f"{sandbox.url}/api/resources/{rid}", json={"label": "x"}, headers=sandbox.auth())
    assert patch.status_code == 405
    assert _get(sandbox, f"/api/resources/{rid}", "application/json")["label"] == "to update"


# ---- papers and contributions (Paper.kt, Comparison.kt, ContributionController.kt) ---------------
def test_observatories_and_organizations_hold_one_uuid(sandbox):
    paper = _get(sandbox, "/api/papers/R9000003", PAPER)
    assert paper["observatories"] == [ZERO] and paper["organizations"] == [ZERO]
    cmp = _get(sandbox, "/api/comparisons/R9000068")
    assert cmp["observatories"] == [ZERO] and cmp["organizations"] == [ZERO]


def test_contribution_create_produces_only_contribution_v2(sandbox):
    body = {"contribution": {"label": "json accept", "statements": {"P32": [{"id": "R9000002"}]}}}
    r = _post(sandbox, "/api/papers/R9000003/contributions", body, CONTRIB, "application/json")
    assert r.status_code == 406
    labels = [c["label"] for c in _get(sandbox, "/api/papers/R9000003", PAPER)["contributions"]]
    assert "json accept" not in labels
    ok = _post(sandbox, "/api/papers/R9000003/contributions", body, CONTRIB, CONTRIB)
    assert ok.status_code == 201


# ---- publishing (ComparisonVersionCreator.kt, ComparisonController.kt) ---------------------------
def test_publish_copies_head_description_and_authors(fresh_sandbox):
    sb = fresh_sandbox
    cid = _comparison(sb, ["R9000005", "R9000011"])
    body = {
        "subject": "Natural Language Processing",
        "description": "my changelog",
        "authors": [{"name": "Someone Else"}],
    }
    missing = _post(sb, f"/api/comparisons/{cid}/publish", body)
    assert missing.status_code == 400 and missing.json()["pointer"] == "#/assign_doi"  # required
    r = _post(sb, f"/api/comparisons/{cid}/publish", body | {"assign_doi": False})
    assert r.status_code == 201, r.text
    vid = r.headers["Location"].rsplit("/", 1)[1]
    version = _get(sb, f"/api/comparisons/{vid}")
    assert version["description"] == "head description"
    assert [a["name"] for a in version["authors"]] == ["Head Author"]
    head = _get(sb, f"/api/comparisons/{cid}")
    assert head["versions"]["published"][0]["changelog"] == "head description"
    assert version["versions"]["published"][0]["changelog"] is None  # null when viewing a version
    assert version["identifiers"] == {}  # no DOI without assign_doi


def test_published_version_without_table_is_an_empty_table(sandbox):
    vid = _new(sandbox, "resources", {"label": "bare version", "classes": ["ComparisonPublished"]})
    assert _get(sandbox, f"/api/comparisons/{vid}/contents") == {
        "selected_paths": [],
        "titles": [],
        "subtitles": [],
        "values": {},
    }


def test_table_paths_of_a_published_version_is_empty(sandbox):
    assert _get(sandbox, "/api/comparisons/R790020/table-paths") == []
    assert _get(sandbox, "/api/comparisons/R9000068/table-paths")  # the head still has paths


# ---- the live table (ComparisonTable.kt, SpringDataNeo4jComparisonAuxiliaryAdapter.kt) ------------
def test_table_rows_follow_any_thing_sort_by_label_and_keep_an_empty_row(sandbox):
    a, b = _new(sandbox, "resources", {"label": "col A"}), _new(sandbox, "resources", {"label": "col B"})
    via, values, empty = (_new(sandbox, "predicates", {"label": lbl}) for lbl in ("via", "values", "empty"))
    target = _new(sandbox, "predicates", {"label": "a predicate as object"})
    _stmt(sandbox, target, "description", _new(sandbox, "literals", {"label": "nested under a predicate"}))
    _stmt(sandbox, a, via, target)
    for label in ("beta", "Alpha", "gamma"):  # created out of label order
        _stmt(sandbox, a, values, _new(sandbox, "literals", {"label": label}))
    _stmt(sandbox, b, values, _new(sandbox, "literals", {"label": "delta"}))
    paths = [
        {
            "id": via,
            "type": "PREDICATE",
            "children": [{"id": "description", "type": "PREDICATE", "children": []}],
        },
        {"id": values, "type": "PREDICATE", "children": []},
        {"id": empty, "type": "PREDICATE", "children": []},
    ]
    table = _get(sandbox, f"/api/comparisons/{_comparison(sandbox, [a, b], paths)}/contents")
    nested = table["values"][via][0]["children"]["description"][0]["values"][0]
    assert nested["label"] == "nested under a predicate"
    assert table["values"][via][0]["values"][0]["_class"] == "predicate_ref"
    column_a = [row["values"][0]["label"] for row in table["values"][values]]
    assert column_a == ["Alpha", "beta", "gamma"]
    assert table["values"][values][0]["values"][1]["label"] == "delta"
    assert table["values"][empty] == [{"values": [None, None], "children": {}}]
