"""SERVICE cannot turn the endpoint against its host: a local listener must receive nothing."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
import requests

from orkg_sync.server.service_guard import check_service
from orkg_sync.server.sparql import Limits, QueryError
from orkg_sync.server.workers import QueryProcesses
from tests.server.conftest import Listener, Serve

JSON = {"Accept": "application/sparql-results+json"}


def spellings(url: str) -> list[str]:
    """Ways to write a SERVICE call that pyoxigraph accepts (checked in the first test)."""
    return [
        f"SELECT * {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{url}/b> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SeRvIcE<{url}/c>{{?s?p?o}} }}",
        f"PREFIX e: <{url}/> SELECT * {{ SERVICE e:d {{ ?s ?p ?o }} }}",
        f"SELECT * {{ # a comment\n SERVICE <{url}/e> {{ ?s ?p ?o }} }}",
        f'SELECT * {{ BIND("x # not a comment" AS ?c) SERVICE <{url}/f> {{ ?s ?p ?o }} }}',
        f"PREFIX e: <{url}/> SELECT * {{ OPTIONAL {{ ?x e:a\\# ?y }} SERVICE <{url}/g> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ OPTIONAL {{ SERVICE <{url}/h> {{ ?s ?p ?o }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}/i> {{ ?s ?p ?o }} }} }}",
        f"SELECT * {{ # a comment ends at a bare CR\rSERVICE <{url}/j> {{ ?s ?p ?o }} }}",
    ]


def test_the_spellings_really_call_out(listener: Listener) -> None:
    """Control: unguarded pyoxigraph contacts the listener for each spelling the guard must catch."""
    store = ox.Store()
    for q in spellings(listener.url):
        before = len(listener.received)
        try:
            res = store.query(q)
            _ = bool(res) if isinstance(res, ox.QueryBoolean) else list(res)
        except (OSError, RuntimeError, SyntaxError) as err:
            assert not isinstance(err, SyntaxError), (q, err)
        deadline = time.monotonic() + 2
        while len(listener.received) == before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(listener.received) > before, q


def test_service_refused_and_listener_gets_nothing(serve: Serve, listener: Listener) -> None:
    url = serve()
    for q in spellings(listener.url):
        for r in (
            requests.post(url + "/sparql", data={"query": q}, headers=JSON, timeout=10),
            requests.get(url + "/sparql", params={"query": q}, headers=JSON, timeout=10),
        ):
            assert r.status_code == 400, (q, r.text)
            assert "SERVICE" in r.text and "disabled" in r.text
    time.sleep(0.3)
    assert listener.received == []


def test_words_that_only_look_like_service_are_fine(serve: Serve) -> None:
    url = serve()
    q = (
        'PREFIX service: <urn:x:> SELECT ?service WHERE { BIND("SERVICE <http://x/> {}" AS ?service) '
        "# SERVICE <http://y/> {}\n OPTIONAL { ?s service:SERVICE ?o } }"
    )
    r = requests.post(url + "/sparql", data={"query": q}, headers=JSON, timeout=10)
    assert r.status_code == 200, r.text


def test_query_process_has_no_network_even_past_the_guard(store: ox.Store, listener: Listener) -> None:
    """Second barrier: a query process without an allow-list cannot open a socket at all."""
    procs = QueryProcesses(store, Limits(seconds=5))
    try:
        with pytest.raises(QueryError) as err:
            procs.run(f"SELECT * {{ SERVICE <{listener.url}/x> {{ ?s ?p ?o }} }}", "")
        assert err.value.status == 500 and "open files" in str(err.value)
        assert procs.run("ASK {}", "")[0].startswith(b'{"head"')
    finally:
        procs.close()
    time.sleep(0.3)
    assert listener.received == []


def test_allow_list_permits_exactly_the_listed_endpoint(
    serve: Serve, listener: Listener, oxigraph_server: str
) -> None:
    allowed = oxigraph_server + "/query"
    requests.post(
        oxigraph_server + "/update", data={"update": "INSERT DATA { <urn:a> <urn:b> 'far' }"}, timeout=10
    ).raise_for_status()
    url = serve(service_allow=(allowed,))
    q = f"SELECT ?o {{ SERVICE <{allowed}> {{ <urn:a> <urn:b> ?o }} }}"
    r = requests.post(url + "/sparql", data={"query": q}, headers=JSON, timeout=10)
    assert r.status_code == 200, r.text
    assert [b["o"]["value"] for b in r.json()["results"]["bindings"]] == ["far"]
    assert "Access-Control-Allow-Origin" not in r.headers  # answers may now carry non-public data
    for q in (
        f"SELECT * {{ SERVICE <{listener.url}/x> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{oxigraph_server}/> SELECT * {{ SERVICE e:query {{ ?s ?p ?o }} }}",
        f"SELECT * {{ BIND(<{listener.url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    ):
        r = requests.post(url + "/sparql", data={"query": q}, headers=JSON, timeout=10)
        assert r.status_code == 400, (q, r.text)
    time.sleep(0.3)
    assert listener.received == []


def test_guard_sees_through_codepoint_escapes() -> None:
    with pytest.raises(QueryError):
        check_service("SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError):  # an escaped quote must not open a "string" that hides SERVICE
        check_service('SELECT * { <urn:a\\u0022> SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } . "" }')
