"""Two-way sync with ORKG: three-way diff, plan, journaled apply, resume (docs/push.md)."""
