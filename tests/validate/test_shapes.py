"""The SHACL shapes catch the oddities of NOTES.md section 7, and both engines agree on every case."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from orkg_sync.build import build_dataset
from orkg_sync.store import DatasetStore
from orkg_sync.validate import Report, validate

from .conftest import BASE, Edit

FIXTURE = Path(__file__).with_name("fixture_shapes.ttl")
SHAPES = "https://w3id.org/orkg-sync/slm/shapes#"


def found(report: Report, model: str | None, shape: str, severity: str, value: str | None = None) -> bool:
    """Is there a result from ``shape`` with this severity (on ``model``, with ``value`` in its value)?"""
    for r in report.results:
        if r.shape != f"<{SHAPES}{shape}>" or r.severity != severity:
            continue
        if model is not None and r.focus != f"<{BASE}model/{model}>":
            continue
        if value is not None and (r.value is None or value not in r.value):
            continue
        return True
    return False


# (NOTES.md section 7 oddity, edit, model slug, shape, severity, value fragment)
CASES: list[tuple[str, Callable[[Edit], Edit], str | None, str, str, str | None]] = [
    (
        "date that is no yyyy.m",
        lambda e: e.set_cell("Llama 3.2", "Date", "Sept 2024"),
        "llama-3-2",
        "date-datatype",
        "Violation",
        "Sept 2024",
    ),
    (
        "two release dates",
        lambda e: e.set_cell("Llama 3.2", "Date", "2024.9", "2024.10"),
        "llama-3-2",
        "date-single",
        "Violation",
        None,
    ),
    (
        "size that is not a count",
        lambda e: e.set_cell("Phi-2", "number of parameters", "about 2.7B"),
        "phi-2",
        "params-datatype",
        "Violation",
        "about 2.7B",
    ),
    (
        "size far outside the SLM range (72B)",
        lambda e: e.set_cell("Phi-2", "number of parameters", "2.7B; 72B"),
        "phi-2",
        "params-above-slm-range",
        "Warning",
        "72000000000",
    ),
    (
        "size below the SLM range",
        lambda e: e.set_cell("Phi-2", "number of parameters", "61M-7B"),
        "phi-2",
        "params-below-slm-range",
        "Warning",
        "61000000",
    ),
    (
        "paradigm outside the vocabulary",
        lambda e: e.set_cell("Phi-2", "Paradigm", "Quantization"),
        "phi-2",
        "paradigm-text",
        "Warning",
        "Quantization",
    ),
    (
        "domain outside the vocabulary",
        lambda e: e.set_cell("Phi-2", "Domain", "Legal"),
        "phi-2",
        "domain-text",
        "Warning",
        "Legal",
    ),
    (
        "attention outside the vocabulary",
        lambda e: e.set_cell("Phi-2", "Attention mechanism", "Linear attn"),
        "phi-2",
        "attention-text",
        "Warning",
        "Linear attn",
    ),
    (
        "FlashAttention is an implementation",
        lambda e: e.set_cell("Phi-2", "Attention mechanism", "FlashAttention-2"),
        "phi-2",
        "attention-implementation",
        "Warning",
        "flash-attention",
    ),
    (
        "UNK activation means missing",
        lambda e: e.set_cell("Llama 3.2", "Activation method/function", "UNK"),
        "llama-3-2",
        "activation-missing",
        "Warning",
        None,
    ),
    (
        "N/A domain means missing",
        lambda e: e.set_cell("Phi-2", "Domain", "N/A"),
        "phi-2",
        "domain-missing",
        "Warning",
        None,
    ),
    (
        "two models in one label",
        lambda e: e.rename("Phi-2", "Phi-2, Phi-2.5"),
        "phi-2-phi-2-5",
        "label-several-models",
        "Warning",
        "Phi-2, Phi-2.5",
    ),
    (
        "same name in another case (MINITRON / Minitron)",
        lambda e: e.rename("Phi-2", "LLAMA 3.2"),
        None,
        "DatasetShape",
        "Violation",
        "LLAMA 3.2",
    ),
    (
        "name variant (Llama 3.2 / Llama-3.2)",
        lambda e: e.rename("Phi-2", "Llama-3.2"),
        None,
        "DatasetNameWarnings",
        "Warning",
        "Llama-3.2",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_oddity_is_caught(case: tuple) -> None:  # type: ignore[type-arg]
    _, change, model, shape, severity, value = case
    report = validate(change(Edit()).store())
    assert found(report, model, shape, severity, value), report.to_text()
    # and the unedited dataset does not have it: the edit is what the shapes caught
    assert not found(validate(build_dataset()), model, shape, severity, value)


def test_mapping_normalises_what_needs_no_report() -> None:
    """Synonyms, case and date styles (NOTES 7) are normalised by the mapping, so the shapes stay quiet."""
    e = (
        Edit()
        .set_cell("Phi-2", "Attention mechanism", "Group Query Attention")
        .set_cell("Phi-2", "Paradigm", "Instruction Tuning", "Continous Training")
        .set_cell("Phi-2", "Domain", "Generic (math)")
        .set_cell("Phi-2", "Activation method/function", "Swish-GLU")
        .set_cell("Phi-2", "Date", "2023.10")
        .set_cell("Phi-2", "number of parameters", "500M; 0.5B")
    )
    report = validate(e.store())
    phi = [r for r in report.results if r.focus == f"<{BASE}model/phi-2>"]
    assert [r for r in phi if r.severity == "Violation"] == []
    assert not any(r.shape.endswith(("-text>", "-in-scheme>")) for r in phi)


def fixture_store() -> DatasetStore:
    st = DatasetStore()
    st.load_file(FIXTURE)
    return st


@pytest.mark.parametrize(
    ("model", "shape", "value"),
    [
        ("negative", "params-positive", "-5"),
        ("negative", "params-positive", "0"),
        ("negative", "params-min-max", "0"),
        ("decimal", "params-datatype", "1.5"),
        ("illtyped", "params-datatype", "twelve"),
        ("illtyped", "date-valid", "2024-13"),
        ("wrongscheme", "attention-in-scheme", "domain/coding"),
        ("wrongscheme", "date-datatype", "not-a-date"),
        ("twonames", "label-single", None),
        ("tagged", "label-datatype", "Tagged"),
        ("nameless", "label-required", None),
    ],
)
def test_hand_written_violations(model: str, shape: str, value: str | None) -> None:
    report = validate(fixture_store())
    assert found(report, model, shape, "Violation", value), report.to_text()


def test_good_model_is_clean() -> None:
    report = validate(fixture_store())
    assert not [r for r in report.results if r.focus == f"<{BASE}model/good>"]


def test_engines_agree_on_the_hand_written_fixture() -> None:
    fast, ref = validate(fixture_store()), validate(fixture_store(), engine="pyshacl")
    assert Counter(fast.results) == Counter(ref.results)
    assert fast.violations > 10


def test_engines_agree_on_the_shipped_dataset() -> None:
    fast, ref = validate(build_dataset()), validate(build_dataset(), engine="pyshacl")
    assert Counter(fast.results) == Counter(ref.results) and fast.results


_SLM = "https://w3id.org/orkg-sync/slm#"
_CONTRIBUTION = "https://w3id.org/orkg-sync/ns#orkgContribution"


def _quads(store: DatasetStore) -> set[str]:
    return {str(q) for q in store.store}


@functools.cache
def _pristine() -> frozenset[str]:
    return frozenset(_quads(Edit().store()))


def touched_models(store: DatasetStore) -> list[str]:
    """The models an edit changed: named in a changed triple, directly or through their contribution."""
    changed = _quads(store) ^ _pristine()
    nodes = {part.strip("<>") for quad in changed for part in quad.split(" ") if part.startswith("<")}
    rows = store.query(f"SELECT ?m ?c WHERE {{ ?m a <{_SLM}LanguageModel> ; <{_CONTRIBUTION}> ?c }}")
    return sorted({r["m"].value for r in rows if r["m"].value in nodes or r["c"].value in nodes})


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_engines_agree_on_every_oddity(case: tuple) -> None:  # type: ignore[type-arg]
    """Both engines on the models the edit touched (plus the table-wide checks on the dataset node).

    The other 37 models are unchanged, and test_engines_agree_on_the_shipped_dataset covers them; with
    pySHACL's focus the 14 cases cost about a second each instead of 5-10 s.
    """
    store = case[1](Edit()).store()
    touched = touched_models(store)
    assert touched, "the edit changed no model"
    fast = validate(store, focus=touched)
    assert fast.results and Counter(fast.results) == Counter(
        validate(store, engine="pyshacl", focus=touched).results
    )


def test_focus_revalidates_one_model_with_the_same_results() -> None:
    store = CASES[0][1](Edit()).store()
    full = validate(store)
    model = f"{BASE}model/llama-3-2"
    part = validate(store, focus=[model])
    dataset_checks = {r for r in full.results if "model/" not in r.focus}
    assert set(part.results) == {r for r in full.results if r.focus == f"<{model}>"} | dataset_checks
