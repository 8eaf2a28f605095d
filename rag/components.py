"""The expensive, shared parts: the embedding model and the open index, created once per process."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .embed import Embedder, load_embedder, reading_backend, resolve_backend
from .index import Index
from .retrieve import Retriever
from .settings import Settings


@dataclass
class Components:
    settings: Settings
    embedder: Embedder  # chunk and query vectors: what the index stores
    index: Index
    reader: Embedder  # sentence vectors at answer time, compared with each other and with the question

    @property
    def retriever(self) -> Retriever:
        return Retriever(self.index, self.embedder, self.settings, self.reader)


@functools.cache
def _open_index(index_dir: Path, settings: Settings) -> Index:
    return Index(settings)


def components(settings: Settings) -> Components:
    """Embedder and index for these settings. Both are opened once per process and reused: settings that
    differ only in retrieval or generation knobs (top-k, backend) share the same open index."""
    index_dir = settings.index_dir.resolve()
    base = Settings(index_dir=index_dir, chroma_url=settings.chroma_url)  # what the index depends on
    batch, threads = settings.embed_batch_size, settings.embed_threads
    backend, reading = resolve_backend(settings.embed_backend), reading_backend(settings.embed_backend)
    embedder = load_embedder(batch, settings.embed_processes, backend, threads)
    reader = embedder if reading == backend else load_embedder(batch, 1, reading, threads)
    return Components(settings, embedder, _open_index(index_dir, base), reader)


def reset_components() -> None:
    """Forget open indexes (after a rebuild deleted the folder under them)."""
    _open_index.cache_clear()
