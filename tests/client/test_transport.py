"""Retries, timeouts and typed errors over real loopback HTTP."""

from __future__ import annotations

import pytest

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.errors import BadRequest, BadResponse, NotFound, RemoteUnavailable, Unauthorized
from orkg_sync.client.hosts import resolve_host
from orkg_sync.client.transport import RetryPolicy, Transport, parse_retry_after
from orkg_sync.errors import EXIT_AUTH, EXIT_REMOTE, EXIT_USAGE

FAST = RetryPolicy(
    attempts=4, base_delay=0.01, max_delay=0.05, total_time=5.0, connect_timeout=1, read_timeout=2
)


def api_for(base: str, policy: RetryPolicy = FAST) -> OrkgApi:
    return OrkgApi(Transport(resolve_host(base), policy=policy))


def test_problem_json_404_names_thing_id_and_problem(fake):
    @fake.route("GET", "/api/comparisons/R404")
    def _(c):
        c.send(
            404,
            {
                "type": "orkg:problem:comparison_not_found",
                "detail": 'Comparison "R404" not found.',
                "status": 404,
            },
            "application/problem+json",
        )

    with pytest.raises(NotFound) as info:
        api_for(fake.base).comparison("R404")
    msg = str(info.value)
    assert "comparison R404" in msg and "orkg:problem:comparison_not_found" in msg and "--host" in msg
    assert info.value.exit_code == EXIT_USAGE
    assert len(fake.hits("/api/comparisons/R404")) == 1  # 404 is not retried


def test_401_is_auth_error(fake):
    @fake.route("GET", "/api/resources/R1")
    def _(c):
        c.send(
            401,
            {"type": "about:blank", "detail": "Full authentication is required"},
            "application/problem+json",
            WWW_Authenticate='Bearer error="invalid_token"',
        )

    with pytest.raises(Unauthorized) as info:
        api_for(fake.base).resource("R1")
    assert info.value.exit_code == EXIT_AUTH
    assert "Full authentication is required" in str(info.value) and "ORKG_TOKEN" in str(info.value)


def test_400_carries_problem_type(fake):
    @fake.route("POST", "/api/literals")
    def _(c):
        c.send(400, {"type": "orkg:problem:invalid_label", "detail": "bad label"}, "application/problem+json")

    with pytest.raises(BadRequest) as info:
        api_for(fake.base).create_literal("x")
    assert info.value.problem_type == "orkg:problem:invalid_label"


def test_503_twice_then_success_is_retried(fake):
    @fake.route("GET", "/api/resources/R1")
    def _(c):
        if c.n <= 2:
            c.send(503, "busy", "text/plain")
        else:
            c.send(200, {"id": "R1", "label": "ok"})

    api = api_for(fake.base)
    assert api.resource("R1")["label"] == "ok"
    assert api.request_count == 3 == len(fake.hits("/api/resources/R1"))


def test_429_honours_retry_after(fake):
    @fake.route("GET", "/api/resources/R1")
    def _(c):
        if c.n == 1:
            c.send(429, "", "text/plain", Retry_After="0.3")
        else:
            c.send(200, {"id": "R1"})

    assert api_for(fake.base).resource("R1")["id"] == "R1"
    first, second = fake.hits("/api/resources/R1")
    # Correctness of the wait (a lower bound only; it cannot fail because a machine is slow).
    assert second.at - first.at >= 0.3


def test_retry_after_beyond_budget_gives_up_without_waiting(fake):
    @fake.route("GET", "/api/resources/R1")
    def _(c):
        c.send(429, "", "text/plain", Retry_After="3600")

    with pytest.raises(RemoteUnavailable) as info:
        api_for(fake.base).resource("R1")
    assert "429" in str(info.value) and info.value.exit_code == EXIT_REMOTE
    assert len(fake.hits("/api/resources/R1")) == 1


