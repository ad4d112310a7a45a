"""orkg-sync: an ORKG comparison as a first-class linked-data dataset, kept in sync with ORKG."""

__version__ = "0.1.0"
