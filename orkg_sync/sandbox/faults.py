"""Fault injection and request counters, driven by a seeded RNG so runs are reproducible."""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class FaultConfig:
    """Probabilities are per request in [0, 1]; only requests under /api are affected."""

    latency_ms: float = 0.0
    error_rate: float = 0.0  # answered 500 or 503 (alternating by RNG)
    rate_limit_rate: float = 0.0  # answered 429 with Retry-After
    retry_after: int = 1
    drop_rate: float = 0.0  # connection closed before processing, no response
    commit_drop_rate: float = 0.0  # writes only: applied, then the connection is closed
    seed: int = 0
    methods: str = ""  # e.g. "POST,PUT,DELETE": restrict faults to these methods ("" = all)
    reject_media_types: str = ""  # e.g. "application/vnd.orkg.paper.v2+json": 406 when Accept names one

    def rejects(self, accept: str) -> str | None:
        """The configured media type that ``accept`` names, if any (406 fault mode)."""
        if not self.reject_media_types:
            return None
        offered = {part.split(";")[0].strip().lower() for part in accept.split(",")}
        for mt in self.reject_media_types.split(","):
            if mt.strip().lower() in offered:
                return mt.strip()
        return None

    @classmethod
    def from_dict(cls, doc: dict[str, Any], base: FaultConfig | None = None) -> FaultConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(doc) - known
        if unknown:
            raise ValueError(f"unknown fault setting(s): {', '.join(sorted(unknown))}")
        merged = asdict(base or cls()) | doc
        return cls(**merged)


class Faults:
    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())
        self.counts: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self.rng = random.Random(config.seed)

    def roll(self, method: str) -> tuple[float, str | None]:
        """Latency to add and the fault to inject (None, '500', '503', '429', 'drop', 'commit_drop')."""
        c = self.config
        if c.methods and method not in {m.strip().upper() for m in c.methods.split(",")}:
            return 0.0, None
        with self._lock:
            r = self.rng.random()
            pick = self.rng.random()
        fault = None
        edges = [
            (c.drop_rate, "drop"),
            (c.rate_limit_rate, "429"),
            (c.error_rate, "500" if pick < 0.5 else "503"),
        ]
        if method in {"POST", "PUT", "PATCH", "DELETE"}:
            edges.append((c.commit_drop_rate, "commit_drop"))
        acc = 0.0
        for p, name in edges:
            acc += p
            if r < acc:
                fault = name
                break
        return c.latency_ms / 1000.0, fault

    def record(self, key: str, status: int, fault: str | None) -> None:
        with self._lock:
            self.counts[key] += 1
            self.statuses[f"{key} {status}"] += 1
            if fault:
                self.injected[fault] += 1

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self.counts.values()),
                "endpoints": dict(sorted(self.counts.items())),
                "statuses": dict(sorted(self.statuses.items())),
                "faults_injected": dict(sorted(self.injected.items())),
                "faults": asdict(self.config),
            }

    def reset_stats(self) -> None:
        with self._lock:
            self.counts.clear()
            self.statuses.clear()
            self.injected.clear()
