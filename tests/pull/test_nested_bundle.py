"""Nested table paths come from the bundle too: a request count that grows neither with the sources nor
with the nested resources, and exactly the bytes of the per-resource reads.

Against the real sandbox over loopback: the seeded R9103001 (outcome -> value / unit -> symbol) and a
comparison of 200 sources with two nested levels built through the sandbox's REST API here.
"""

from __future__ import annotations

import http.server
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from orkg_sync.mapping import Mapping, load_mapping
from orkg_sync.pull.reader import bundle_levels, read_comparison
from orkg_sync.snapshot import Snapshot
from tests.init.conftest import run
from tests.pull.test_bundle import api_for, outputs

CMP_V3 = "application/vnd.orkg.comparison.v3+json"
CONTRIB_V2 = "application/vnd.orkg.contribution.v2+json"
# seeds/nested_paths.json: has outcome, value, unit, symbol, sample size; a paper; the research field
OUTCOME, VALUE, UNIT, SYMBOL, SIZE = "P9103001", "P9103002", "P9103003", "P9103004", "P9103005"
PAPER, FIELD, MMHG = "R9103010", "R9103003", "R9103102"


def both_ways(
    url: str, comparison: str, mapping: Mapping
) -> tuple[tuple[Snapshot, int], tuple[Snapshot, int]]:
    """(snapshot, requests) by the bundle and by the per-source/per-resource reads."""
    out = []
    for bundle in (True, False):
        api = api_for(url)
        snap = read_comparison(api, comparison, mapping, host=url, bundle=bundle)
        out.append((snap, api.request_count))
    return out[0], out[1]


def init_mapping(sb: Any, tmp: Path, comparison: str) -> Mapping:
    proc = run(tmp, sb, "init", "--comparison", comparison, "--out", str(tmp / comparison))
    assert proc.returncode == 0, proc.stderr
    return load_mapping(tmp / comparison / "mapping.toml")


def nested_ids(snap: Snapshot) -> set[str]:
    """Subjects of statements that are neither a source nor a comparison: the nested rows read."""
    links = {
        st["object_id"] for st in snap.statements.values() if st["predicate_id"] == "compareContribution"
    }
    roots = {
        st["subject_id"] for st in snap.statements.values() if st["predicate_id"] == "compareContribution"
    }
    paper = {st["subject_id"] for st in snap.statements.values() if st["predicate_id"] == "P31"}
    return {st["subject_id"] for st in snap.statements.values()} - links - roots - paper


