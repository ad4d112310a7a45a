"""Render what `init` guessed as files: mapping.toml, ontology.ttl, vocab/*.ttl, shapes.ttl, README.md.

Everything is deterministic (sorted triples, columns in table order) so that running `init` twice on an
unchanged comparison gives the same bytes, and a curator's edits show as a clean diff.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from orkg_sync.mapping.init import Column, NestedGuess, column_xsd
from orkg_sync.mapping.terms import slug
from orkg_sync.namespaces import (
    DCT,
    ORKG_PREDICATE,
    ORKG_RESOURCE,
    OSYNC,
    OWL,
    RDF,
    RDF_TYPE,
    RDFS,
    RDFS_LABEL,
    SH,
    SKOS,
    XSD,
)

N = ox.NamedNode
SINGLE_VALUED = ("integer", "decimal", "date", "boolean", "uri", "string", "year_month")  # one term per label
PREFIXES = {
    "osync": OSYNC,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "sh": SH,
    "dct": DCT,
    "orkgp": ORKG_PREDICATE,
    "orkgr": ORKG_RESOURCE,
}


def _ttl(triples: Iterable[ox.Triple], extra: dict[str, str]) -> bytes:
    data = sorted(set(triples), key=str)
    return ox.serialize(data, format=ox.RdfFormat.TURTLE, prefixes={**PREFIXES, **extra}) or b""


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(N(s), N(p), o)


def prop_iri(base: str, col: Column) -> str:
    return f"{base}property/{col.slug}"


def scheme_iri(base: str, col: Column) -> str:
    return f"{base}vocab/{col.slug}"


def concept_iris(base: str, col: Column) -> dict[str, str]:
    """ORKG resource id -> concept IRI (slug of the label; the id on a clash)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for rid, label in col.distinct:
        s = slug(label) or rid.lower()
        if s in used:
            s = f"{s}-{rid.lower()}"
        used.add(s)
        out[rid] = f"{scheme_iri(base, col)}/{s}"
    return out


def ontology_ttl(base: str, title: str, columns: list[Column], nested: Sequence[NestedGuess] = ()) -> bytes:
    onto = base + "ontology"
    triples = [
        _t(onto, RDF_TYPE, N(OWL + "Ontology")),
        _t(onto, DCT + "title", ox.Literal(f"Properties of {title}")),
        _t(onto, OWL + "imports", N(OSYNC.rstrip("#"))),
    ]
    for col in columns:
        p = prop_iri(base, col)
        kind = "DatatypeProperty" if col.kind == "literal" else "ObjectProperty"
        triples += [
            _t(p, RDF_TYPE, N(OWL + kind)),
            _t(p, RDFS_LABEL, ox.Literal(col.label)),
            _t(p, RDFS + "isDefinedBy", N(onto)),
            _t(p, RDFS + "domain", N(OSYNC + "Source")),
            _t(p, OSYNC + "orkgPredicate", N(ORKG_PREDICATE + col.pid)),
        ]
        if col.description:
            triples.append(_t(p, SKOS + "definition", ox.Literal(str(col.description))))
        xsd = column_xsd(col)
        if xsd:
            triples.append(_t(p, RDFS + "range", N(xsd)))
    triples += _nested_ontology(base, onto, nested)
    return _ttl(triples, {"": base + "property/"})


def vocab_ttl(base: str, col: Column) -> bytes:
    scheme = scheme_iri(base, col)
    triples = [
        _t(scheme, RDF_TYPE, N(SKOS + "ConceptScheme")),
        _t(scheme, SKOS + "prefLabel", ox.Literal(col.label)),
        _t(scheme, DCT + "source", N(ORKG_PREDICATE + col.pid)),
    ]
    labels = dict(col.distinct)
    for rid, concept in concept_iris(base, col).items():
        triples += [
            _t(concept, RDF_TYPE, N(SKOS + "Concept")),
            _t(concept, SKOS + "prefLabel", ox.Literal(labels[rid])),
            _t(concept, SKOS + "inScheme", N(scheme)),
            _t(concept, SKOS + "topConceptOf", N(scheme)),
            _t(concept, SKOS + "exactMatch", N(ORKG_RESOURCE + rid)),
        ]
    return _ttl(triples, {"": scheme + "/"})


def _shape(
    shapes: str,
    node: str,
    name: str,
    path: str,
    severity: str,
    message: str,
    **constraints: ox.NamedNode | ox.Literal,
) -> list[ox.Triple]:
    ps = f"{shapes}#{name}"
    out = [
        _t(node, SH + "property", N(ps)),
        _t(ps, RDF_TYPE, N(SH + "PropertyShape")),
        _t(ps, SH + "path", N(path)),
        _t(ps, SH + "severity", N(SH + severity)),
        _t(ps, SH + "message", ox.Literal(message)),
    ]
    out += [_t(ps, SH + k, v) for k, v in constraints.items()]
    return out


