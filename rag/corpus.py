"""Keeping the index in step with the corpus: `ingest()` syncs the corpus folder, `add_uploads()` saves and
indexes files from the chat, `list_articles()` shows what is indexed. Nothing here answers questions.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout
from tqdm import tqdm

from .chunk import chunk_articles, texts_to_embed
from .components import components, reset_components
from .embed import Embedder, resolve_backend, vector_family
from .errors import IndexBusy, UnreadableArticle
from .index import Index, StoredArticle
from .ingest import Problem, load_corpus, load_file, save_upload
from .schema import Article, Chunk
from .settings import Settings
from .syndicate import SignatureCache, merge_copies

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    # (copy id, id it was merged into): the same text or a syndicated near-copy, listed on that article
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    indexed: list[str] = field(default_factory=list)  # ids of every article the index now holds
    problems: list[Problem] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    articles_total: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        lines = [
            f"{self.articles_total} articles, {self.chunks_total} chunks indexed "
            f"({len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged; {self.chunks_embedded} chunks embedded in {self.seconds:.1f} s)"
        ]
        lines += [
            f"merged {a} into {b}: the same story (listed as another source)" for a, b in self.duplicates
        ]
        lines += [f"not indexed: {p}" for p in self.problems]
        return "\n".join(lines)


IngestBusy = IndexBusy  # the name earlier releases used


def ingest(
    path: str | Path | None = None,
    *,
    settings: Settings | None = None,
    rebuild: bool = False,
    progress: bool = False,
    lock_timeout_s: float = 0.0,
) -> IngestReport:
    """Bring the index in step with the corpus folder (`settings.corpus_dir` unless `path` is given).

    Unchanged articles are skipped, changed ones re-embedded and replaced, articles whose files are gone
    removed. A file inside the corpus folder syncs the whole folder (so a syndicated copy is matched with
    the story it copies); a file elsewhere is added or updated and nothing is removed. Files that
    cannot be read are reported in `IngestReport.problems` and the rest still index. Raises IndexBusy
    when another ingest is running on the same index.
    """
    settings = settings or Settings.from_env()
    root = Path(path) if path is not None else settings.corpus_dir
    started = time.perf_counter()
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.index_dir / ".ingest.lock"))
    try:
        lock.acquire(timeout=lock_timeout_s)
    except Timeout:
        raise IndexBusy(
            f"another ingest is writing the index at {settings.index_dir}; wait for it to finish"
        ) from None
    try:
        if rebuild or _vectors_changed(settings):
            Index.destroy(settings)
            reset_components()
        report = _sync(root, settings, progress, started)
        _record_vectors(settings)
        return report
    finally:
        lock.release()


VECTORS_FILE = "vectors.json"


def _vectors_changed(settings: Settings) -> bool:
    """True when the stored vectors came from another embedding backend whose vectors differ (int8 vs
    full precision): every chunk is then embedded again, once. An index from before the file existed
    was made by PyTorch."""
    path = settings.index_dir / VECTORS_FILE
    made_by = json.loads(path.read_text())["vectors"] if path.exists() else "fp32"
    changed = made_by != vector_family(settings.embed_backend)
    if changed:
        log.warning("the index holds %s vectors, RAG_EMBED_BACKEND=%s makes %s ones: embedding again",
                    made_by, settings.embed_backend, vector_family(settings.embed_backend))  # fmt: skip
    return changed


def _record_vectors(settings: Settings) -> None:
    backend = settings.embed_backend
    made = {"vectors": vector_family(backend), "backend": resolve_backend(backend)}
    (settings.index_dir / VECTORS_FILE).write_text(json.dumps(made))


def _sync(root: Path, settings: Settings, progress: bool, started: float) -> IngestReport:
    report = IngestReport()
    if root.is_file() and root.resolve().is_relative_to(settings.corpus_dir.resolve()):
        root = settings.corpus_dir
    if root.is_file():
        articles, report.problems = load_file(root, root.parent)
    else:
        articles, report.problems = load_corpus(root)
    parts = components(settings)
    index, embedder = parts.index, parts.embedder

    stored = index.stored_articles()
    signatures = SignatureCache(settings.index_dir / "signatures.npz")
    articles, report.duplicates = merge_copies(articles, indexed=stored, cache=signatures)
    report.indexed = [a.id for a in articles]
    if root.is_dir():
        wanted = {a.id for a in articles}
        report.removed = sorted(a for a in stored if a not in wanted)
        index.remove_articles(report.removed)
    todo = []
    for a in articles:
        old = stored.get(a.id)
        if old is not None and old.content_hash == a.index_hash and old.complete:
            report.unchanged += 1
            continue
        (report.updated if old is not None else report.added).append(a.id)
        todo.append(a)

    bar = tqdm(total=len(todo), unit="article", desc="indexing", disable=not progress or not todo)
    # Embedding many articles' chunks in one call keeps the model's batches full. Each group is written to
    # Chroma in a background thread while the next one is embedded; a kill loses at most the groups in
    # flight, which the next ingest finds missing or incomplete and writes again.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: Future[None] | None = None
        for group in _groups(todo):
            items = _embed_group(group, embedder, settings)
            if pending is not None:
                pending.result()
            pending = writer.submit(index.replace_articles, items)
            report.chunks_embedded += sum(len(chunks) for _, chunks, _ in items)
            bar.update(len(group))
        if pending is not None:
            pending.result()
    bar.close()

    index.ensure_lexical(force=report.changed)
    if root.is_dir():  # a lone file outside the corpus must not drop the corpus' cached signatures
        signatures.save()
    report.chunks_total = index.count()
    report.articles_total = len(stored) - len(report.removed) + len(report.added)
    report.seconds = time.perf_counter() - started
    log.info("%s", report.summary())
    return report


UPLOADS_FOLDER = "uploads"


@dataclass
class UploadReport:
    indexed: list[str] = field(default_factory=list)  # article ids now answerable
    rejected: list[str] = field(default_factory=list)  # "name: why" for people
    merged: list[str] = field(default_factory=list)  # "name: ..." copies of an indexed story, for people


def add_uploads(
    files: list[tuple[Path, str]],
    *,
    settings: Settings | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    lock_timeout_s: float = 120.0,
) -> UploadReport:
    """Save uploaded files (temp path, name the user gave) into the corpus' uploads folder and index each.

    A rejected file (wrong type, too big, unreadable) is removed again and reported with the reason; the
    others are indexed and answerable at once.
    """
    settings = settings or Settings.from_env()
    uploads = settings.corpus_dir / UPLOADS_FOLDER
    report = UploadReport()
    saved: list[tuple[Path, str]] = []
    for done, (temp_path, name) in enumerate(files):
        if on_progress:
            on_progress(done, len(files) + 1, name)
        try:
            saved.append((save_upload(temp_path, name, uploads), name))
        except (UnreadableArticle, OSError) as e:
            report.rejected.append(str(e))
    if saved:
        if on_progress:
            on_progress(len(files), len(files) + 1, "indexing")
        # One sync of the whole corpus: unchanged articles cost a hash each, and a syndicated copy is
        # matched with the story it copies wherever that came from.
        result = ingest(settings=settings, lock_timeout_s=lock_timeout_s)
        corpus = settings.corpus_dir.resolve()
        for path, name in saved:
            rel = path.resolve().relative_to(corpus).as_posix()

            def mine(article_id: str, rel: str = rel) -> bool:
                return article_id == rel or article_id.startswith(f"{rel}#")

            problems = [p for p in result.problems if Path(p.path).resolve() == path.resolve()]
            merged = [(a, b) for a, b in result.duplicates if mine(a)]
            indexed = [a for a in result.indexed if mine(a)]
            if problems and not indexed and not merged:
                path.unlink(missing_ok=True)  # nothing usable in it: do not leave a broken file in the corpus
            report.rejected += [
                f"{name}: {p.reason}" + (f" (line {p.line})" if p.line else "") for p in problems
            ]
            report.merged += [f"{name}: the same story as {b}, listed as another source" for _, b in merged]
            report.indexed += indexed
    if on_progress:
        on_progress(len(files) + 1, len(files) + 1, "")
    return report


def list_articles(settings: Settings | None = None) -> list[StoredArticle]:
    """The indexed articles, newest first (undated last)."""
    stored = components(settings or Settings.from_env()).index.stored_articles().values()
    return sorted(stored, key=lambda a: (a.published_at or "", a.title), reverse=True)


# Chunks embedded per model call during ingest (estimated at ~800 characters each). Small enough that
# Chroma writes one group while the next is embedded: 256 ingests realtimeqa-dev's 691 chunks in 13.0-13.2 s,
# 1024 (one group, no overlap) in 13.7-14.0 s.
GROUP_CHUNKS = 256


def _groups(articles: list[Article]) -> Iterator[list[Article]]:
    group: list[Article] = []
    estimated = 0
    for a in articles:
        group.append(a)
        estimated += max(1, len(a.body) // 800)
        if estimated >= GROUP_CHUNKS:
            yield group
            group, estimated = [], 0
    if group:
        yield group


def _embed_group(
    group: list[Article], embedder: Embedder, settings: Settings
) -> list[tuple[Article, list[Chunk], np.ndarray]]:
    per_article = chunk_articles(
        group, embedder.tokenizer, settings.chunk_tokens, settings.chunk_overlap_tokens
    )
    vectors = embedder.encode(
        texts_to_embed([c for chunks in per_article for c in chunks], embedder.tokenizer)
    )
    items, offset = [], 0
    for article, chunks in zip(group, per_article, strict=True):
        items.append((article, chunks, vectors[offset : offset + len(chunks)]))
        offset += len(chunks)
    return items
