"""Vocabulary coverage: every synonym/variant of NOTES.md section 7 resolves to the right concept."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from orkg_sync.mapping import load_mapping, ontology_quads

V = "https://w3id.org/orkg-sync/slm/vocab/"
CASES = {
    "slm#paradigm": [
        ("Pre-train", "paradigm/pre-training"),
        ("pre-trained", "paradigm/pre-training"),
        ("Instruction tuning", "paradigm/instruction-tuning"),
        ("Instruction Tuning", "paradigm/instruction-tuning"),
        ("instruction-tuned", "paradigm/instruction-tuning"),
        ("Distillation", "paradigm/distillation"),
        ("Continous Training", "paradigm/continuous-training"),
    ],
    "slm#domain": [
        ("Generic", "domain/generic"),
        ("generic", "domain/generic"),
        ("Coding", "domain/coding"),
        ("code", "domain/coding"),
        ("Scientific", "domain/scientific"),
        ("Generic (math)", "domain/generic-math"),
    ],
    "slm#attentionMechanism": [
        ("GQA", "attention/gqa"),
        ("Grouped-Query Attention", "attention/gqa"),
        ("Group Query Attention", "attention/gqa"),
        ("group-query attention", "attention/gqa"),
        ("MHA", "attention/mha"),
        ("Multi-Head Attention", "attention/mha"),
        ("MQA", "attention/mqa"),
        ("MLA", "attention/mla"),
        ("Flash Attention", "attention/flash-attention"),
        ("FlashAttention", "attention/flash-attention"),
        ("FlashAttention-2", "attention/flash-attention"),
        ("SSM+TF", "attention/ssm-transformer-hybrid"),
        ("sliding window", "attention/sliding-window"),
    ],
    "slm#activationFunction": [
        ("SwiGLU", "activation/swiglu"),
        ("Swish-GLU", "activation/swiglu"),
        ("SiLU", "activation/silu"),
        ("GELU", "activation/gelu"),
        ("GELUtanh", "activation/gelu-tanh"),
        ("gelu_new", "activation/gelu-tanh"),
        ("gelu_pytorch_tanh", "activation/gelu-tanh"),
        ("GeGLU", "activation/geglu"),
        ("GEGLU", "activation/geglu"),
        ("ReLU", "activation/relu"),
    ],
    "slm#trainingTechnique": [
        ("RMSNorm", "technique/rmsnorm"),
        ("RMS Norm", "technique/rmsnorm"),
        ("RMS normalization", "technique/rmsnorm"),
        ("RoPE", "technique/rope"),
        ("Rotary Position Embedding", "technique/rope"),
        ("embedding sharing", "technique/embedding-sharing"),
        ("shared embedding", "technique/embedding-sharing"),
        ("tied embeddings", "technique/embedding-sharing"),
        ("layer sharing", "technique/layer-sharing"),
        ("block-wise weight sharing", "technique/layer-sharing"),
        ("LayerNorm", "technique/layernorm"),
        ("SFT", "technique/sft"),
        ("RLHF", "technique/rlhf"),
        ("DPO", "technique/dpo"),
        ("rejection sampling", "technique/rejection-sampling"),
        ("pruning", "technique/pruning"),
        ("distillation", "technique/distillation"),
        ("FSDP", "technique/fsdp"),
        ("FlashAttention", "technique/flash-attention"),
        ("deep and thin architecture", "technique/deep-and-thin"),
    ],
    "slm#trainingDataset": [
        ("Pile", "dataset/the-pile"),
        ("The Pile", "dataset/the-pile"),
        ("PILE", "dataset/the-pile"),
        ("deduplicated PILE", "dataset/the-pile"),
        ("RedPajama", "dataset/redpajama"),
        ("RedPajama-1T", "dataset/redpajama"),
        ("a subset of RedPajama", "dataset/redpajama"),
        ("SlimPajama", "dataset/slimpajama"),
        ("SlimPajama-627B", "dataset/slimpajama"),
        ("StarCoderData", "dataset/starcoderdata"),
        ("Dolma", "dataset/dolma"),
        ("Dolma v1.6", "dataset/dolma"),
        ("LLM360 Amber (1.3T tokens)", "dataset/llm360-amber"),
    ],
}


@pytest.mark.parametrize(("prop", "text", "concept"), [(p, t, c) for p, cs in CASES.items() for t, c in cs])
def test_synonym_resolves(prop: str, text: str, concept: str) -> None:
    pm = next(p for p in load_mapping().properties if p.property.endswith(prop))
    value = pm.parse(text)
    assert [v.concept for v in value] == [V + concept]


def test_multi_value_strings_split() -> None:
    props = {p.property.rsplit("#")[1]: p for p in load_mapping().properties}
    assert [v.concept for v in props["paradigm"].parse("Pruning and Distillation")] == [
        V + "paradigm/pruning",
        V + "paradigm/distillation",
    ]
    assert [v.concept for v in props["attentionMechanism"].parse("GQA; MHA")] == [
        V + "attention/gqa",
        V + "attention/mha",
    ]
    techs = props["trainingTechnique"].parse(
        "Deep and thin architecture, embedding sharing, and block/layer sharing"
    )
    assert [v.concept for v in techs] == [
        V + "technique/deep-and-thin",
        V + "technique/embedding-sharing",
        V + "technique/layer-sharing",
    ]


def test_starcoder_model_is_not_the_dataset() -> None:
    pm = next(p for p in load_mapping().properties if p.property.endswith("trainingDataset"))
    assert [v.concept for v in pm.parse("StarCoder")] == [None]


def test_ontology_metadata_and_no_blank_nodes() -> None:
    quads = ontology_quads()
    onto = ox.NamedNode("https://w3id.org/orkg-sync/slm")
    preds = {q.predicate.value for q in quads if q.subject == onto}
    for p in (
        "http://www.w3.org/2002/07/owl#versionIRI",
        "http://purl.org/dc/terms/license",
        "http://purl.org/dc/terms/creator",
        "http://purl.org/dc/terms/description",
    ):
        assert p in preds
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    datasets = {
        q.subject.value
        for q in quads
        if q.object == ox.NamedNode("https://w3id.org/orkg-sync/slm#TrainingDataset")
    }
    assert V + "dataset/the-pile" in datasets
