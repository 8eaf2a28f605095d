"""The expensive, shared parts: the embedding model and the open index, created once per process."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .embed import Embedder, load_embedder
from .index import Index
from .retrieve import Retriever
from .settings import Settings


@dataclass
class Components:
    settings: Settings
    embedder: Embedder
    index: Index

    @property
    def retriever(self) -> Retriever:
        return Retriever(self.index, self.embedder, self.settings)


@functools.cache
def _open_index(index_dir: Path, settings: Settings) -> Index:
    return Index(settings)


def components(settings: Settings) -> Components:
    """Embedder and index for these settings. Both are opened once per process and reused: settings that
    differ only in retrieval or generation knobs (top-k, backend) share the same open index."""
    index_dir = settings.index_dir.resolve()
    base = Settings(index_dir=index_dir, chroma_url=settings.chroma_url)  # what the index depends on
    return Components(
        settings,
        load_embedder(
            settings.embed_batch_size,
            settings.embed_processes,
            settings.embed_backend,
            settings.embed_threads,
        ),
        _open_index(index_dir, base),
    )


def reset_components() -> None:
    """Forget open indexes (after a rebuild deleted the folder under them)."""
    _open_index.cache_clear()
