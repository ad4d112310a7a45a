"""Contract tests: /api/templates (template.v1) as the backend serves it (orkg-api.md section 7)."""

from __future__ import annotations

import requests

TPL = "application/vnd.orkg.template.v1+json"


def _get(sb, path, **params):
    return requests.get(f"{sb.url}{path}", headers={"Accept": TPL}, params=params, timeout=10)


def test_template_by_id(sandbox):
    r = _get(sandbox, "/api/templates/R9104010")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(TPL)
    t = r.json()
    assert t["_class"] == "template" and t["label"] == "Solar cell measurement template"
    assert t["target_class"] == {
        "id": "C9104001",
        "label": "Solar cell measurement",
        "uri": None,
        "_class": "class_ref",
    }
    assert t["formatted_label"] == "{P9104007} cell" and t["is_closed"] is False
    assert t["relations"] == {
        "research_fields": [{"id": "R9104003", "label": "Photovoltaics"}],
        "research_problems": [],
        "predicate": None,
    }
    assert t["observatories"] == ["00000000-0000-0000-0000-000000000000"]
    assert t["organizations"] == ["00000000-0000-0000-0000-000000000000"]
    assert {"created_at", "created_by", "extraction_method", "visibility", "description"} <= set(t)


def test_template_properties_types_datatypes_counts(sandbox):
    props = _get(sandbox, "/api/templates/R9104010").json()["properties"]
    assert [p["order"] for p in props] == list(range(7))
    by_path = {p["path"]["id"]: p for p in props}
    kinds = {pid: (p["type"], (p.get("datatype") or {}).get("id")) for pid, p in by_path.items()}
    assert kinds == {
        "P9104001": ("number_literal", "Decimal"),
        "P9104002": ("number_literal", "Integer"),
        "P9104003": ("other_literal", "Date"),
        "P9104004": ("other_literal", "Boolean"),
        "P9104005": ("other_literal", "URI"),
        "P9104006": ("string_literal", "String"),
        "P9104007": ("resource", None),
    }
    eff = by_path["P9104001"]
    assert (eff["min_count"], eff["max_count"]) == (1, 1)
    assert (eff["min_inclusive"], eff["max_inclusive"]) == (0, 100)
    assert eff["placeholder"] == "e.g. 22.1" and eff["description"]
    assert eff["datatype"]["uri"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert eff["datatype"]["_class"] == "class_ref"
    cells = by_path["P9104002"]
    assert (cells["min_count"], cells["max_count"]) == (0, None)  # zero kept, null = unbounded
    assert by_path["P9104006"]["pattern"] == "[^\\n]*"
    assert by_path["P9104007"]["class"] == {"id": "C9104002", "label": "Absorber material"}
    assert (by_path["P9104007"]["min_count"], by_path["P9104007"]["max_count"]) == (1, 2)
    assert by_path["P9104001"]["path"] == {"id": "P9104001", "label": "power conversion efficiency"}


def test_template_list_and_filters(sandbox):
    page = _get(sandbox, "/api/templates").json()
    assert set(page) == {"content", "page"} and "R9104010" in [t["id"] for t in page["content"]]
    by_class = _get(sandbox, "/api/templates", target_class="C9104001").json()["content"]
    assert [t["id"] for t in by_class] == ["R9104010"]
    assert _get(sandbox, "/api/templates", target_class="C9102001").json()["content"] == []
    by_field = _get(sandbox, "/api/templates", research_field="R9104003").json()["content"]
    assert [t["id"] for t in by_field] == ["R9104010"]
    found = _get(sandbox, "/api/templates", q="solar cell").json()["content"]
    assert [t["id"] for t in found] == ["R9104010"]


def test_template_errors(sandbox):
    missing = _get(sandbox, "/api/templates/R9104001")  # a comparison, not a template
    assert missing.status_code == 404
    assert missing.json()["type"] == "orkg:problem:template_not_found"
    assert missing.json()["template_id"] == "R9104001"
    r = requests.get(
        f"{sandbox.url}/api/templates/R9104010", headers={"Accept": "application/json"}, timeout=10
    )
    assert r.status_code == 406
