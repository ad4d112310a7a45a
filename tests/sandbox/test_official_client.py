"""Fidelity: the official ORKG Python client (PyPI `orkg`) works against the sandbox unchanged but the host.

The client was written against orkg.org, not by us, so each call here checks the sandbox against
someone else's reading of the API: paths, paging envelope, media types, Keycloak token flow
(python-keycloak, client id `orkg-pypi`), create semantics (201 + Location, then a GET).
"""

from __future__ import annotations

from typing import Any

import pytest

orkg = pytest.importorskip("orkg")


@pytest.fixture
def client(fresh_sandbox: Any) -> Any:
    return orkg.ORKG(
        host=fresh_sandbox.url,
        auth_host=fresh_sandbox.url,
        creds=(fresh_sandbox.username, fresh_sandbox.password),
    )


def test_reads(client: Any, fresh_sandbox: Any) -> None:
    published = client.resources.by_id("R790020")
    assert published.succeeded and "ComparisonPublished" in published.content["classes"]
    found = client.resources.get(params={"q": "Llama", "size": 2})
    assert found.succeeded and 0 < len(found.content) <= 2
    assert found.page_info["page"]["size"] == 2
    assert all("llama" in r["label"].lower() for r in found.content)
    head = published.content["id"]
    assert client.resources.exists(head) and not client.resources.exists("R1")


def test_unpaginated_walks_every_page(client: Any) -> None:
    import requests

    comparison = requests.get(
        client.host + "/api/comparisons/R790020",
        headers={"Accept": "application/vnd.orkg.comparison.v3+json"},
        timeout=10,
    ).json()
    source = (
        comparison["sources"][0]["id"] if comparison.get("sources") else comparison["contributions"][0]["id"]
    )
    direct = requests.get(
        client.host + "/api/statements", params={"subject_id": source, "size": 2500}, timeout=10
    ).json()
    walked = client.statements.get_by_subject_unpaginated(subject_id=source, size=2)
    assert walked.all_succeeded
    assert sorted(s["id"] for s in walked.content) == sorted(s["id"] for s in direct["content"])
    assert len(walked.content) > 2  # really took more than one page


def test_writes_with_keycloak_login(client: Any, fresh_sandbox: Any) -> None:
    lit = client.literals.add(params={"label": "42", "datatype": "xsd:integer"})
    assert lit.succeeded and lit.content["datatype"] == "xsd:integer"
    res = client.resources.add(params={"label": "Official client model", "classes": ["Contribution"]})
    assert res.succeeded and res.content["created_by"] == fresh_sandbox.user_id
    pred = client.predicates.find_or_add(params={"label": "number of parameters"})
    assert pred.succeeded
    again = client.predicates.find_or_add(params={"label": "number of parameters"})
    assert again.content["id"] == pred.content["id"]  # found, not duplicated
    st = client.statements.add(
        params={
            "subject_id": res.content["id"],
            "predicate_id": pred.content["id"],
            "object_id": lit.content["id"],
        }
    )
    assert st.succeeded and st.content["object"]["label"] == "42"
    back = client.statements.get_by_subject(subject_id=res.content["id"])
    assert [s["id"] for s in back.content] == [st.content["id"]]
    # (the client's statements.delete sends no token, a client quirk: not exercised here)


def test_bad_password_is_refused(fresh_sandbox: Any) -> None:
    from keycloak import KeycloakAuthenticationError

    with pytest.raises(KeycloakAuthenticationError):
        orkg.ORKG(
            host=fresh_sandbox.url, auth_host=fresh_sandbox.url, creds=(fresh_sandbox.username, "wrong")
        )