def test_r9103001_bundle_and_per_resource_reads_give_identical_bytes(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    mapping = init_mapping(fresh_sandbox, tmp_path, "R9103001")
    (by_bundle, bundle_requests), (per_resource, per_requests) = both_ways(
        fresh_sandbox.url, "R9103001", mapping
    )
    assert nested_ids(per_resource) == {"R9103012", "R9103013", "R9103015", "R9103022", "R9103023"} | {
        "R9103101",
        MMHG,
    }  # five outcomes and two shared units: the second and third level were read
    assert outputs(by_bundle, mapping) == outputs(per_resource, mapping)
    # comparison, its table paths, one bundle 4 levels deep, the paper link; the per-source way reads
    # 3 sources and 7 nested resources one by one
    assert bundle_requests == 4
    assert per_requests == 4 + 3 + 7


def test_a_published_version_reads_nested_rows_from_both_bundles(fresh_sandbox: Any, tmp_path: Path) -> None:
    mapping = init_mapping(fresh_sandbox, tmp_path, "R9103001")
    (by_bundle, bundle_requests), (per_resource, _) = both_ways(fresh_sandbox.url, "R9103002", mapping)
    assert outputs(by_bundle, mapping) == outputs(per_resource, mapping)
    assert bundle_requests == 5  # two bundles (version and head), nothing per nested resource
    assert MMHG in nested_ids(by_bundle)


def test_bundle_depth_follows_the_table_paths() -> None:
    leaf = {"id": SIZE, "children": []}
    assert bundle_levels(None) == bundle_levels([]) == bundle_levels([leaf]) == 2
    three = [
        leaf,
        {"id": OUTCOME, "children": [{"id": VALUE, "children": []}, {"id": UNIT, "children": [leaf]}]},
    ]
    assert bundle_levels(three) == 4  # comparison -> source -> outcome -> unit -> symbol


def _post(sb: Any, path: str, body: dict[str, Any], media: str = "application/json") -> str:
    headers = {**sb.auth(), "Content-Type": media, "Accept": media}
    r = requests.post(f"{sb.url}{path}", json=body, headers=headers, timeout=30)
    assert r.status_code == 201, (path, r.status_code, r.text)
    return str(r.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def _contribution(sb: Any, i: int) -> str:
    """Source i: a sample size and one outcome (a value and a unit of its own with a symbol)."""
    body = {
        "resources": {
            "#o": {"label": f"Outcome {i}", "classes": ["C9103001"]},
            "#u": {"label": f"unit {i}", "classes": ["C9103002"]},
        },
        "literals": {
            "#n": {"label": str(100 + i), "data_type": "xsd:integer"},
            "#v": {"label": f"{i}.5", "data_type": "xsd:decimal"},
            "#s": {"label": f"u{i}", "data_type": "xsd:string"},
        },
        "contribution": {
            "label": f"Arm {i}",
            "statements": {
                SIZE: [{"id": "#n"}],
                OUTCOME: [
                    {
                        "id": "#o",
                        "statements": {
                            VALUE: [{"id": "#v"}],
                            UNIT: [{"id": "#u", "statements": {SYMBOL: [{"id": "#s"}]}}],
                        },
                    }
                ],
            },
        },
    }
    return _post(sb, f"/api/papers/{PAPER}/contributions", body, CONTRIB_V2)


def nested_comparison(sb: Any, n: int) -> str:
    """A comparison of ``n`` sources with values two nested levels deep (2n nested resources)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        sources = list(pool.map(lambda i: _contribution(sb, i), range(n)))
    body = {
        "title": f"{n} nested sources",
        "description": "Built by tests/pull/test_nested_bundle.py.",
        "research_fields": [FIELD],
        "authors": [{"name": "Test Author"}],
        "sources": [{"id": c, "type": "THING"} for c in sources],
        "references": [],
        "observatories": [],
        "organizations": [],
        "is_anonymized": False,
    }
    cid = _post(sb, "/api/comparisons", body, CMP_V3)
    paths = [
        {"id": SIZE, "type": "PREDICATE", "children": []},
        {
            "id": OUTCOME,
            "type": "PREDICATE",
            "children": [
                {"id": VALUE, "type": "PREDICATE", "children": []},
                {
                    "id": UNIT,
                    "type": "PREDICATE",
                    "children": [{"id": SYMBOL, "type": "PREDICATE", "children": []}],
                },
            ],
        },
    ]
    headers = {**sb.auth(), "Content-Type": CMP_V3}
    r = requests.put(
        f"{sb.url}/api/comparisons/{cid}/contents",
        json={"selected_paths": paths},
        headers=headers,
        timeout=30,
    )
    assert r.status_code == 204, r.text
    return cid


def test_request_count_grows_neither_with_sources_nor_nested_resources(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    sb, n = fresh_sandbox, 200
    cid = nested_comparison(sb, n)
    counted = {}
    for comparison in ("R9103001", cid):
        mapping = init_mapping(sb, tmp_path, comparison)
        sb.reset_stats()
        api = api_for(sb.url)
        snap = read_comparison(api, comparison, mapping, host=sb.url)
        served = sum(v for k, v in sb.stats()["endpoints"].items() if k.startswith("GET /api/"))
        assert served == api.request_count  # the sandbox's own counter agrees with the client's
        counted[comparison] = (served, snap, mapping)
    (small_requests, _, _), (big_requests, big_snap, big) = counted["R9103001"], counted[cid]
    assert len(nested_ids(big_snap)) == 2 * n  # every outcome and every unit was read
    symbols = [st for st in big_snap.statements.values() if st["predicate_id"] == SYMBOL]
    assert len(symbols) == n  # down to the third level
    assert small_requests == big_requests == 4
    (by_bundle, _), (per_resource, per_requests) = both_ways(sb.url, cid, big)
    assert per_requests == 4 + n + 2 * n  # what the bundle saves
    assert outputs(by_bundle, big) == outputs(per_resource, big)


def test_the_sandbox_bundle_returns_every_statement_between_the_things_reached(fresh_sandbox: Any) -> None:
    """The backend's bundle is ``apoc.path.subgraphAll``: the relationships *between* the nodes within
    ``max_level`` hops, so a last-level thing's statement back to a reached thing is in it, and its
    statement to a thing one hop further out is not."""
    from tests.init.conftest import Api

    api = Api(fresh_sandbox)
    a, b = (api.post("/api/resources", {"label": x, "classes": []}) for x in ("A", "B"))
    lit = api.post("/api/literals", {"label": "far", "datatype": "xsd:string"})
    to_b, back, out = api.statement(a, VALUE, b), api.statement(b, VALUE, a), api.statement(b, UNIT, lit)
    got = requests.get(f"{fresh_sandbox.url}/api/statements/{a}/bundle", params={"max_level": 1}, timeout=10)
    assert {st["id"] for st in got.json()["statements"]} == {to_b, back}
    deeper = requests.get(
        f"{fresh_sandbox.url}/api/statements/{a}/bundle", params={"max_level": 2}, timeout=10
    )
    assert {st["id"] for st in deeper.json()["statements"]} == {to_b, back, out}


class _ShallowBundle(http.server.BaseHTTPRequestHandler):
    """Forwards GETs to the sandbox; a backend that caps the bundle at 2 levels whatever is asked."""

    upstream = ""

    def do_GET(self) -> None:
        path = re.sub(r"max_level=\d+", "max_level=2", self.path)
        r = requests.get(self.upstream + path, headers={"Accept": self.headers["Accept"]}, timeout=30)
        self.send_response(r.status_code)
        self.send_header("Content-Type", r.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(r.content)))
        self.end_headers()
        self.wfile.write(r.content)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_bundle_cut_short_reads_the_missing_levels_resource_by_resource(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    mapping = init_mapping(fresh_sandbox, tmp_path, "R9103001")
    handler = type("Handler", (_ShallowBundle,), {"upstream": fresh_sandbox.url})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        proxy = f"http://127.0.0.1:{srv.server_address[1]}"
        api = api_for(proxy)
        shallow = read_comparison(api, "R9103001", mapping, host=fresh_sandbox.url)
    finally:
        srv.shutdown()
    direct = read_comparison(api_for(fresh_sandbox.url), "R9103001", mapping, host=fresh_sandbox.url)
    assert outputs(shallow, mapping) == outputs(direct, mapping)
    assert api.request_count == 4 + 7  # the bundle for the sources, then 5 outcomes and 2 units one by one
