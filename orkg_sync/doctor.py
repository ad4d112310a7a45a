"""`doctor`: a pre-flight against an ORKG host that writes nothing (reads only, plus a token request).

Each check gives one line ``ok|warn|fail|skip  name: detail``. A failed remote check (unreachable, TLS,
media types) makes the exit code 3, failed credentials 4, any other failure (comparison, predicates,
datatypes) 1; warnings alone exit 0.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from orkg_sync.client.api import COMPARISON_V3, PAPER_V2, OrkgApi
from orkg_sync.client.auth import Credentials, TokenAuth
from orkg_sync.client.hosts import Host
from orkg_sync.client.transport import RetryPolicy, Transport
from orkg_sync.errors import EXIT_AUTH, EXIT_INVALID_DATA, EXIT_REMOTE, AuthError, OrkgSyncError, RemoteError
from orkg_sync.mapping.config import Mapping
from orkg_sync.mapping.rules import RuleError, accepts
from orkg_sync.snapshot import Snapshot

QUICK = RetryPolicy(
    attempts=2, base_delay=0.1, max_delay=0.5, total_time=8.0, connect_timeout=3.0, read_timeout=15.0
)
REMOTE_CHECKS = ("reachable", "TLS", "media types")


@dataclass
class Check:
    status: str  # ok | warn | fail | skip
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.status:<5} {self.name}: {self.detail}"


@dataclass
class Doctor:
    host: Host
    comparison: str | None = None
    mapping: Mapping | None = None
    credentials: Credentials | None = None
    checks: list[Check] = field(default_factory=list)
    api: OrkgApi = field(init=False)
    _comparison: dict[str, Any] | None = None
    _snapshot: Snapshot | None = None

    def __post_init__(self) -> None:
        self.api = OrkgApi(Transport(self.host, policy=QUICK))

    def run(self, emit: Callable[[Check], None] = lambda c: None) -> int:
        """Run every check in order (later ones skip when what they need failed); the exit code."""
        for check in self._all():
            self.checks.append(check)
            emit(check)
        return self.exit_code()

    def exit_code(self) -> int:
        failed = {c.name for c in self.checks if c.status == "fail"}
        if failed & set(REMOTE_CHECKS):
            return EXIT_REMOTE
        if "credentials" in failed:
            return EXIT_AUTH
        return EXIT_INVALID_DATA if failed else 0

    # ---- the checks, in order ---------------------------------------------------------------------
    def _all(self) -> Iterator[Check]:
        reach = self._reachable()
        yield reach
        yield self._tls()
        if reach.status == "fail":
            return
        yield self._media_types()
        yield self._credentials()
        if self.comparison is None:
            return
        found = self._comparison_exists()
        yield found
        if found.status == "fail":
            return
        yield self._publish_prerequisites()
        if self.mapping is not None:
            yield from self._mapping_checks()

    def _reachable(self) -> Check:
        start = time.monotonic()
        try:
            self.api.t.request("GET", "/api/predicates/P31", what="predicate P31")
        except RemoteError as err:
            return Check("fail", "reachable", str(err))
        except OrkgSyncError as err:  # it answered, if not as hoped: reachable
            return Check("warn", "reachable", f"answers, but not with predicate P31 ({err})")
        ms = (time.monotonic() - start) * 1000
        return Check("ok", "reachable", f"{self.host.api_base} answered in {ms:.0f} ms")

    def _tls(self) -> Check:
        if self.host.api_base.startswith("https://"):
            return Check("ok", "TLS", "https with a verified certificate")
        return Check("warn", "TLS", "plain http (allowed for loopback only; orkg.org is https)")

    def _media_types(self) -> Check:
        probes = [
            ("page envelope", "/api/statements", "application/json", {"size": 1}),
            ("paper v2", "/api/papers", PAPER_V2, {"size": 1}),
            ("comparison v3", "/api/comparisons", COMPARISON_V3, {"size": 1}),
        ]
        for name, path, accept, params in probes:
            try:
                resp = self.api.t.request("GET", path, what=f"{name} ({path})", accept=accept, params=params)
                body = resp.json()
            except (OrkgSyncError, ValueError) as err:
                return Check("fail", "media types", f"{name}: {err}")
            if not isinstance(body, dict) or not isinstance(body.get("content"), list):
                return Check(
                    "fail", "media types", f"{name}: {path} did not answer a page ({{content: [...]}})"
                )
        return Check("ok", "media types", "comparison v3, paper v2 and the page envelope are served")

    def _credentials(self) -> Check:
        if self.credentials is None:
            return Check(
                "skip", "credentials", "none given (ORKG_TOKEN or ORKG_USERNAME/ORKG_PASSWORD): reads only"
            )
        try:
            TokenAuth(self.host, self.credentials).access_token()
        except AuthError as err:
            return Check("fail", "credentials", str(err))
        except OrkgSyncError as err:
            return Check("fail", "credentials", f"token endpoint {self.host.token_url}: {err}")
        return Check("ok", "credentials", f"a token was issued by {self.host.token_url}")

    def _comparison_exists(self) -> Check:
        assert self.comparison is not None
        try:
            self._comparison = comp = self.api.comparison(self.comparison)
        except OrkgSyncError as err:
            return Check("fail", "comparison", str(err))
        head = (comp.get("versions") or {}).get("head", {}).get("id") or self.comparison
        if comp.get("published"):
            return Check(
                "ok", "comparison", f"{self.comparison} is a published version of {head} (sync edits {head})"
            )
        return Check("ok", "comparison", f"{self.comparison} is a head (editable)")

    def _publish_prerequisites(self) -> Check:
        comp = self._comparison or {}
        missing = []
        if len(comp.get("sources") or []) < 2:
            missing.append("two sources")
        if not comp.get("research_fields"):
            missing.append("a research field")
        if not comp.get("authors"):
            missing.append("authors")
        if missing:
            return Check("warn", "publish", f"a new version cannot be published: needs {', '.join(missing)}")
        return Check("ok", "publish", "two or more sources, a research field and authors")

    def _mapping_checks(self) -> Iterator[Check]:
        from orkg_sync.pull.reader import read_comparison

        assert self.mapping is not None and self.comparison is not None
        try:
            self._snapshot = read_comparison(
                self.api, self.comparison, self.mapping, host=self.host.api_base, workers=8
            )
        except OrkgSyncError as err:  # an ambiguous predicate label is raised here
            yield Check("fail", "predicates", str(err))
            return
        yield self._predicates()
        yield from self._datatypes()

    def _predicates(self) -> Check:
        assert self.mapping is not None and self._snapshot is not None
        found = self.mapping.predicate_ids(self._snapshot.predicates, self.host.api_base)
        named = {pm.property for pm in found.values()}
        unresolved = [
            pm.orkg_label for pm in self.mapping.properties if pm.property not in named and not pm.generic
        ]
        if unresolved:
            return Check(
                "warn",
                "predicates",
                f"{len(found)} resolve; not found on any source (pin orkg_id before pushing new values): "
                + ", ".join(repr(x) for x in unresolved),
            )
        return Check(
            "ok", "predicates", f"all {len(found)} mapped predicates resolve (by pin or unique label)"
        )

    def _datatypes(self) -> Iterator[Check]:
        """Each literal column: does ORKG accept, under the literal's datatype, what our rule writes?"""
        assert self.mapping is not None and self._snapshot is not None
        snap = self._snapshot
        by_pid = self.mapping.predicate_ids(snap.predicates, self.host.api_base)
        rejected: list[str] = []
        columns = 0
        for pid, pm in sorted(by_pid.items()):
            if pm.value_kind != "literal" or pm.generic:
                continue
            columns += 1
            for st in snap.statements.values():
                lit = snap.literals.get(st["object_id"]) if st["predicate_id"] == pid else None
                if lit is None:
                    continue
                label, dt = str(lit.get("label") or ""), lit.get("datatype") or pm.datatype
                try:
                    value = pm.rule.parse(label)
                    rendered = pm.rule.render_new(value, None) if value is not None else label
                except (RuleError, NotImplementedError):
                    continue  # kept as text: written back as it is
                for datatype in {dt, pm.datatype}:
                    if not accepts(datatype, rendered):
                        rejected.append(f"{pm.orkg_label}: {rendered!r} as {datatype}")
        if rejected:
            yield Check(
                "fail",
                "datatypes",
                "ORKG would reject (400 invalid_literal_label): " + "; ".join(sorted(set(rejected))[:5]),
            )
        else:
            yield Check(
                "ok",
                "datatypes",
                f"every literal column's ORKG datatype accepts its rule's rendering ({columns} columns)",
            )
