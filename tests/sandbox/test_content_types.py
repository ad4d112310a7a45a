"""Contract tests: papers, contributions and comparisons (vendor media types, tables, publish)."""

from __future__ import annotations

import csv
import io

import requests

PAPER = "application/vnd.orkg.paper.v2+json"
CONTRIB = "application/vnd.orkg.contribution.v2+json"
CMP = "application/vnd.orkg.comparison.v3+json"


def _h(sandbox, mt):
    return sandbox.auth() | {"Content-Type": mt, "Accept": mt}


def test_paper_v2(sandbox):
    r = requests.get(f"{sandbox.url}/api/papers/R9000003", headers={"Accept": PAPER}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(PAPER)
    p = r.json()
    assert p["_class"] == "paper" and len(p["contributions"]) == 38
    assert p["identifiers"]["doi"] == ["10.48550/arXiv.2411.03350"]
    assert p["publication_info"]["published_year"] == 2024
    assert p["research_fields"] == [{"id": "R9000001", "label": "Natural Language Processing"}]
    assert p["authors"] and p["authors"][0]["name"]
    star = requests.get(f"{sandbox.url}/api/papers/R9000003", headers={"Accept": "*/*"}, timeout=10)
    assert star.status_code == 200 and star.headers["Content-Type"].startswith(PAPER)
    assert requests.get(f"{sandbox.url}/api/papers/R790020", timeout=10).status_code == 404
    listed = requests.get(
        f"{sandbox.url}/api/papers", params={"doi": "10.48550/arXiv.2411.03350"}, timeout=10
    )
    assert [x["id"] for x in listed.json()["content"]] == ["R9000003"]


def test_vendor_negotiation_406_and_415(sandbox):
    r = requests.get(
        f"{sandbox.url}/api/comparisons/R790020", headers={"Accept": "application/json"}, timeout=10
    )
    assert r.status_code == 406
    v2 = requests.get(
        f"{sandbox.url}/api/comparisons/R790020",
        headers={"Accept": "application/vnd.orkg.comparison.v2+json"},
        timeout=10,
    )
    assert v2.status_code == 406 and v2.content == b""
    bad_ct = requests.post(
        f"{sandbox.url}/api/papers/R9000003/contributions",
        json={"contribution": {}},
        headers=sandbox.auth(),
        timeout=10,
    )
    assert bad_ct.status_code == 415


def test_contribution_create_with_temp_ids(sandbox):
    body = {
        "resources": {"#r1": {"label": "GQA-ish", "classes": []}},
        "literals": {"#l1": {"label": "0.1", "data_type": "xsd:decimal"}},
        "predicates": {"#p1": {"label": "has result", "description": "a result"}},
        "contribution": {
            "label": "New model",
            "classes": [],
            "statements": {
                "P9000006": [{"id": "#r1"}],
                "#p1": [{"id": "#l1"}],
                "P9000003": [{"id": "R9000006", "statements": {}}],
            },
        },
        "extraction_method": "MANUAL",
    }
    r = requests.post(
        f"{sandbox.url}/api/papers/R9000003/contributions",
        json=body,
        headers=_h(sandbox, CONTRIB),
        timeout=10,
    )
    assert r.status_code == 201, r.text
    assert "/api/contributions/R" in r.headers["Location"] and r.content == b""
    c = requests.get(r.headers["Location"], headers={"Accept": CONTRIB}, timeout=10).json()
    assert c["label"] == "New model" and "Contribution" in c["classes"]
    assert len(c["properties"]) == 3 and c["properties"]["P9000003"] == ["R9000006"]
    lit_id = next(v[0] for k, v in c["properties"].items() if k.startswith("P") and v[0].startswith("L"))
    assert (
        requests.get(f"{sandbox.url}/api/literals/{lit_id}", timeout=10).json()["datatype"] == "xsd:decimal"
    )
    paper = requests.get(f"{sandbox.url}/api/papers/R9000003", headers={"Accept": PAPER}, timeout=10).json()
    assert c["id"] in [x["id"] for x in paper["contributions"]]


def test_contribution_errors(sandbox):
    h = _h(sandbox, CONTRIB)
    url = f"{sandbox.url}/api/papers/R9000003/contributions"
    bad_temp = {
        "resources": {"r1": {"label": "x"}},
        "contribution": {"label": "c", "statements": {"P32": [{"id": "R1"}]}},
    }
    assert (
        requests.post(url, json=bad_temp, headers=h, timeout=10).json()["type"]
        == "orkg:problem:invalid_temp_id"
    )
    empty = {"contribution": {"label": "c", "statements": {}}}
    assert (
        requests.post(url, json=empty, headers=h, timeout=10).json()["type"]
        == "orkg:problem:empty_contribution"
    )
    undefined = {"contribution": {"label": "c", "statements": {"P32": [{"id": "#nope"}]}}}
    r = requests.post(url, json=undefined, headers=h, timeout=10)
    assert r.status_code == 400 and r.json()["type"] == "orkg:problem:thing_not_defined"


def test_published_comparison_and_frozen_table(sandbox):
    c = requests.get(f"{sandbox.url}/api/comparisons/R790020", headers={"Accept": CMP}, timeout=10).json()
    assert c["published"] is True and c["identifiers"]["doi"] == ["10.48366/r790020"]
    assert len(c["sources"]) == 38 and c["sources"][0] == {"id": "R9000005", "type": "THING"}
    assert c["versions"]["head"]["id"] == "R9000068"
    assert [v["id"] for v in c["versions"]["published"]] == ["R790020"]
    t = requests.get(
        f"{sandbox.url}/api/comparisons/R790020/contents", headers={"Accept": CMP}, timeout=10
    ).json()
    assert [p["label"] for p in t["selected_paths"]][:2] == ["number of parameters", "Date"]
    assert len(t["titles"]) == 38 and t["subtitles"][0]["label"] == "Llama 3.2"
    first = t["values"]["P9000001"][0]["values"][0]
    assert first == {"id": None, "label": "1B; 3B", "datatype": "xsd:string", "_class": "literal_ref"}
    upd = requests.put(
        f"{sandbox.url}/api/comparisons/R790020", json={"title": "x"}, headers=_h(sandbox, CMP), timeout=10
    )
    assert upd.status_code == 403 and upd.json()["type"] == "orkg:problem:comparison_not_modifiable"
    pc = requests.put(
        f"{sandbox.url}/api/comparisons/R790020/contents",
        json={"selected_paths": []},
        headers=_h(sandbox, CMP),
        timeout=10,
    )
    assert pc.status_code == 403 and pc.json()["type"] == "orkg:problem:comparison_already_published"


def test_contents_csv(sandbox):
    r = requests.get(
        f"{sandbox.url}/api/comparisons/R790020/contents", headers={"Accept": "text/csv"}, timeout=10
    )
    assert r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][0] == "Properties" and rows[0][1].endswith(" - Llama 3.2")
    assert rows[1][:2] == ["number of parameters", "1B; 3B"]
    tr = requests.get(
        f"{sandbox.url}/api/comparisons/R790020/contents",
        headers={"Accept": "text/csv;transposed=true"},
        timeout=10,
    )
    assert next(iter(csv.reader(io.StringIO(tr.text))))[1] == "number of parameters"


