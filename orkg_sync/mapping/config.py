"""Load and check a declarative mapping file (TOML); every mistake is one line naming file and key."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from orkg_sync.errors import InputError
from orkg_sync.mapping.rules import RULE_NAMES, RULES, ConceptsRule, ParameterCountsRule, Rule
from orkg_sync.mapping.terms import DEFAULT_BASE, expand
from orkg_sync.mapping.vocab import PROVENANCE_FILE, ConceptIndex, ontology_quads
from orkg_sync.namespaces import SLM
from orkg_sync.resources import ontology_dir, shapes_dir

if TYPE_CHECKING:
    from orkg_sync.mapping.generic import NestedColumn  # generic imports this module

VALUE_KINDS = ("literal", "resource")


@dataclass
class PropertyMapping:
    """One ORKG predicate <-> one ontology property, with its parse/render rule."""

    property: str  # full IRI
    orkg_label: str
    orkg_ids: dict[str, str]  # ORKG host -> predicate id
    value_kind: str
    datatype: str | None  # ORKG datatype for literals, e.g. "xsd:string"
    orkg_class: str | None  # ORKG class for new resources
    rule: Rule
    annotation_key: str | None
    options: dict[str, Any] = field(default_factory=dict)
    generic: bool = False  # made by the generic mapping for a predicate the file does not name

    def parse(self, label: str) -> Any:
        """ORKG label -> structured value (None for a missing marker); raises RuleError."""
        return self.rule.parse(label)

    def render(self, value: Any, style_hint: str | None = None) -> tuple[str, str | None]:
        """Structured value -> (ORKG label, ORKG datatype or None for a resource label)."""
        return self.rule.render(value, style_hint), self.datatype if self.value_kind == "literal" else None


@dataclass
class Mapping:
    name: str
    comparison: str
    title: str
    model_types: list[str]
    properties: list[PropertyMapping]
    vocabulary_quads: list[ox.Quad]
    source: Path
    base: str | None = None  # the dataset's base IRI when the file names one
    ontology_files: list[Path] = field(default_factory=list)
    vocabulary_files: list[Path] = field(default_factory=list)
    shape_files: list[Path] = field(default_factory=list)  # [] = the shipped shapes
    nested: list[NestedColumn] = field(default_factory=list)  # rows under a resource column, any depth

    def base_iri(self, requested: str) -> str:
        """The base IRI to use: the file's own unless the caller asked for another than the default."""
        return self.base if self.base and requested == DEFAULT_BASE else requested

    def validation_shapes(self) -> list[Path] | None:
        """The shapes to validate with: the mapping's own; None (the shipped survey shapes) for rows of
        the SLM ontology; else a minimal row shape (every row has a name)."""
        if self.shape_files:
            return list(self.shape_files)
        if SLM + "LanguageModel" in self.model_types:
            return None
        return [shapes_dir() / "generic" / "source.ttl"]

    def concept_quads(self) -> list[ox.Quad]:
        """The SKOS vocabularies of this mapping (shipped inside the data so values carry labels)."""
        return ontology_quads(self.vocabulary_files) if self.vocabulary_files else []

    def adopt(self, snapshot: Any, base: str = DEFAULT_BASE) -> list[PropertyMapping]:
        """Add generic property mappings for the snapshot's unmapped columns and nested table rows
        (idempotent: the first snapshot fixes each column's rule); the new top-level ones."""
        from orkg_sync.mapping.generic import generic_columns, nested_columns

        found = generic_columns(snapshot, self, self.base_iri(base))
        self.properties.extend(found)
        host = str(snapshot.source.get("host") or "")
        by_pid = self.predicate_ids(snapshot.predicates, host)
        listed = {n.mapping.property: i for i, n in enumerate(self.nested)}
        for col in nested_columns(snapshot, by_pid, {n.path for n in self.nested}):
            i = listed.get(col.mapping.property)
            if i is None:
                self.nested.append(col)
            else:  # a [[nested]] column whose path has other predicate ids on this host: its rule, this path
                self.nested[i] = replace(self.nested[i], path=col.path, parent_path=col.parent_path)
        return found

    def nested_column(self, prop: str) -> NestedColumn | None:
        """The nested table row (NestedColumn) whose property is ``prop``, or None."""
        return next((n for n in self.nested if n.mapping.property == prop), None)

    def predicate_ids(self, predicates: dict[str, dict[str, Any]], host: str) -> dict[str, PropertyMapping]:
        """Resolve ORKG predicate id -> property mapping: a pin for ``host`` first, else the label."""
        by_label: dict[str, list[str]] = {}
        for pid, pred in predicates.items():
            by_label.setdefault(str(pred.get("label", "")).strip().lower(), []).append(pid)
        out: dict[str, PropertyMapping] = {}
        for pm in self.properties:
            pinned = pm.orkg_ids.get(host)
            if pinned is not None:
                out[pinned] = pm
                continue
            ids = by_label.get(pm.orkg_label.strip().lower(), [])
            if len(ids) > 1:
                raise InputError(
                    f"{self.source}: ORKG predicate label {pm.orkg_label!r} is ambiguous"
                    f" ({', '.join(sorted(ids))});"
                    f" pin its id for host {host!r} in orkg_id"
                )
            if ids:
                out[ids[0]] = pm
        return out


