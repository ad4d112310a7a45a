"""Linked-data server: dereferenceable IRIs, a read-only SPARQL endpoint and HTML pages over a store."""

from orkg_sync.server.app import create_app

__all__ = ["create_app"]
