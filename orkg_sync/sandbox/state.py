"""The sandbox's state (store, tokens, accounts, faults), reached from views through ``get_sandbox()``.

The flaskr ``get_db()`` pattern: ``create_app`` puts one :class:`Sandbox` into ``app.extensions``;
views and helpers read it from ``current_app`` instead of receiving an untyped context.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import cast

from flask import Flask, current_app

from orkg_sync.sandbox.auth import Account, Tokens
from orkg_sync.sandbox.db import Store
from orkg_sync.sandbox.faults import FaultConfig, Faults

EXTENSION = "orkg_sandbox"


@dataclass
class Sandbox:
    store: Store
    tokens: Tokens
    accounts: dict[str, Account]
    faults: Faults
    control_token: str | None = None  # required on /_sandbox/* writes when set (docs/sandbox.md)
    # The database as it was once started (seeded), for POST /_sandbox/reset; None: the route is off.
    seeded: sqlite3.Connection | None = field(default=None, repr=False)

    def reset(self) -> None:
        """Back to the state after start-up: the database, faults and counters; no token is valid."""
        assert self.seeded is not None
        with self.store.lock:
            self.seeded.backup(self.store.conn)
        self.faults.configure(self.initial_faults)
        self.faults.reset_stats()
        self.tokens.clear()

    def __post_init__(self) -> None:
        self.initial_faults: FaultConfig = self.faults.config


def install(app: Flask, sandbox: Sandbox) -> None:
    app.extensions[EXTENSION] = sandbox


def get_sandbox() -> Sandbox:
    return cast(Sandbox, current_app.extensions[EXTENSION])


def get_store() -> Store:
    return get_sandbox().store