def shapes_ttl(base: str, columns: list[Column], n_sources: int, nested: Sequence[NestedGuess] = ()) -> bytes:
    """Shapes the fast engine runs (counts, datatypes, node kinds): Violation where the template says so
    or every observed value fits, Warning where the data only suggests it."""
    shapes = base + "shapes"
    node = shapes + "#Source"
    one = ox.Literal("1", datatype=N(XSD + "integer"))
    triples = [
        _t(shapes, RDF_TYPE, N(OWL + "Ontology")),
        _t(node, RDF_TYPE, N(SH + "NodeShape")),
        _t(node, SH + "targetClass", N(OSYNC + "Source")),
    ]
    triples += _shape(
        shapes, node, "label-required", RDFS_LABEL, "Violation", "Every row needs a name.", minCount=one
    )
    for col in columns:
        triples += _column_shapes(shapes, node, base, col, n_sources)
    triples += _nested_shapes(base, shapes, nested)
    every = [*columns, *(g.column for g in nested)]
    triples += _orders(triples, {prop_iri(base, c): i for i, c in enumerate(every, start=1)})
    return _ttl(triples, {"": shapes + "#"})


def _orders(triples: list[ox.Triple], position: dict[str, int]) -> list[ox.Triple]:
    """``sh:order`` for every property shape: its column's position in the table (the row name: 0)."""
    out = []
    for t in triples:
        if t.predicate.value == SH + "path" and isinstance(t.object, ox.NamedNode):
            order = position.get(t.object.value, 0)
            out.append(
                ox.Triple(t.subject, N(SH + "order"), ox.Literal(str(order), datatype=N(XSD + "integer")))
            )
    return out


def _column_shapes(shapes: str, node: str, base: str, col: Column, n_sources: int) -> list[ox.Triple]:
    path = prop_iri(base, col)
    out: list[ox.Triple] = []
    tpl = col.template or {}
    xsd = column_xsd(col)
    if xsd:
        sev = "Violation" if tpl or col.fits == 1.0 else "Warning"
        msg = f"{col.label}: a value that is not {xsd.removeprefix(XSD)} (kept as text by the mapping)."
        out += _shape(shapes, node, f"{col.slug}-datatype", path, sev, msg, datatype=N(xsd))
        out += _template_value_shapes(shapes, node, path, col, xsd)
    else:
        msg = f"{col.label}: a value outside the vocabulary (a push makes a new ORKG resource for it)."
        out += _shape(shapes, node, f"{col.slug}-iri", path, "Warning", msg, nodeKind=N(SH + "IRI"))
        if col.rule == "concepts":
            out += _in_scheme_shape(shapes, node, path, scheme_iri(base, col), col)
    low = tpl.get("min_count") if tpl else (1 if col.sources_with_value == n_sources else None)
    single = col.max_per_source == 1 and col.rule in SINGLE_VALUED
    # ORKG reads a template max_count of 0 as "no upper bound" (AbstractTemplatePropertyValueValidator.kt)
    high = (tpl.get("max_count") or None) if tpl else (1 if single else None)
    sev = "Violation" if tpl else "Warning"
    integer = N(XSD + "integer")
    for name, key, count, what in (("min", "minCount", low, "fewer"), ("max", "maxCount", high, "more")):
        if count is not None:
            lit = ox.Literal(str(int(count)), datatype=integer)
            msg = f"{col.label}: {what} values than expected."
            out += _shape(shapes, node, f"{col.slug}-{name}", path, sev, msg, **{key: lit})
    return out


def _template_value_shapes(shapes: str, node: str, path: str, col: Column, xsd: str) -> list[ox.Triple]:
    """The template's pattern (ORKG matches the whole label) and inclusive bounds (typed like the column)."""
    tpl = col.template or {}
    out: list[ox.Triple] = []
    if tpl.get("pattern"):
        msg = f"{col.label}: a value that does not match the template's pattern {tpl['pattern']}."
        pattern = ox.Literal(f"^(?:{tpl['pattern']})$")
        out += _shape(shapes, node, f"{col.slug}-pattern", path, "Violation", msg, pattern=pattern)
    for name, key, word in (("min", "min_inclusive", "below"), ("max", "max_inclusive", "above")):
        if tpl.get(key) is not None:
            bound = ox.Literal(str(tpl[key]), datatype=N(xsd if xsd != XSD + "integer" else XSD + "decimal"))
            msg = f"{col.label}: a value {word} the template's bound {tpl[key]}."
            comp = {f"{name}Inclusive": bound}
            out += _shape(shapes, node, f"{col.slug}-{name}-inclusive", path, "Violation", msg, **comp)
    return out


