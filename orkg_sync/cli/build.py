"""`orkg-sync build`: the offline main job, shipped snapshot -> validated dataset release in dist/."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from orkg_sync.cli.options import (
    InputFile,
    OutputPath,
    base_option,
    command,
    conflicts,
    json_option,
    option,
)
from orkg_sync.errors import InputError, InvalidDataError


@command
@click.command("build")
@conflicts("no_validate", "strict")
@conflicts("no_validate", "force")
@option(
    "--snapshot",
    "snapshot_path",
    type=InputFile(suffixes=(".json",)),
    help="ORKG-native snapshot (.json) to build from (default: the shipped R790020 reconstruction).",
)
@option(
    "--mapping",
    "mapping_path",
    type=InputFile(suffixes=(".toml",)),
    help="Mapping file (TOML; default: the shipped mapping).",
)
@base_option
@option(
    "--out",
    type=OutputPath("dir"),
    default=Path("dist"),
    show_default=True,
    help="Release folder to write (swapped in atomically).",
)
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (the release then has no report).")
@option("--strict", is_flag=True, help="Treat SHACL warnings as failures too (exit 1).")
@option(
    "--force",
    is_flag=True,
    help="Write the release even when validation fails (the report says what is wrong).",
)
@click.option(
    "--date",
    default=None,
    help="Release time (ISO date or date-time) for dct:issued/modified; default SOURCE_DATE_EPOCH, "
    "else the snapshot's retrieval time.",
)
@json_option
def build_cmd(
    snapshot_path: Path | None,
    mapping_path: Path | None,
    base: str,
    out: Path,
    no_validate: bool,
    strict: bool,
    force: bool,
    as_json: bool,
    date: str | None,
) -> None:
    """Map a snapshot to RDF, validate it with the SHACL shapes and write the release folder.

    The folder (default dist/) holds data.ttl, data.nt (sorted), data.jsonld + context.jsonld,
    void.ttl (DCAT/VoID description), the validation report, the ontology, vocabularies, mapping and
    shapes, and SHA256SUMS. It is swapped in atomically. With SHACL violations (or warnings under
    --strict) nothing is written unless --force, and the exit code is 1.
    """
    from orkg_sync import build as b

    start = time.perf_counter()
    try:
        result = b.build(
            snapshot_path, mapping_path=mapping_path, base=base, validate=not no_validate, date=date, out=out
        )
    except ValueError as err:  # a malformed --date or SOURCE_DATE_EPOCH
        raise InputError(f"--date / SOURCE_DATE_EPOCH: {err}") from None
    with result:  # staged beside --out: written by one rename, or removed
        report = result.report
        violations = getattr(report, "violations", 0) if report is not None else 0
        warnings = getattr(report, "warnings", 0) if report is not None else 0
        failed = violations > 0 or (strict and warnings > 0)
        written = b.write(result, out) if not failed or force else None
    summary = {
        "snapshot": str(snapshot_path or "shipped R790020 reconstruction"),
        "models": len(result.mapping.models),
        "triples": result.triples,
        "mapping_warnings": len(result.mapping.warnings),
        "validated": report is not None,
        "violations": violations,
        "warnings": warnings,
        "out": str(written) if written else None,
        "files": sorted(result.files) if written else [],
        "seconds": round(time.perf_counter() - start, 3),
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2, sort_keys=True))
    else:
        click.echo(
            f"{summary['models']} models, {summary['triples']} triples, "
            f"{summary['mapping_warnings']} mapping warnings"
            + (
                f", SHACL: {violations} violations, {warnings} warnings"
                if report is not None
                else ", not validated"
            )
        )
        if written:
            click.echo(f"wrote {len(result.files) + 1} files to {written}/ in {summary['seconds']} s")
    if failed:
        what = f"{violations} SHACL violations" + (f" and {warnings} warnings (--strict)" if strict else "")
        where = f"{out}/validation-report.ttl" if written else "run `orkg-sync validate` for the report"
        raise InvalidDataError(
            f"{what}; {'release written anyway (--force)' if written else 'nothing written'}: {where}"
        )
