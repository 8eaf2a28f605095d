"""The index: chunks with their embeddings in a persistent Chroma collection, and a BM25 index beside it.

Chroma is the source of truth. Every chunk's metadata carries its article's content hash and chunk
count, so an article is "indexed" only when all its chunks are there with the current hash: a crash
in the middle of writing an article leaves it incomplete, and the next ingest simply rewrites it.
The BM25 index is derived from Chroma's documents and rebuilt whenever its fingerprint (the chunk ids)
no longer matches, so the two never disagree for long.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .errors import IndexProblem
from .lexical import LexicalIndex
from .schema import NO_FILTER, Article, Chunk, Filter, Report
from .settings import Settings
from .timeframe import day_number

log = logging.getLogger(__name__)

COLLECTION = "passages"
_CLIENT_LOCK = threading.Lock()
_CHROMA_BATCH = 2000  # below Chroma's max batch size on every backend


IndexError_ = IndexProblem  # the name earlier releases used


@dataclass(frozen=True)
class StoredArticle:
    article_id: str
    content_hash: str
    chunks_expected: int
    chunks_found: int
    title: str
    published_at: str
    source: str
    copies: tuple[Report, ...] = ()

    @property
    def complete(self) -> bool:
        return self.chunks_found == self.chunks_expected


# --- the index --------------------------------------------------------------------------------------


def _chroma_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        # A Chroma server (`chroma run`, or a distributed deployment) shared by several app replicas; the
        # BM25 side stays in index_dir on each replica and is rebuilt from Chroma when they differ.
        url = urlsplit(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    # chromadb shares one system per path and builds it unguarded: two threads opening the same new
    # store at once (the watcher's ingest and a chat question) broke it ("no attribute 'bindings'").
    with _CLIENT_LOCK:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _metadata(chunk: Chunk, article: Article, chunk_count: int) -> dict[str, Any]:
    sources = list(dict.fromkeys(s for s in [article.source, *(r.source for r in article.copies)] if s))
    meta: dict[str, Any] = {
        "article_id": chunk.article_id,
        "title": chunk.title,
        "start": chunk.start,
        "end": chunk.end,
        "position": chunk.position,
        "published_at": chunk.published_at,
        "day": day_number(chunk.published_at),  # sortable and filterable: 20260330, 0 when undated
        "source": chunk.source,
        "url": chunk.url,
        "path": article.path,
        "article_hash": article.index_hash,
        "article_chunks": chunk_count,
        "copies": json.dumps([dataclasses.asdict(r) for r in article.copies], ensure_ascii=False),
    }
    if sources:  # Chroma stores no empty lists
        meta["sources"] = sources
    return meta


def _copies_from(meta: dict[str, Any]) -> tuple[Report, ...]:
    try:
        return tuple(Report(**r) for r in json.loads(str(meta.get("copies") or "[]")))
    except (TypeError, ValueError):
        return ()


def _sources_from(meta: dict[str, Any]) -> list[str]:
    value = meta.get("sources")
    return [str(s) for s in value] if isinstance(value, list) else []


def _chunk_from(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        article_id=str(meta.get("article_id", "")),
        title=str(meta.get("title", "")),
        text=text,
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        position=int(meta.get("position", 0)),
        published_at=str(meta.get("published_at", "")),
        source=str(meta.get("source", "")),
        url=str(meta.get("url", "")),
        copies=_copies_from(meta),
    )


class Index:
    """Chroma collection + BM25, at `settings.index_dir`. Open one per process and reuse it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.folder = settings.index_dir
        try:
            self._client = _chroma_client(settings)
            # Embeddings are always passed in, so no embedding function is set: Chroma's default one
            # would download a model.
            self.collection = self._client.get_or_create_collection(
                COLLECTION, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        except Exception as e:
            raise IndexError_(
                f"the index at {self.folder} cannot be opened ({type(e).__name__}: {e}); "
                "rebuild it with `rag ingest --rebuild`"
            ) from e
        self.lexical = LexicalIndex(self.folder / "lexical")
        self._lexical_loaded = False

    # reading ----------------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.collection.count())

    def _all(self, include: list[str]) -> dict[str, Any]:
        ids: list[str] = []
        documents: list[str] = []
        metadatas: list[dict[str, Any]] = []
        total = self.count()
        for offset in range(0, total, 10_000):
            got = self.collection.get(include=include, limit=10_000, offset=offset)
            ids.extend(got["ids"])
            if "documents" in include:
                documents.extend(got["documents"] or [])
            if "metadatas" in include:
                metadatas.extend(got["metadatas"] or [])
        return {"ids": ids, "documents": documents, "metadatas": metadatas}

    def stored_articles(self) -> dict[str, StoredArticle]:
        found: dict[str, dict[str, Any]] = {}
        counts: dict[str, int] = {}
        for meta in self._all(["metadatas"])["metadatas"]:
            article_id = str(meta["article_id"])
            counts[article_id] = counts.get(article_id, 0) + 1
            found.setdefault(article_id, meta)
        return {
            a: StoredArticle(
                article_id=a,
                content_hash=str(m.get("article_hash", "")),
                chunks_expected=int(m.get("article_chunks", -1)),
                chunks_found=counts[a],
                title=str(m.get("title", "")),
                published_at=str(m.get("published_at", "")),
                source=str(m.get("source", "")),
                copies=_copies_from(m),
            )
            for a, m in found.items()
        }

    def article_chunks(self, article_id: str) -> list[Chunk]:
        """Every stored chunk of one article, in article order."""
        got = self.collection.get(where={"article_id": article_id}, include=["documents", "metadatas"])
        chunks = [
            _chunk_from(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        ]
        return sorted(chunks, key=lambda c: c.position)

    def chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        return {i: chunk for i, (chunk, _) in self.chunks_with_vectors(ids, vectors=False).items()}

    def chunks_with_vectors(
        self, ids: Sequence[str], *, vectors: bool = True
    ) -> dict[str, tuple[Chunk, np.ndarray | None]]:
        """Stored chunks by id, with their stored embeddings (no re-encoding) when `vectors`."""
        if not ids:
            return {}
        include = ["documents", "metadatas", "embeddings"] if vectors else ["documents", "metadatas"]
        got = self.collection.get(ids=list(ids), include=include)
        embeddings = got["embeddings"] if vectors else [None] * len(got["ids"])
        return {
            i: (_chunk_from(i, d, m), None if e is None else np.asarray(e, dtype=np.float32))
            for i, d, m, e in zip(got["ids"], got["documents"], got["metadatas"], embeddings, strict=True)
        }

    def dense_search(
        self, vector: np.ndarray, n: int, where: Filter = NO_FILTER
    ) -> list[tuple[Chunk, float]]:
        # No count() first: it costs several ms on a large collection, and Chroma returns fewer results
        # (none for an empty collection) when asked for more than it holds.
        got = self.collection.query(
            query_embeddings=[vector.tolist()],
            n_results=n,
            where=where.chroma_where(),
            include=["documents", "metadatas", "distances"],
        )
        out = []
        for i, d, m, dist in zip(
            got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True
        ):
            out.append((_chunk_from(i, d, m), 1.0 - float(dist)))  # cosine distance -> similarity
        return out

    def idf(self) -> Callable[[str], float]:
        """BM25's inverse document frequency of a lexical term over the indexed chunks; a term no chunk has
        gets the highest weight (it is the least likely to be found)."""
        self.ensure_lexical()
        doc_freq, n_docs = self.lexical.doc_freq, max(1, len(self.lexical.ids))

        def idf(term: str) -> float:
            df = doc_freq.get(term, 0)
            return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))

        return idf

    def unknown_names(self, names: Sequence[str]) -> list[str]:
        """The names with a word that no indexed chunk contains, nor cuts short ("Gronk" is Gronkowski): what
        the corpus never mentions."""
        self.ensure_lexical()
        return [n for n in names if not all(self.lexical.mentions(w) for w in n.split())]

    def lexical_search(self, query: str, n: int, where: Filter = NO_FILTER) -> list[tuple[str, float]]:
        self.ensure_lexical()
        return self.lexical.search(query, n, where)

    # writing ----------------------------------------------------------------------------------------

    def replace_article(self, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Write an article's chunks, replacing whatever was stored for it."""
        self.replace_articles([(article, chunks, vectors)])

    def replace_articles(self, items: Sequence[tuple[Article, Sequence[Chunk], np.ndarray]]) -> None:
        """Write several articles' chunks in as few Chroma calls as possible (each call commits, ~13 ms).

        Every chunk carries its article's chunk count, so an article cut short by a kill is found
        incomplete and written again by the next ingest.
        """
        self.remove_articles([article.id for article, _, _ in items])
        chunks = [c for _, cs, _ in items for c in cs]
        if not chunks:
            return
        metas = [_metadata(c, article, len(cs)) for article, cs, _ in items for c in cs]
        vectors = np.concatenate([v for _, _, v in items])
        for lo in range(0, len(chunks), _CHROMA_BATCH):
            hi = lo + _CHROMA_BATCH
            self.collection.add(
                ids=[c.id for c in chunks[lo:hi]],
                documents=[c.text for c in chunks[lo:hi]],
                metadatas=metas[lo:hi],
                embeddings=vectors[lo:hi].tolist(),
            )

    def remove_articles(self, article_ids: Iterable[str]) -> None:
        ids = list(article_ids)
        for lo in range(0, len(ids), 500):
            self.collection.delete(where={"article_id": {"$in": ids[lo : lo + 500]}})

    def ensure_lexical(self, *, force: bool = False) -> None:
        """Make the BM25 index match Chroma: load it, and rebuild it when it is missing or stale."""
        if self._lexical_loaded and not force:
            return
        fingerprint = LexicalIndex.fingerprint_of(self._all([])["ids"])
        if force or not self.lexical.load() or self.lexical.fingerprint != fingerprint:
            everything = self._all(["documents", "metadatas"])
            log.info("building the BM25 index over %d chunks", len(everything["ids"]))
            metas = everything["metadatas"]
            texts = [
                f"{m.get('title', '')}\n{d}" for d, m in zip(everything["documents"], metas, strict=True)
            ]
            days = [int(m.get("day", 0) or 0) for m in metas]
            self.lexical.build(everything["ids"], texts, days, [_sources_from(m) for m in metas])
        self._lexical_loaded = True

    @staticmethod
    def destroy(settings: Settings) -> None:
        """Delete the index (for `rag ingest --rebuild`): the folder, and the collection on a server."""
        # Through the client, also for the local store: deleting the folder under a client this process
        # still holds left it reading tables that no longer exist ("no such table: embeddings").
        try:
            client = _chroma_client(settings)
            if COLLECTION in [c if isinstance(c, str) else c.name for c in client.list_collections()]:
                client.delete_collection(COLLECTION)
        except Exception:
            if settings.chroma_url:
                raise
            from chromadb.api.client import SharedSystemClient

            log.warning("the local Chroma store could not be opened; deleting its folder", exc_info=True)
            SharedSystemClient.clear_system_cache()
            shutil.rmtree(settings.index_dir / "chroma", ignore_errors=True)
        for name in ("lexical", "lexical.tmp", "lexical.old"):
            shutil.rmtree(settings.index_dir / name, ignore_errors=True)
