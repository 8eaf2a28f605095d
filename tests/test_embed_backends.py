"""RAG_EMBED_BACKEND: the same MiniLM in bfloat16 or through onnxruntime (exported from the packaged weights,
never downloaded), which one `auto` picks, and what switching backends does to an existing index."""

from __future__ import annotations

import numpy as np
import pytest

from rag import Settings, answer, ingest
from rag.embed import Embedder, load_embedder, native_bfloat16, resolve_backend
from rag.onnx_embed import OnnxEmbedder

TEXTS = [
    "TSMC opened a new US$8.6 billion chip factory in southern Japan in February.",
    "Ferry fares to Inchmore rose by 4 per cent on Monday, the operator said, blaming the cost of fuel.",
    "Japan was ranked a lowly 32nd in the latest global classification of digital competitiveness.",
]


@pytest.fixture(scope="module")
def float32_vectors() -> np.ndarray:
    return Embedder().encode(TEXTS)


@pytest.mark.slow
def test_onnx_vectors_are_pytorchs_and_int8_ones_are_close(float32_vectors):
    full = OnnxEmbedder().encode(TEXTS)
    assert full.shape == float32_vectors.shape
    assert np.allclose((full * float32_vectors).sum(axis=1), 1.0, atol=1e-4)
    int8 = OnnxEmbedder(quantized=True).encode(TEXTS)
    assert ((int8 * float32_vectors).sum(axis=1) > 0.95).all()  # per-channel scales: 0.979 minimum on news


@pytest.mark.slow
def test_bfloat16_vectors_are_float32_ones_to_four_decimals(float32_vectors):
    vectors = Embedder(bfloat16=True).encode(TEXTS)
    assert vectors.dtype == np.float32 and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose((vectors * float32_vectors).sum(axis=1), 1.0, atol=2e-4)


@pytest.mark.model
def test_the_default_backend_is_int8_onnx_and_the_others_stay_selectable():
    assert Settings().embed_backend == "auto" and resolve_backend("auto") == "onnx-int8"
    assert load_embedder(backend="auto").backend == "onnx-int8"
    assert resolve_backend("bf16") == "bf16" and isinstance(native_bfloat16(), bool)


@pytest.mark.slow
def test_switching_to_int8_embeds_again_once_and_back_to_full_precision(fresh_settings):
    (fresh_settings.corpus_dir / "ferry.txt").write_text("Ferry fares rise\n\n" + TEXTS[1], encoding="utf-8")
    first = ingest(settings=fresh_settings.with_(embed_backend="torch"))
    assert first.chunks_embedded == first.chunks_total > 0
    # ONNX in full precision makes PyTorch's vectors: nothing to embed again.
    assert ingest(settings=fresh_settings.with_(embed_backend="onnx")).chunks_embedded == 0
    assert ingest(settings=fresh_settings.with_(embed_backend="bf16")).chunks_embedded == 0
    int8 = fresh_settings.with_(embed_backend="onnx-int8")
    assert ingest(settings=int8).chunks_embedded == first.chunks_total
    assert ingest(settings=int8).chunks_embedded == 0
    assert (
        "4 per cent"
        in answer("By how much did ferry fares rise?", settings=int8.with_(llm="extractive")).text
    )
    back = fresh_settings.with_(embed_backend="torch")
    assert ingest(settings=back).chunks_embedded == first.chunks_total  # back to fp32 vectors


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="RAG_EMBED_BACKEND"):
        Settings.from_env(embed_backend="tensorflow")
