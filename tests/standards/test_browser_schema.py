"""Headless Chromium reads the schema.org JSON-LD embedded in our pages (what dataset search engines read)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib

from tests.publish.test_browser import browser  # noqa: F401  (the Chromium fixture)

pytestmark = pytest.mark.browser
SLM = "https://w3id.org/orkg-sync/slm#"

PARSE = "return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent);"


def test_landing_page_embeds_a_dataset(browser: Any, served: str) -> None:  # noqa: F811
    browser.get(served + "/")
    doc = browser.execute_script(PARSE)
    assert doc["@context"] == "https://schema.org" and doc["@type"] == "Dataset"
    assert doc["@id"] == "https://w3id.org/orkg-sync/r790020/"
    assert doc["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert doc["datePublished"] == "2026-12-01T00:00:00Z"
    downloads = {d["name"]: d for d in doc["distribution"]}
    assert downloads["data.ttl"]["encodingFormat"] == "text/turtle"
    assert downloads["data.ttl"]["contentUrl"].endswith("/download/data.ttl")


def test_model_page_embeds_its_facts(browser: Any, served: str, dist: Path) -> None:  # noqa: F811
    browser.get(served + "/model/phi-2")
    doc = browser.execute_script(PARSE)
    assert doc["name"] == "Phi-2" and doc["isPartOf"]["@type"] == "Dataset"
    facts = {(f["propertyID"], f["value"]) for f in doc["additionalProperty"]}
    g = rdflib.Graph().parse(dist / "data.ttl", format="turtle")
    model = rdflib.URIRef("https://w3id.org/orkg-sync/r790020/model/phi-2")
    expected = {(str(p), str(o)) for p, o in g.predicate_objects(model) if str(p).startswith(SLM)}
    assert facts == expected and len(expected) >= 5