def test_table_paths(sandbox):
    r = requests.get(
        f"{sandbox.url}/api/comparisons/R9000068/table-paths", headers={"Accept": CMP}, timeout=10
    )
    paths = {p["id"]: p for p in r.json()}
    assert paths["P9000001"]["sources"] == 38 and paths["P9000001"]["type"] == "PREDICATE"


def test_fresh_lifecycle_live_table_and_publish(fresh_sandbox):
    sb = fresh_sandbox
    h = _h(sb, CMP)
    body = {
        "title": "Mini",
        "description": "two models",
        "research_fields": ["R9000001"],
        "authors": [{"name": "A. Author"}],
        "sources": [{"id": "R9000005", "type": "THING"}, {"id": "R9000011", "type": "THING"}],
        "references": [],
        "observatories": [],
        "organizations": [],
        "is_anonymized": False,
    }
    r = requests.post(f"{sb.url}/api/comparisons", json=body, headers=h, timeout=10)
    assert r.status_code == 201, r.text
    loc = r.headers["Location"]
    cid = loc.rsplit("/", 1)[1]
    unknown = requests.post(f"{sb.url}/api/comparisons", json=body | {"config": {}}, headers=h, timeout=10)
    assert unknown.status_code == 400
    t = requests.get(f"{loc}/contents", headers={"Accept": CMP}, timeout=10).json()
    assert "P9000001" in t["values"]  # pre-selected: present in both sources
    sel = {"selected_paths": [{"id": "P9000001", "type": "PREDICATE", "children": []}]}
    assert requests.put(f"{loc}/contents", json=sel, headers=h, timeout=10).status_code == 204
    t = requests.get(f"{loc}/contents", headers={"Accept": CMP}, timeout=10).json()
    assert list(t["values"]) == ["P9000001"] and t["selected_paths"][0]["label"] == "number of parameters"
    bad = requests.put(
        f"{loc}/contents",
        json={"selected_paths": [{"id": "Pnope", "type": "PREDICATE", "children": []}]},
        headers=h,
        timeout=10,
    )
    assert bad.status_code == 404
    # Live: edit a cell through the graph and see it.
    st = requests.get(
        f"{sb.url}/api/statements", params={"subject_id": "R9000005", "predicate_id": "P9000001"}, timeout=10
    ).json()["content"][0]
    assert (
        requests.put(
            f"{sb.url}/api/literals/{st['object']['id']}",
            json={"label": "1B; 3B; 8B"},
            headers=sb.auth(),
            timeout=10,
        ).status_code
        == 204
    )
    t = requests.get(f"{loc}/contents", headers={"Accept": CMP}, timeout=10).json()
    assert t["values"]["P9000001"][0]["values"][0]["label"] == "1B; 3B; 8B"
    # Publish -> new version with frozen table, DOI, P29 quirk.
    pub = requests.post(
        f"{loc}/publish",
        json={"subject": "x", "description": "v1", "authors": [{"name": "A"}], "assign_doi": True},
        headers=sb.auth(),
        timeout=10,
    )
    assert pub.status_code == 201, pub.text
    vid = pub.headers["Location"].rsplit("/", 1)[1]
    assert vid != cid
    v = requests.get(pub.headers["Location"], headers={"Accept": CMP}, timeout=10).json()
    assert v["published"] is True and v["identifiers"]["doi"] == [f"10.48366/{vid.lower()}"]
    p29 = requests.get(
        f"{sb.url}/api/statements", params={"subject_id": vid, "predicate_id": "P29"}, timeout=10
    ).json()["content"]
    assert len(p29) == 2
    requests.put(
        f"{sb.url}/api/literals/{st['object']['id']}",
        json={"label": "changed"},
        headers=sb.auth(),
        timeout=10,
    )
    frozen = requests.get(
        f"{sb.url}/api/comparisons/{vid}/contents", headers={"Accept": CMP}, timeout=10
    ).json()
    assert frozen["values"]["P9000001"][0]["values"][0]["label"] == "1B; 3B; 8B"
    head = requests.get(loc, headers={"Accept": CMP}, timeout=10).json()
    assert [x["id"] for x in head["versions"]["published"]] == [vid]
    # Update sources on the head: 204 and columns follow.
    upd = requests.put(loc, json={"sources": [{"id": "R9000011", "type": "THING"}]}, headers=h, timeout=10)
    assert upd.status_code == 204
    assert len(requests.get(f"{loc}/contents", headers={"Accept": CMP}, timeout=10).json()["titles"]) == 1
    one = requests.post(
        f"{loc}/publish",
        json={"subject": "x", "description": "v2", "authors": [{"name": "A"}], "assign_doi": False},
        headers=sb.auth(),
        timeout=10,
    )
    assert one.status_code == 400 and one.json()["type"] == "orkg:problem:requires_at_least_two_sources"