def _need(table: dict[str, Any], key: str, where: str, kind: type = str) -> Any:
    if key not in table:
        raise InputError(f"{where}: missing key {key!r}")
    if not isinstance(table[key], kind):
        raise InputError(f"{where}: {key!r} must be a {kind.__name__}")
    return table[key]


def _iri(curie: str, where: str) -> str:
    try:
        return expand(curie)
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None


def _make_rule(
    name: str, options: dict[str, Any], where: str, index: ConceptIndex, vocab_files: list[str]
) -> Rule:
    """Construct a rule from the registry; options that name terms are expanded to IRIs in place."""
    cls = RULES.get(name)
    if cls is None:
        raise InputError(f"{where}: unknown rule {name!r} (known: {', '.join(RULE_NAMES)})")
    if cls is ParameterCountsRule:
        for key in ("min_property", "max_property"):
            if key in options:
                options[key] = _iri(str(options[key]), where)
    if cls is ConceptsRule:
        scheme = _iri(_need(options, "scheme", f"{where} options"), where)
        if scheme not in index.by_scheme:
            raise InputError(
                f"{where}: scheme {options['scheme']!r} has no concepts in {', '.join(vocab_files)}"
            )
        options["scheme"] = scheme
        return ConceptsRule(index=index.scheme(scheme), pref=index.pref, orkg=index.orkg, **options)
    try:
        return cls(**options)
    except TypeError as exc:
        raise InputError(f"{where}: bad options for rule {name!r} ({exc})") from None


def default_mapping_path() -> Path:
    return ontology_dir() / "mapping" / "r790020.toml"


def load_mapping(path: str | Path | None = None) -> Mapping:
    """Read a mapping file and build its rules (with the concept index of its vocabulary)."""
    p = Path(path) if path is not None else default_mapping_path()
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{p}: mapping file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{p}: malformed TOML ({exc})") from None
    head = _need(doc, "mapping", str(p), dict)
    where = f"{p} [mapping]"
    vocab_files = _names(head, "vocabulary", where, [])
    onto = [_resolve(p, v) for v in _names(head, "ontology", where, ["slm.ttl"])]
    vocab = [_resolve(p, v) for v in vocab_files]
    shapes = [_resolve(p, v, shapes_dir()) for v in _names(head, "shapes", where, [])]
    for f in shapes:
        if not f.is_file():
            raise InputError(f"{where}: shapes file {f} not found")
    quads = ontology_quads([ontology_dir() / PROVENANCE_FILE, *onto, *vocab])
    index = ConceptIndex(quads)
    props: list[PropertyMapping] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc.get("property", [])):
        props.append(_property(raw, f"{p} [[property]]", i, seen, index, vocab_files))
    nested = _nested(doc.get("nested", []), f"{p} [[nested]]", seen, index, vocab_files)
    return Mapping(
        name=_need(head, "name", where),
        comparison=_need(head, "comparison", where),
        title=str(head.get("title", "")),
        model_types=[_iri(t, where) for t in head.get("model_types", ["osync:Source"])],
        properties=props,
        vocabulary_quads=quads,
        source=p,
        base=str(head["base"]) if head.get("base") else None,
        ontology_files=onto,
        vocabulary_files=vocab,
        shape_files=shapes,
        nested=nested,
    )


