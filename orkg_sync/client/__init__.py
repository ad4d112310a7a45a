"""HTTP client for the ORKG REST API: pooled session, retries, typed errors, hosts and auth."""

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.auth import Credentials, TokenAuth
from orkg_sync.client.hosts import Host, resolve_host
from orkg_sync.client.transport import RetryPolicy, Transport

__all__ = ["Credentials", "Host", "OrkgApi", "RetryPolicy", "TokenAuth", "Transport", "resolve_host"]