def _in_scheme_shape(shapes: str, node: str, path: str, scheme: str, col: Column) -> list[ox.Triple]:
    """The observed value set of a resource column: every value is a concept of the column's scheme."""
    name = f"{col.slug}-in-scheme"
    query = f"{shapes}#{name}-query"
    select = (
        f"SELECT $this ?value WHERE {{ $this $PATH ?value . FILTER (isIRI(?value)) "
        f"FILTER NOT EXISTS {{ ?value <{SKOS}inScheme> <{scheme}> }} }}"
    )
    msg = f"{col.label}: a value that is not a concept of its scheme (add it to vocab/{col.slug}.ttl)."
    out = _shape(shapes, node, name, path, "Warning", msg, sparql=N(query))
    out += [_t(query, SH + "select", ox.Literal(select)), _t(query, SH + "message", ox.Literal(msg))]
    return out


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def mapping_toml(
    name: str,
    comparison: str,
    title: str,
    base: str,
    host: str,
    columns: list[Column],
    nested: Sequence[NestedGuess] = (),
) -> str:
    vocab = [f"vocab/{c.slug}.ttl" for c in columns if c.rule == "concepts"]
    lines = [
        f"# Starter mapping for ORKG comparison {comparison}, written by `orkg-sync init` (see README.md).",
        "# Edit freely: property IRIs, rules and datatypes are guesses; docs/mapping.md has every key.",
        "",
        "[mapping]",
        f"name = {_q(name)}",
        f"comparison = {_q(comparison)}",
        f"title = {_q(title)}",
        f"base = {_q(base)}",
        'model_types = ["osync:Source"]',
        'ontology = ["ontology.ttl"]',
        f"vocabulary = [{', '.join(_q(v) for v in vocab)}]",
        'shapes = ["shapes.ttl"]',
    ]
    for col in columns:
        lines += [
            "",
            "[[property]]",
            f"property = {_q(prop_iri(base, col))}",
            f"orkg_label = {_q(col.label)}",
        ]
        lines.append(f"orkg_id = {{ {_q(host)} = {_q(col.pid)} }}")
        lines.append(f'value_kind = "{col.kind}"')
        if col.kind == "literal":
            lines.append(f"datatype = {_q(col.datatype or 'xsd:string')}")
        else:
            lines.append('class = ""')
        lines.append(f'rule = "{col.rule}"')
        if col.rule == "concepts":
            lines.append(f"options = {{ scheme = {_q(scheme_iri(base, col))} }}")
    lines += _nested_toml(base, host, nested)
    return "\n".join(lines) + "\n"


def readme(
    comparison: str,
    title: str,
    host: str,
    columns: list[Column],
    n_sources: int,
    templates: list[str],
    nested: Sequence[NestedGuess] = (),
) -> str:
    rows = []
    for c in columns:
        what = f"{c.kind}, {c.datatype}" if c.kind == "literal" else f"resource, {len(c.distinct)} distinct"
        fit = f"{c.fits:.0%} parse" if c.kind == "literal" else "concept scheme"
        have = f"{c.sources_with_value}/{n_sources}"
        rows.append(f"| {c.label} | `{c.pid}` | {what} | {have} | `{c.rule}` ({fit}) | {c.confidence} |")
    tpl = ", ".join(templates) if templates else "none found (shapes come from the observed data)"
    return "\n".join(
        [
            f"# {title or comparison}: starter dataset definition",
            "",
            f"Written by `orkg-sync init` from comparison {comparison} on {host}. Everything here is a guess",
            "from the table as it was: check each column, then `orkg-sync pull --mapping mapping.toml` and",
            "`orkg-sync build --mapping mapping.toml` (docs/mapping.md).",
            "",
            f"* {n_sources} sources, {len(columns)} columns; ORKG templates used: {tpl}.",
            "* `ontology.ttl`: one property per column, labelled like and linked to its ORKG predicate.",
            "* `vocab/*.ttl`: a SKOS concept scheme per resource column, a concept per ORKG resource.",
            "* `shapes.ttl`: SHACL; Violation where the template says so or every value fits, else",
            "  Warning.",
            "",
            "| column | ORKG predicate | values | sources with a value | rule | confidence |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            "Confidence: high = every value parses and the ORKG datatype is the rule's own (or a template",
            "says so); medium = every value parses but ORKG stores them as another datatype (usually text);",
            "low = some values do not parse (they are kept as text, with a mapping warning each).",
            "",
            *_nested_readme(nested),
        ]
    )