def _property(
    raw: Any, where: str, i: int, seen: set[str], index: ConceptIndex, vocab_files: list[str]
) -> PropertyMapping:
    """One ``[[property]]`` (or ``[[nested]]``) table as a PropertyMapping; ``seen`` catches doubles."""
    w = f"{where} #{i + 1}"
    if not isinstance(raw, dict):
        raise InputError(f"{w}: must be a table")
    prop = _iri(_need(raw, "property", w), w)
    w = f"{where} {raw['property']}"
    if prop in seen:
        raise InputError(f"{w}: property mapped twice")
    seen.add(prop)
    kind = _need(raw, "value_kind", w)
    if kind not in VALUE_KINDS:
        raise InputError(f"{w}: value_kind must be one of {', '.join(VALUE_KINDS)}, not {kind!r}")
    rule_name = _need(raw, "rule", w)
    options = dict(raw.get("options", {}))
    rule = _make_rule(rule_name, options, w, index, vocab_files)
    ids = raw.get("orkg_id", {})
    if not isinstance(ids, dict) or not all(isinstance(v, str) for v in ids.values()):
        raise InputError(f'{w}: orkg_id must be a table host = "predicate id"')
    datatype = raw.get("datatype") if kind == "literal" else None
    if kind == "literal" and not isinstance(datatype, str):
        raise InputError(f"{w}: a literal property needs a string 'datatype' (the ORKG datatype)")
    return PropertyMapping(
        property=prop,
        orkg_label=_need(raw, "orkg_label", w),
        orkg_ids=dict(ids),
        value_kind=kind,
        datatype=datatype,
        orkg_class=(raw.get("class") or None) if kind == "resource" else None,
        rule=rule,
        annotation_key=raw.get("annotation_key"),
        options=options,
    )


def _nested(
    raws: Any, where: str, seen: set[str], index: ConceptIndex, vocab_files: list[str]
) -> list[NestedColumn]:
    """``[[nested]]`` tables: a table path (ORKG predicate ids from the source, "/"-joined) below the
    column ``parent`` (a ``[[property]]`` or an earlier ``[[nested]]``), and its property mapping."""
    from orkg_sync.mapping.generic import NestedColumn

    out: list[NestedColumn] = []
    parents = set(seen)  # the top-level properties; each nested one becomes a parent for deeper paths
    for i, raw in enumerate(raws if isinstance(raws, list) else [raws]):
        pm = _property(raw, where, i, seen, index, vocab_files)
        w = f"{where} {pm.property}"
        path = str(_need(raw, "path", w))
        parent = _iri(_need(raw, "parent", w), w)
        steps = path.split("/")
        if len(steps) < 2 or not all(steps):
            raise InputError(f"{w}: path must be two or more ORKG predicate ids joined by '/', not {path!r}")
        if parent not in parents:
            raise InputError(f"{w}: parent {parent} is not a property listed before it")
        out.append(NestedColumn(path, path.rsplit("/", 1)[0], parent, pm))
        parents.add(pm.property)
    return out


def _names(head: dict[str, Any], key: str, where: str, default: list[str]) -> list[str]:
    value = head.get(key, default)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: {key!r} must be a list of relative file paths")
    return list(value)


def _resolve(mapping_file: Path, name: str, shipped: Path | None = None) -> Path:
    """A file named by a mapping: beside the mapping file first, else the shipped one."""
    local = mapping_file.parent / name
    return local if local.exists() else (shipped or ontology_dir()) / name
