"""The extra comparisons every fresh sandbox seeds beside R790020 (docs/sandbox.md, "Seeded comparisons")."""

from __future__ import annotations

import re

import pytest
import requests

CMP = "application/vnd.orkg.comparison.v3+json"
PAPER = "application/vnd.orkg.paper.v2+json"
SEEDED = {  # head -> (published version, number of sources, id block)
    "R9101001": ("R9101002", 5, 9101000),
    "R9102001": ("R9102002", 4, 9102000),
    "R9103001": ("R9103002", 3, 9103000),
    "R9104001": ("R9104002", 3, 9104000),
}


def _get(sb, path, mt=CMP):
    r = requests.get(f"{sb.url}{path}", headers={"Accept": mt}, timeout=10)
    assert r.status_code == 200, (path, r.status_code, r.text[:200])
    return r.json()


def _cells(contents, pid):
    return [v for row in contents["values"][pid] for v in row["values"]]


@pytest.mark.parametrize("head", sorted(SEEDED))
def test_head_version_papers_and_ids(sandbox, head):
    version, n_sources, block = SEEDED[head]
    h = _get(sandbox, f"/api/comparisons/{head}")
    assert h["published"] is False and len(h["sources"]) == n_sources
    assert [v["id"] for v in h["versions"]["published"]] == [version]
    assert h["research_fields"] and h["authors"]
    v = _get(sandbox, f"/api/comparisons/{version}")
    assert v["published"] is True and v["versions"]["head"]["id"] == head
    assert v["identifiers"]["doi"] == [f"10.48366/{version.lower()}"]
    assert [s["id"] for s in v["sources"]] == [s["id"] for s in h["sources"]]
    live = _get(sandbox, f"/api/comparisons/{head}/contents")
    frozen = _get(sandbox, f"/api/comparisons/{version}/contents")
    assert frozen == live  # frozen at seed time from the head, nothing edited since
    assert all(t["_class"] == "resource_ref" and "Paper" in t["classes"] for t in live["titles"])
    for thing_id in [head, version, *(s["id"] for s in h["sources"])]:
        assert block < int(re.sub(r"\D", "", thing_id)) < block + 1000
    paper = _get(sandbox, f"/api/papers/{live['titles'][0]['id']}", PAPER)
    assert live["subtitles"][0]["id"] in [c["id"] for c in paper["contributions"]]


def test_typed_literal_columns_and_empty_cells(sandbox):
    c = _get(sandbox, "/api/comparisons/R9101001/contents")
    types = {pid: {v["datatype"] for v in _cells(c, pid) if v} for pid in c["values"]}
    assert types == {
        "P9101001": {"xsd:integer"},
        "P9101002": {"xsd:decimal"},
        "P9101003": {"xsd:date"},
        "P9101004": {"xsd:boolean"},
        "P9101005": {"xsd:anyURI"},
        "P9101006": {"xsd:string"},
    }
    assert None in _cells(c, "P9101002") and None in _cells(c, "P9101005")  # empty cells
    assert len(c["values"]["P9101006"]) == 2  # a two-valued cell makes a second row
    reference_run = [row["values"][4] for pid in c["values"] for row in c["values"][pid]]
    assert sum(v is not None for v in reference_run) == 2


def test_shared_resource_columns(sandbox):
    c = _get(sandbox, "/api/comparisons/R9102001/contents")
    datasets = [v for v in _cells(c, "P9102001") if v]
    ids = [v["id"] for v in datasets]
    assert len(ids) > len(set(ids)) == 3  # the same dataset resources in several columns
    assert {tuple(v["classes"]) for v in datasets} == {("C9102001",)}
    langs = [v for v in _cells(c, "P9102002") if v]
    assert {v["label"] for v in langs} == {"Python", "C++"}
    python = next(v for v in langs if v["label"] == "Python")
    assert python["uri"] == "http://www.wikidata.org/entity/Q28865"
    families = [v for v in _cells(c, "P9102003") if v]
    assert {tuple(v["classes"]) for v in families} == {()}
    shared = requests.get(f"{sandbox.url}/api/resources/R9102101", timeout=10).json()["shared"]
    assert shared >= 3


def test_nested_paths_two_and_three_levels(sandbox):
    c = _get(sandbox, "/api/comparisons/R9103001/contents")
    (outcome_path,) = [p for p in c["selected_paths"] if p["id"] == "P9103001"]
    assert [ch["id"] for ch in outcome_path["children"]] == ["P9103002", "P9103003"]
    assert outcome_path["children"][1]["children"][0]["id"] == "P9103004"
    rows = c["values"]["P9103001"]
    assert len(rows) == 2  # two outcomes for the first contribution
    values = {v["label"] for row in rows for r in row["children"]["P9103002"] for v in r["values"] if v}
    assert values == {"-4.5", "81", "-6.1", "-3.9"}
    units = [u for row in rows for u in row["children"]["P9103003"]]
    assert {v["label"] for u in units for v in u["values"] if v} == {"percent", "millimetre of mercury"}
    symbols = {v["label"] for u in units for r in u["children"]["P9103004"] for v in r["values"] if v}
    assert symbols == {"mmHg", "%"}
    paths = _get(sandbox, "/api/comparisons/R9103001/table-paths")
    nested = next(p for p in paths if p["id"] == "P9103001")
    unit = next(ch for ch in nested["children"] if ch["id"] == "P9103003")
    assert unit["children"][0]["id"] == "P9103004"


def test_templated_contributions_have_the_target_class(sandbox):
    c = _get(sandbox, "/api/comparisons/R9104001/contents")
    assert all("C9104001" in s["classes"] for s in c["subtitles"])
    shape = requests.get(f"{sandbox.url}/api/resources/R9104010", timeout=10).json()
    assert shape["classes"] == ["NodeShape"]
    target = requests.get(
        f"{sandbox.url}/api/statements",
        params={"subject_id": "R9104010", "predicate_id": "sh:targetClass"},
        timeout=10,
    ).json()["content"]
    assert [s["object"]["id"] for s in target] == ["C9104001"]


def test_runtime_ids_start_above_the_seed_block(sandbox):
    r = requests.post(
        f"{sandbox.url}/api/resources", json={"label": "after seeding"}, headers=sandbox.auth(), timeout=10
    )
    assert r.status_code == 201
    assert int(r.headers["Location"].rsplit("/R", 1)[1]) >= 9200000
