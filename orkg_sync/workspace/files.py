"""The names of the files a pull writes into the workspace folder (one place for pull and push)."""

SNAPSHOT, BASE, DATASET, REPORT = "snapshot.json", "syncbase.json", "dataset.ttl", "validation-report.json"
