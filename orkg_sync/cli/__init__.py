"""The `orkg-sync` command line (click)."""
