"""Named SPARQL queries: list, load, run and format results (table, csv, json)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from orkg_sync.errors import InputError
from orkg_sync.resources import queries_dir
from orkg_sync.store import DatasetStore


def list_queries() -> dict[str, str]:
    """Name -> one-line description (the first comment line of each .rq)."""
    out = {}
    for path in sorted(queries_dir().glob("*.rq")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        out[path.stem] = first.lstrip("#").strip()
    return out


def load_query(name_or_file: str) -> tuple[str, str]:
    """Return (origin, text) for a query name or a .rq path."""
    if name_or_file.endswith(".rq"):
        p = Path(name_or_file)
        if not p.is_file():
            raise InputError(f"{p}: no such file")
        return str(p), p.read_text(encoding="utf-8")
    path = queries_dir() / f"{name_or_file}.rq"
    if not path.is_file():
        raise InputError(f"unknown query {name_or_file!r}; known: {', '.join(list_queries())}")
    return str(path), path.read_text(encoding="utf-8")


def run(store: DatasetStore, origin: str, text: str) -> tuple[list[str], list[list[str]]]:
    try:
        result = store.query(text)
    except SyntaxError as err:
        line = getattr(err, "lineno", None)
        col = getattr(err, "offset", None)
        where = f":{line}:{col}" if line is not None else ""
        msg = str(err).splitlines()[0] if str(err) else "syntax error"
        raise InputError(f"{origin}{where}: SPARQL syntax error: {msg}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise InputError(f"{origin}: only SELECT queries are supported")
    names = [v.value for v in result.variables]
    rows = [[_term(sol[n]) for n in names] for sol in result]
    return names, rows


def run_remote(
    endpoint: str, origin: str, text: str, *, graph: str | None = None
) -> tuple[list[str], list[list[str]]]:
    """The same (columns, rows) as :func:`run`, from a SPARQL endpoint's JSON results."""
    from orkg_sync.publish.gsp import run_remote_query

    try:
        body = run_remote_query(endpoint, text, "json", graph=graph)
    except InputError as err:
        raise InputError(f"{origin}: {err}") from None
    doc = json.loads(body)
    if "boolean" in doc or "results" not in doc:
        raise InputError(f"{origin}: only SELECT queries are supported")
    names = list(doc["head"]["vars"])
    rows = [[b.get(n, {}).get("value", "") for n in names] for b in doc["results"]["bindings"]]
    return names, rows


def _term(t: object) -> str:
    if t is None:
        return ""
    return str(getattr(t, "value", t))


def format_result(names: list[str], rows: list[list[str]], fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps([dict(zip(names, r, strict=True)) for r in rows], indent=2, ensure_ascii=False) + "\n"
        )
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
        return buf.getvalue()
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines) + "\n"