def test_delete_comparison(fresh_sandbox):
    sb = fresh_sandbox
    h = _h(sb, CMP)
    assert requests.delete(f"{sb.url}/api/comparisons/R9000068", headers=h, timeout=10).status_code == 403
    body = {
        "title": "Tmp",
        "description": "d",
        "research_fields": ["R9000001"],
        "authors": [],
        "sources": [{"id": "R9000005", "type": "THING"}],
        "references": [],
        "observatories": [],
        "organizations": [],
        "is_anonymized": False,
    }
    loc = requests.post(f"{sb.url}/api/comparisons", json=body, headers=h, timeout=10).headers["Location"]
    assert requests.delete(loc, headers=h, timeout=10).status_code == 204
    assert requests.get(loc, headers={"Accept": CMP}, timeout=10).status_code == 404
    assert requests.delete(loc, headers=h, timeout=10).status_code == 204


def test_create_paper_with_contents(sandbox):
    body = {
        "title": "A new survey",
        "research_fields": ["R9000001"],
        "identifiers": {"doi": ["10.1000/xyz"]},
        "publication_info": {
            "published_month": 5,
            "published_year": 2025,
            "published_in": "Venue X",
            "url": "https://example.org/p",
        },
        "authors": [{"name": "J. Doe"}, {"id": None, "name": "R. Roe"}],
        "contents": {
            "literals": {"#l": {"label": "7B", "data_type": "xsd:string"}},
            "contributions": [{"label": "Model A", "statements": {"P9000001": [{"id": "#l"}]}}],
        },
        "extraction_method": "MANUAL",
    }
    r = requests.post(f"{sandbox.url}/api/papers", json=body, headers=_h(sandbox, PAPER), timeout=10)
    assert r.status_code == 201, r.text
    assert r.content == b"" and "/api/papers/R" in r.headers["Location"]
    p = requests.get(r.headers["Location"], headers={"Accept": PAPER}, timeout=10).json()
    assert p["title"] == "A new survey" and p["identifiers"] == {"doi": ["10.1000/xyz"]}
    assert (
        p["publication_info"]["published_month"] == 5
        and p["publication_info"]["published_in"]["label"] == "Venue X"
    )
    assert [a["name"] for a in p["authors"]] == ["J. Doe", "R. Roe"] and p["authors"][0]["id"] is None
    assert [c["label"] for c in p["contributions"]] == ["Model A"]
    assert p["created_by"] == sandbox.user_id
    two = requests.post(
        f"{sandbox.url}/api/papers",
        json=body | {"research_fields": ["R9000001", "R9000001"]},
        headers=_h(sandbox, PAPER),
        timeout=10,
    )
    assert two.status_code == 400


def test_head_papers_by_doi(sandbox):
    r = requests.head(f"{sandbox.url}/api/papers", params={"doi": "10.48550/arXiv.2411.03350"}, timeout=10)
    assert r.status_code == 200 and r.headers["Location"] == f"{sandbox.url}/api/papers/R9000003"
    assert (
        requests.head(f"{sandbox.url}/api/papers", params={"doi": "10.1/none"}, timeout=10).status_code == 404
    )
