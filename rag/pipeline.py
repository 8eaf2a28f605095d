"""The composed pipeline: `ingest()` keeps the index in step with the corpus; `answer()` / `stream_answer()`
turn a question into a grounded, cited Answer.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout
from tqdm import tqdm

from .chunk import chunk_article, embedding_text
from .clean import normalize_text
from .embed import Embedder, load_embedder
from .generate import ABSTAIN_TEXT, Generator, GeneratorUnavailable, Prompt, make_generator
from .ground import (
    best_sentences,
    check_answer,
    idf_function,
    quote_answer,
    support_for,
)
from .index import Index
from .ingest import Problem, load_corpus, load_file
from .retrieve import Retriever
from .schema import Answer, Article, Citation, Passage
from .settings import Settings

log = logging.getLogger(__name__)

# Below this share of the question's (IDF-weighted) terms found in the best passages, and with a weak
# dense match, the corpus is taken not to hold the answer.
MIN_SUPPORT = 0.5
STRONG_DENSE = 0.5


# --- shared, expensive components ------------------------------------------------------------------


@dataclass
class Components:
    settings: Settings
    embedder: Embedder
    index: Index

    @property
    def retriever(self) -> Retriever:
        return Retriever(self.index, self.embedder, self.settings)


@functools.cache
def _components(index_dir: Path, batch_size: int, settings: Settings) -> Components:
    return Components(settings, load_embedder(batch_size), Index(settings))


def components(settings: Settings) -> Components:
    """Embedder and index for these settings, created once per process and reused."""
    return _components(settings.index_dir.resolve(), settings.embed_batch_size, settings)


def reset_components() -> None:
    """Forget open indexes (after a rebuild deleted the folder under them)."""
    _components.cache_clear()


# --- ingest ------------------------------------------------------------------------------------------


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (skipped id, id it duplicates)
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
        lines += [f"skipped {a}: same text as {b}" for a, b in self.duplicates]
        lines += [f"not indexed: {p}" for p in self.problems]
        return "\n".join(lines)


class IngestBusy(RuntimeError):
    """Another ingest holds the index lock."""


def _dedupe(articles: list[Article], report: IngestReport) -> list[Article]:
    """The same article under two names is indexed once (the first, in file order)."""
    seen: dict[tuple[str, str], str] = {}
    unique = []
    for a in articles:
        key = (a.title.casefold(), a.body)
        if key in seen:
            report.duplicates.append((a.id, seen[key]))
            continue
        seen[key] = a.id
        unique.append(a)
    return unique


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
    removed. A single file instead of a folder is added or updated and nothing is removed. Files that
    cannot be read are reported in `IngestReport.problems` and the rest still index. Raises IngestBusy
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
        raise IngestBusy(
            f"another ingest is writing the index at {settings.index_dir}; wait for it to finish"
        ) from None
    try:
        if rebuild:
            Index.destroy(settings)
            reset_components()
        return _sync(root, settings, progress, started)
    finally:
        lock.release()


def _sync(root: Path, settings: Settings, progress: bool, started: float) -> IngestReport:
    report = IngestReport()
    if root.is_file():
        articles, report.problems = load_file(root, root.parent)
    else:
        articles, report.problems = load_corpus(root)
    articles = _dedupe(articles, report)
    parts = components(settings)
    index, embedder = parts.index, parts.embedder

    stored = index.stored_articles()
    if root.is_dir():
        wanted = {a.id for a in articles}
        report.removed = sorted(a for a in stored if a not in wanted)
        index.remove_articles(report.removed)
    todo = []
    for a in articles:
        old = stored.get(a.id)
        if old is not None and old.content_hash == a.content_hash and old.complete:
            report.unchanged += 1
            continue
        (report.updated if old is not None else report.added).append(a.id)
        todo.append(a)

    bar = tqdm(total=len(todo), unit="article", desc="indexing", disable=not progress or not todo)
    # Embedding many articles' chunks in one call keeps the model's batches full; articles are
    # written one by one so a kill loses at most the articles of the current group.
    group: list[Article] = []
    group_chunks = 0
    for a in todo:
        group.append(a)
        group_chunks += max(1, len(a.body) // 800)
        if group_chunks >= 256:
            report.chunks_embedded += _index_group(group, index, embedder, settings)
            bar.update(len(group))
            group, group_chunks = [], 0
    if group:
        report.chunks_embedded += _index_group(group, index, embedder, settings)
        bar.update(len(group))
    bar.close()

    index.ensure_lexical(force=report.changed)
    report.chunks_total = index.count()
    report.articles_total = len(index.stored_articles()) if report.changed else len(stored)
    report.seconds = time.perf_counter() - started
    log.info("%s", report.summary())
    return report


def _index_group(group: list[Article], index: Index, embedder: Embedder, settings: Settings) -> int:
    per_article = [
        chunk_article(a, embedder.tokenizer, settings.chunk_tokens, settings.chunk_overlap_tokens)
        for a in group
    ]
    texts = [embedding_text(c.title, c.text) for chunks in per_article for c in chunks]
    vectors = embedder.encode(texts)
    offset = 0
    for article, chunks in zip(group, per_article, strict=True):
        index.replace_article(article, chunks, vectors[offset : offset + len(chunks)])
        offset += len(chunks)
    return offset


# --- answer ------------------------------------------------------------------------------------------


def validate_question(question: str, settings: Settings) -> str:
    """The question, tidied; raises ValueError with a message for people when it cannot be asked."""
    if not isinstance(question, str):
        raise ValueError(f"question must be text, got {type(question).__name__}")
    cleaned = " ".join(normalize_text(question).split())
    if not cleaned:
        raise ValueError("question is empty: type a question about the news articles")
    if len(cleaned) > settings.max_question_chars:
        raise ValueError(
            f"question is {len(cleaned):,} characters long; the limit is {settings.max_question_chars:,} "
            "(RAG_MAX_QUESTION_CHARS)"
        )
    return cleaned


def _citation(n: int, p: Passage, quote: str = "") -> Citation:
    c = p.chunk
    return Citation(
        n=n,
        article_id=c.article_id,
        title=c.title,
        url=c.url,
        published_at=c.published_at,
        source=c.source,
        text=c.text,
        start=c.start,
        end=c.end,
        score=p.score,
        quote=quote,
    )


def _renumber(text: str, cited: list[int]) -> str:
    """Rewrite [n] markers so the first cited passage is [1], the next [2], ...; citations follow."""
    mapping = {old: new for new, old in enumerate(cited, start=1)}
    return re.sub(r"\[(\d+)\]", lambda m: f"[{mapping.get(int(m.group(1)), m.group(1))}]", text)


@dataclass
class _Decision:
    """What retrieval and grounding concluded before text is streamed."""

    passages: list[Passage]
    answerable: bool
    support: float
    best_dense: float


def _decide(question: str, parts: Components, k: int) -> _Decision:
    passages = parts.retriever.passages_for(question, k)
    if not passages:
        return _Decision([], False, 0.0, 0.0)
    idf = idf_function(parts.index.lexical.doc_freq, max(1, len(parts.index.lexical.ids)))
    best_dense = max((p.dense_score or 0.0) for p in passages)
    support = max(support_for(question, f"{p.chunk.title}\n{p.chunk.text}", idf) for p in passages)
    # Either most of the question's rare words are there, or the meaning matches closely and some are.
    answerable = best_dense >= parts.settings.min_dense_score and (
        support >= MIN_SUPPORT or (best_dense >= STRONG_DENSE and support >= MIN_SUPPORT / 2)
    )
    return _Decision(passages, answerable, support, best_dense)


def stream_answer(
    question: str,
    *,
    history: list[tuple[str, str]] | None = None,
    k: int | None = None,
    settings: Settings | None = None,
) -> Iterator[str | Answer]:
    """Yield the answer text as it is generated (str pieces), then the final `Answer`.

    The final Answer is authoritative: when grounding rejects the generated text, its `text` is the
    extractive replacement and differs from what was streamed. Raises ValueError for an empty or
    over-long question.
    """
    settings = settings or Settings.from_env()
    question = validate_question(question, settings)
    k = k or settings.top_k
    t0 = time.perf_counter()
    parts = components(settings)
    decision = _decide(question, parts, k)
    t_retrieved = time.perf_counter()
    timings = {"retrieve_ms": (t_retrieved - t0) * 1000}
    passages = decision.passages
    notes: list[str] = []

    if not decision.answerable:
        notes.append(
            f"best passage covers {decision.support:.0%} of the question's terms "
            f"(dense similarity {decision.best_dense:.2f}); not enough to answer from"
        )
        timings.update(generate_ms=0.0, total_ms=(time.perf_counter() - t0) * 1000)
        yield ABSTAIN_TEXT
        yield Answer(
            question=question,
            text=ABSTAIN_TEXT,
            citations=[_citation(n, p) for n, p in enumerate(passages[:3], start=1)],
            abstained=True,
            backend="extractive",
            timings=timings,
            search_query=question,
            notes=tuple(notes),
        )
        return

    generator: Generator | None = None
    generated = ""
    try:
        generator = make_generator(settings)
    except GeneratorUnavailable as e:
        notes.append(str(e))
    if generator is not None:
        prompt = Prompt(question, passages, history or [])
        try:
            for piece in generator.stream(prompt, settings.max_answer_tokens):
                generated += piece
                yield piece
        except GeneratorUnavailable as e:
            notes.append(f"{e}; answered from the passages instead")
            generated = ""
    t_generated = time.perf_counter()
    timings["generate_ms"] = (t_generated - t_retrieved) * 1000

    idf = idf_function(parts.index.lexical.doc_freq, max(1, len(parts.index.lexical.ids)))
    checked = check_answer(generated, passages) if generated.strip() else None
    backend = generator.name if generator is not None else "extractive"
    abstained = False
    if checked is not None and ABSTAIN_TEXT.casefold().rstrip(".") in generated.casefold():
        text, cited, abstained = ABSTAIN_TEXT, [], True
        notes.append("the model found no answer in the passages")
    elif checked is not None and checked.text and checked.cited and not checked.unsupported:
        text, cited = checked.text, checked.cited
        if checked.removed_citations:
            notes.append(f"removed citations to missing passages: {checked.removed_citations}")
    else:
        if checked is None:
            notes.append("the model gave no answer; quoting the passages")
        elif checked.unsupported:
            notes.append(f"the model's answer stated what its sources don't ({checked.unsupported[0]!r})")
        else:
            notes.append("the model's answer cited no passage; quoting the passages")
        quotes = best_sentences(question, passages, parts.embedder.encode, idf)
        text, cited = quote_answer(quotes), list(dict.fromkeys(q.passage for q in quotes))
        backend = "extractive"

    quotes_by_passage: dict[int, str] = {}
    if not abstained:
        for q in best_sentences(
            question, [passages[n - 1] for n in cited], parts.embedder.encode, idf, limit=1
        ):
            quotes_by_passage[cited[q.passage - 1]] = q.text
    citations = [
        _citation(new, passages[old - 1], quotes_by_passage.get(old, ""))
        for new, old in enumerate(cited, start=1)
    ]
    if abstained:
        citations = [_citation(n, p) for n, p in enumerate(passages[:3], start=1)]
    timings["total_ms"] = (time.perf_counter() - t0) * 1000
    yield Answer(
        question=question,
        text=_renumber(text, cited) if not abstained else text,
        citations=citations,
        abstained=abstained,
        backend=backend,
        timings=timings,
        search_query=question,
        notes=tuple(notes),
        model_text=generated,
    )


def answer(
    question: str,
    *,
    history: list[tuple[str, str]] | None = None,
    k: int | None = None,
    settings: Settings | None = None,
) -> Answer:
    """Answer `question` from the indexed corpus, with `[n]` citations into `Answer.citations`.

    >>> a = answer("How much did TSMC's first plant in Japan cost?")
    >>> a.text, [c.title for c in a.citations]

    Raises ValueError for an empty or over-long question. When the corpus does not hold the answer,
    `a.abstained` is True and `a.text` says so.
    """
    final: Answer | None = None
    for event in stream_answer(question, history=history, k=k, settings=settings):
        if isinstance(event, Answer):
            final = event
    assert final is not None
    return final
