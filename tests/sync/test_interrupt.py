"""Ctrl-C and SIGTERM stop after the write in flight, journal it, and exit 6 with the --resume line."""

from __future__ import annotations

import signal
import time

import pytest

from .conftest import Workspace, set_value, ym
from .test_concurrency import spawn

MODELS = ["llama-3-2", "qwen-1", "qwen-1-5", "qwen-2", "qwen-2-5", "gemma", "gemma-2", "smollm"]
MODELS += ["h2o-danube3", "fox-1", "rene", "minicpm", "olmo", "tinyllama", "phi-1", "phi-2"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_cleanly_and_resume_finishes(ws: Workspace, sig: signal.Signals) -> None:
    for k, m in enumerate(MODELS, start=1):
        ws.edit(set_value(m, "releaseDate", ym(f"{2020 + k // 13}-{k % 12 or 12:02d}")))
    ws.sb.reset_stats()
    ws.sb.set_faults(latency_ms=700, methods="PUT")
    try:
        proc = spawn(ws, "push", "--yes")
        deadline = time.monotonic() + 60
        while not (ws.state / "push.journal").is_file():  # writes have begun
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        time.sleep(0.3)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        ws.sb.clear_faults()
    assert proc.returncode == 6, err
    assert "interrupted after" in err and "orkg-sync push --resume" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    writes = ws.writes()
    assert 0 < writes < len(MODELS)  # it stopped: not every write happened (8 run at a time)
    assert ws.cli("push", "--yes", "--resume").returncode == 0
    assert ws.cli("diff", "--exit-code").returncode == 0
    for label, k in (("Llama 3.2", 1), ("Phi-2", 16)):
        assert ws.remote(ws.contribution(label))["Date"] == [f"{2020 + k // 13}.{k % 12 or 12}"]
