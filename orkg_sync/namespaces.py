"""Every IRI and ORKG id the tool uses, spelled once (imported everywhere else).

Namespaces are plain strings (``SLM + "paradigm"``); :data:`PREFIXES` is the CURIE table of the data
contract (docs/ARCHITECTURE.md). ORKG ids that the client depends on (``P31``, ``compareContribution``)
live here too, so that a renamed backend constant is one edit.
"""

from __future__ import annotations

# ---- W3C and community vocabularies -------------------------------------------------------------
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"
VOID = "http://rdfs.org/ns/void#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "http://schema.org/"
IT6 = "http://data.europa.eu/it6/"
FAIR4ML = "https://w3id.org/fair4ml#"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
XSD_STRING = XSD + "string"

# ---- ORKG ---------------------------------------------------------------------------------------
ORKG_RESOURCE = "http://orkg.org/orkg/resource/"
ORKG_PREDICATE = "http://orkg.org/orkg/predicate/"
ORKG_CLASS = "http://orkg.org/orkg/class/"
HAS_CONTRIBUTION = "P31"  # paper -> contribution
COMPARE_CONTRIBUTION = "compareContribution"  # comparison -> source

# ---- orkg-sync's own --------------------------------------------------------------------------
OSYNC = "https://w3id.org/orkg-sync/ns#"  # the shared sync-provenance ontology (ontology/orkg-sync.ttl)
OSYNC_ONTOLOGY = "https://w3id.org/orkg-sync/ns"
SLM = "https://w3id.org/orkg-sync/slm#"
SLM_ONTOLOGY = "https://w3id.org/orkg-sync/slm"
SLM_VOCAB = "https://w3id.org/orkg-sync/slm/vocab/"
SLM_SHAPES = "https://w3id.org/orkg-sync/slm/shapes"
R790020_BASE = "https://w3id.org/orkg-sync/r790020/"

PREFIXES: dict[str, str] = {
    "slm": SLM,
    "slmv": SLM_VOCAB,
    "osync": OSYNC,
    "orkgr": ORKG_RESOURCE,
    "orkgp": ORKG_PREDICATE,
    "orkgc": ORKG_CLASS,
    "it6": IT6,
    "fair4ml": FAIR4ML,
    "schema": SCHEMA,
    "dct": DCT,
    "dcat": DCAT,
    "prov": PROV,
    "skos": SKOS,
    "void": VOID,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "sh": SH,
}