# ---- nested table rows (selected paths below a resource column, any depth) ----------------------------
def _parent_iri(base: str, g: NestedGuess) -> str:
    return f"{base}property/{g.parent_slug}"


def _nested_ontology(base: str, onto: str, nested: Sequence[NestedGuess]) -> list[ox.Triple]:
    """A property per nested path: labelled like its ORKG predicate, linked to it and to its table path."""
    out: list[ox.Triple] = []
    for g in nested:
        col, p = g.column, prop_iri(base, g.column)
        kind = "DatatypeProperty" if col.kind == "literal" else "ObjectProperty"
        out += [
            _t(p, RDF_TYPE, N(OWL + kind)),
            _t(p, RDFS_LABEL, ox.Literal(col.label)),
            _t(p, RDFS + "isDefinedBy", N(onto)),
            _t(p, OSYNC + "orkgPredicate", N(ORKG_PREDICATE + col.pid)),
            _t(p, OSYNC + "orkgPath", ox.Literal(g.path)),
        ]
        if col.description:
            out.append(_t(p, SKOS + "definition", ox.Literal(str(col.description))))
        xsd = column_xsd(col)
        if xsd:
            out.append(_t(p, RDFS + "range", N(xsd)))
    return out


def _nested_shapes(base: str, shapes: str, nested: Sequence[NestedGuess]) -> list[ox.Triple]:
    """One node shape per parent column, targeting the resources it points to (``sh:targetObjectsOf``),
    with each child's datatype or node kind and the cardinalities observed on those resources."""
    out: list[ox.Triple] = []
    for g in nested:
        node = f"{shapes}#{g.parent_slug.replace('/', '-')}-rows"
        out += [
            _t(node, RDF_TYPE, N(SH + "NodeShape")),
            _t(node, SH + "targetObjectsOf", N(_parent_iri(base, g))),
        ]
        out += [_dashed(shapes, t) for t in _column_shapes(shapes, node, base, g.column, g.parents)]
    return out


def _dashed(shapes: str, t: ox.Triple) -> ox.Triple:
    """A nested column's shape names: its slug's "/" as "-" (``#has-outcome-unit-symbol-datatype``)."""

    def name(term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple) -> ox.NamedNode:
        assert isinstance(term, ox.NamedNode)
        if not term.value.startswith(shapes + "#"):
            return term
        head, _, frag = term.value.partition("#")
        return N(f"{head}#{frag.replace('/', '-')}")

    obj = name(t.object) if isinstance(t.object, ox.NamedNode) else t.object
    return ox.Triple(name(t.subject), t.predicate, obj)


def _nested_toml(base: str, host: str, nested: Sequence[NestedGuess]) -> list[str]:
    lines: list[str] = []
    for g in nested:
        col = g.column
        lines += [
            "",
            "[[nested]]",
            f"path = {_q(g.path)}  # ORKG predicate ids from the source, on {host}",
            f"parent = {_q(_parent_iri(base, g))}",
            f"property = {_q(prop_iri(base, col))}",
            f"orkg_label = {_q(col.label)}",
            f"orkg_id = {{ {_q(host)} = {_q(col.pid)} }}",
            f'value_kind = "{col.kind}"',
        ]
        if col.kind == "literal":
            lines.append(f"datatype = {_q(col.datatype or 'xsd:string')}")
        lines.append(f'rule = "{col.rule}"')
    return lines


def _nested_readme(nested: Sequence[NestedGuess]) -> list[str]:
    if not nested:
        return []
    rows = []
    for g in nested:
        c = g.column
        what = f"{c.kind}, {c.datatype}" if c.kind == "literal" else f"resource, {len(c.distinct)} distinct"
        fit = f"{c.fits:.0%} parse" if c.kind == "literal" else "its own rows below"
        name = g.name or c.slug.replace("/", " / ")
        have = f"{c.sources_with_value}/{g.parents}"
        rows.append(f"| {name} | `{g.path}` | {what} | {have} | `{c.rule}` ({fit}) | {c.confidence} |")
    return [
        "## Nested columns",
        "",
        "Table paths below a resource column: the values are stated on the ORKG resources the parent",
        "column points to (`[[nested]]` in mapping.toml), typed and counted over those resources; the",
        "shapes target them with `sh:targetObjectsOf` the parent property.",
        "",
        "| nested column | ORKG path | values | resources with a value | rule | confidence |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ]
