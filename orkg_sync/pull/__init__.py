"""`pull`: ORKG comparison -> snapshot + sync base -> RDF dataset, written as one atomic folder."""

from orkg_sync.pull.reader import pinned_predicates, read_comparison
from orkg_sync.pull.run import PullResult, pull
from orkg_sync.pull.syncbase import SyncBase

__all__ = ["PullResult", "SyncBase", "pinned_predicates", "pull", "read_comparison"]