def test_persistent_html_502_is_bounded_and_clear(fake):
    @fake.route("GET", "/api/comparisons/R1")
    def _(c):
        c.send(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")

    with pytest.raises(RemoteUnavailable) as info:
        api_for(fake.base).comparison("R1")
    assert "comparison R1" in str(info.value) and "502" in str(info.value)
    assert len(fake.hits("/api/comparisons/R1")) == FAST.attempts


def test_html_page_with_200_is_bad_response(fake):
    @fake.route("GET", "/api/resources/R1")
    def _(c):
        c.send(200, "<html>Login portal</html>", "text/html")

    with pytest.raises(BadResponse) as info:
        api_for(fake.base).resource("R1")
    assert "expected JSON" in str(info.value) and "text/html" in str(info.value)


def test_malformed_json_is_bad_response(fake):
    @fake.route("GET", "/api/resources/R1")
    def _(c):
        c.send(200, '{"id": "R1", "label": ')

    with pytest.raises(BadResponse) as info:
        api_for(fake.base).resource("R1")
    assert "malformed or truncated JSON" in str(info.value)


def test_body_cut_short_is_retried_then_succeeds(fake):
    @fake.route("GET", "/api/resources/R1")
    def _(c):
        if c.n == 1:
            c.truncated(b'{"id": "R1", "la', claimed=200)
        else:
            c.send(200, {"id": "R1"})

    api = api_for(fake.base)
    assert api.resource("R1") == {"id": "R1"}
    assert api.request_count == 2


def test_dropped_connection_is_retried(fake):
    @fake.route("GET", "/api/resources/R1")
    def _(c):
        if c.n == 1:
            c.drop()
        else:
            c.send(200, {"id": "R1"})

    assert api_for(fake.base).resource("R1") == {"id": "R1"}
    assert len(fake.hits("/api/resources/R1")) == 2


def test_read_timeout(fake):
    import threading

    release = threading.Event()

    @fake.route("GET", "/api/resources/R1")
    def _(c):
        release.wait(3)
        c.send(200, {"id": "R1"})

    policy = RetryPolicy(attempts=2, base_delay=0.01, total_time=5, connect_timeout=1, read_timeout=0.2)
    try:
        with pytest.raises(RemoteUnavailable) as info:
            api_for(fake.base, policy).resource("R1")
    finally:
        release.set()
    assert "read timed out" in str(info.value) and "2 attempt(s)" in str(info.value)


def test_closed_port_is_unreachable(closed_port):
    api = api_for(f"http://127.0.0.1:{closed_port}")
    with pytest.raises(RemoteUnavailable) as info:
        api.resource("R1")
    assert "unreachable" in str(info.value) and info.value.exit_code == EXIT_REMOTE
    assert api.request_count == FAST.attempts


def test_writes_are_never_blindly_retried(fake):
    @fake.route("POST", "/api/statements")
    def _(c):
        c.send(503, "", "text/plain")

    with pytest.raises(RemoteUnavailable) as info:
        api_for(fake.base).create_statement("R1", "P1", "L1")
    assert "re-read" in str(info.value)
    assert len(fake.hits("/api/statements")) == 1


def test_dropped_write_is_retried_only_after_reread(fake):
    created: list[str] = []

    @fake.route("POST", "/api/statements")
    def _(c):
        created.append("S9")  # the write takes effect, but the answer is lost
        c.drop()

    @fake.route("GET", "/api/statements")
    def _(c):
        c.send(200, {"content": [{"id": s} for s in created], "page": {"number": 0, "total_pages": 1}})

    api = api_for(fake.base)
    result = api.t.write_after_reread(
        reread=lambda: list(api.statements(subject="R1")),
        needs_write=lambda found: not found,
        write=lambda: api.t.request("POST", "/api/statements", what="create statement", json_body={}),
    )
    assert result is None and created == ["S9"]  # not written twice


def test_create_returns_id_from_absolute_location(fake):
    @fake.route("POST", "/api/resources")
    def _(c):
        c.send(201, b"", Location=f"{fake.base}/api/resources/R4711")

    assert api_for(fake.base).create_resource("New", ["Paper"]) == "R4711"
    import json

    assert json.loads(fake.hits("/api/resources")[0].body) == {"label": "New", "classes": ["Paper"]}


def test_vendor_media_types_are_sent(fake):
    @fake.route("GET", "/api/comparisons/R1")
    def _(c):
        c.send(200, {"id": "R1"}, "application/vnd.orkg.comparison.v3+json")

    @fake.route("GET", "/api/papers/R2")
    def _(c):
        c.send(200, {"id": "R2"}, "application/vnd.orkg.paper.v2+json")

    @fake.route("GET", "/api/contributions/R3")
    def _(c):
        c.send(200, {"id": "R3"}, "application/vnd.orkg.contribution.v2+json")

    api = api_for(fake.base)
    api.comparison("R1"), api.paper("R2"), api.contribution("R3")
    accepts = {s.path: s.headers["Accept"] for s in fake.seen}
    assert accepts == {
        "/api/comparisons/R1": "application/vnd.orkg.comparison.v3+json",
        "/api/papers/R2": "application/vnd.orkg.paper.v2+json",
        "/api/contributions/R3": "application/vnd.orkg.contribution.v2+json",
    }


def test_paging_is_lazy_and_spans_three_pages(fake):
    items = [{"id": f"S{i}"} for i in range(5)]

    @fake.route("GET", "/api/statements")
    def _(c):
        n, size = int(c.req.query["page"][0]), int(c.req.query["size"][0])
        meta = {"size": size, "number": n, "total_elements": 5, "total_pages": 3}
        c.send(200, {"content": items[n * size : (n + 1) * size], "page": meta})

    api = api_for(fake.base)
    it = api.statements(subject="R1", size=2)
    assert next(it) == {"id": "S0"}
    assert api.request_count == 1  # lazy: only the first page so far
    assert [s["id"] for s in it] == ["S1", "S2", "S3", "S4"]
    assert api.request_count == 3
    assert [h.query["page"] for h in fake.hits("/api/statements")] == [["0"], ["1"], ["2"]]
    assert fake.hits("/api/statements")[0].query["subject_id"] == ["R1"]


def test_page_size_is_capped(fake):
    @fake.route("GET", "/api/statements")
    def _(c):
        c.send(200, {"content": [], "page": {"number": 0, "total_pages": 0}})

    list(api_for(fake.base).statements(predicate="P1", size=10_000))
    assert fake.hits("/api/statements")[0].query["size"] == ["2500"]


def test_predicates_by_label_is_exact(fake):
    @fake.route("GET", "/api/predicates")
    def _(c):
        assert c.req.query["exact"] == ["true"]
        content = [{"id": "P1", "label": "model"}, {"id": "P2", "label": "Model"}]
        c.send(200, {"content": content, "page": {"number": 0, "total_pages": 1}})

    assert [p["id"] for p in api_for(fake.base).predicates_by_label("model")] == ["P1"]


def test_parse_retry_after():
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_fetch_many_keeps_order_and_counts_requests(fake):
    for i in range(12):
        fake.route("GET", f"/api/resources/R{i}")(lambda c, i=i: c.send(200, {"id": f"R{i}"}))

    api = api_for(fake.base)
    got = api.fetch_many(api.resource, [f"R{i}" for i in reversed(range(12))], workers=6)
    assert [g["id"] for g in got] == [f"R{i}" for i in reversed(range(12))]
    assert api.request_count == 12


def test_fetch_many_raises_typed_error(fake):
    fake.route("GET", "/api/resources/R1")(lambda c: c.send(200, {"id": "R1"}))
    api = api_for(fake.base)
    with pytest.raises(NotFound) as info:
        api.fetch_many(api.resource, ["R1", "R2"], workers=2)
    assert "resource R2" in str(info.value)


def test_csv_contents_decoded_as_utf8(fake):
    @fake.route("GET", "/api/comparisons/R1/contents")
    def _(c):
        c.send(200, "Properties,Modèl – α\n".encode(), "text/csv")

    assert api_for(fake.base).comparison_csv("R1") == "Properties,Modèl – α\n"
    assert fake.hits("/api/comparisons/R1/contents")[0].headers["Accept"] == "text/csv"
