"""Parse/render rules: every oddity of NOTES.md section 7, and render(parse(x)) canonical (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orkg_sync.mapping import load_mapping
from orkg_sync.mapping.rules import ParameterCountsRule, RuleError, YearMonthRule

P = ParameterCountsRule()
D = YearMonthRule()


@pytest.mark.parametrize(
    ("label", "counts", "is_range"),
    [
        ("1B; 3B", (10**9, 3 * 10**9), False),
        ("135M, 360M, 1.7B", (135 * 10**6, 360 * 10**6, 1_700_000_000), False),
        ("500M; 4B", (500 * 10**6, 4 * 10**9), False),
        ("270M; 450M; 1.1B; 3B", (270 * 10**6, 450 * 10**6, 1_100_000_000, 3 * 10**9), False),
        ("111M-13B", (111 * 10**6, 13 * 10**9), True),
        ("61M-7B", (61 * 10**6, 7 * 10**9), True),
        ("0.5B", (500 * 10**6,), False),
        ("1100M", (1_100_000_000,), False),
    ],
)
def test_parameter_lists(label: str, counts: tuple[int, ...], is_range: bool) -> None:
    value = P.parse(label)
    assert value is not None
    assert value.counts == counts
    assert value.is_range is is_range
    assert P.render(value, label) == label


def test_same_size_two_spellings_are_equal_counts() -> None:
    a, b = P.parse("0.5B"), P.parse("500M")
    assert a is not None and b is not None
    assert a.counts == b.counts
    assert P.render(a) == "0.5B" and P.render(b) == "500M"


@pytest.mark.parametrize("bad", ["-1B", "1B; ; 2B", "13B-111M", "lots", "1.5", "0B", "1.0000000005K"])
def test_bad_parameter_labels_raise(bad: str) -> None:
    with pytest.raises(RuleError):
        P.parse(bad)


@pytest.mark.parametrize("missing", ["", "  ", "Unknown", "UNK", "-", "N/A", "n/a"])
def test_missing_markers(missing: str) -> None:
    assert P.parse(missing) is None
    assert D.parse(missing) is None


@pytest.mark.parametrize(
    ("label", "iso"),
    [
        ("2024.9", "2024-09"),
        ("2023.1", "2023-01"),
        ("2023.10", "2023-10"),
        ("2024.09", "2024-09"),
        ("2024-09", "2024-09"),
        ("2022.10", "2022-10"),
    ],
)
def test_dates_are_text_not_numbers(label: str, iso: str) -> None:
    value = D.parse(label)
    assert value is not None and value.iso == iso
    assert D.render(value, label) == label


def test_changed_date_keeps_original_style() -> None:
    new = D.parse("2024.10")
    assert new is not None
    assert D.render(new, "2024.9") == "2024.10"
    assert D.render(D.parse("2024-03"), "2024.09") == "2024.03"  # type: ignore[arg-type]
    assert D.render(D.parse("2024.3"), "2024-09") == "2024-03"  # type: ignore[arg-type]


def test_changed_parameter_list_keeps_separator_style() -> None:
    new = P.parse("135M; 360M; 2B")
    assert new is not None
    assert P.render(new, "135M, 360M, 1.7B") == "135M, 360M, 2B"


@pytest.mark.parametrize("bad", ["2024.13", "2024.0", "2024", "24.9", "Sept 2024"])
def test_bad_dates_raise(bad: str) -> None:
    with pytest.raises(RuleError):
        D.parse(bad)


# ---- property-based: render(parse(x)) is canonical and stable --------------------------------
_num = st.one_of(
    st.integers(min_value=1, max_value=999).map(str),
    st.tuples(st.integers(1, 99), st.integers(1, 9)).map(lambda t: f"{t[0]}.{t[1]}"),
)
_size = st.tuples(_num, st.sampled_from("KMBT")).map("".join)
_plist = st.tuples(st.lists(_size, min_size=1, max_size=6), st.sampled_from(["; ", ", ", ";", " , "])).map(
    lambda t: t[1].join(t[0])
)


@given(_plist)
def test_parameter_render_parse_is_canonical(label: str) -> None:
    value = P.parse(label)
    assert value is not None
    canonical = P.render(value)
    again = P.parse(canonical)
    assert again is not None and again.counts == value.counts
    assert P.render(again) == canonical  # canonical form is a fixed point
    assert P.render(value, label) == label  # unchanged value re-renders to its own label


@given(st.integers(1900, 2099), st.integers(1, 12), st.sampled_from([".", "-"]), st.booleans())
def test_date_render_parse_is_canonical(year: int, month: int, sep: str, pad: bool) -> None:
    label = f"{year}{sep}{month:02d}" if pad or sep == "-" else f"{year}{sep}{month}"
    value = D.parse(label)
    assert value is not None and value.iso == f"{year:04d}-{month:02d}"
    canonical = D.render(value)
    assert D.render(D.parse(canonical)) == canonical  # type: ignore[arg-type]
    assert D.render(value, label) == label


_CONCEPT_TEXTS = [
    "GQA",
    "Grouped-Query Attention",
    "group query attention",
    "MHA",
    "Multi-Head Attention",
    "MQA",
]


@given(st.lists(st.sampled_from(_CONCEPT_TEXTS), min_size=1, max_size=3), st.sampled_from(["; ", ", "]))
def test_concepts_render_parse_is_canonical(items: list[str], sep: str) -> None:
    pm = next(p for p in load_mapping().properties if p.property.endswith("attentionMechanism"))
    label = sep.join(items)
    value = pm.parse(label)
    canonical, datatype = pm.render(value)
    assert datatype is None  # a resource label
    assert pm.render(pm.parse(canonical))[0] == canonical
    assert pm.render(value, label)[0] == label
    assert all(v.concept is not None for v in value)


def test_changed_concept_renders_preflabel() -> None:
    pm = next(p for p in load_mapping().properties if p.property.endswith("attentionMechanism"))
    new = pm.parse("grouped query attention; multi-head attention")
    assert pm.render(new, "GQA") == ("GQA; MHA", None)
    unknown = pm.parse("Hyena")
    assert [v.concept for v in unknown] == [None]
    assert pm.render(unknown)[0] == "Hyena"  # unknown text survives the round trip
