"""A local stand-in for the ORKG REST API (see docs/sandbox.md).

Self-contained on purpose: it imports nothing of the sync client or the mapping, so tests of the
client talk to an independent implementation of the reference, not to a mirror of themselves.
"""
