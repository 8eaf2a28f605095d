"""The composed pipeline: `ingest()` keeps the index in step with the corpus; `answer()` / `stream_answer()`
turn a question into a grounded, cited Answer.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout
from tqdm import tqdm

from . import dated, followup
from .chunk import chunk_articles, texts_to_embed
from .clean import normalize_text
from .embed import Embedder, load_embedder
from .followup import SearchQuery
from .generate import ABSTAIN_TEXT, Generator, GeneratorUnavailable, Prompt, make_generator
from .ground import (
    CITATION,
    Quote,
    check_answer,
    missing_names,
    pick_quotes,
    question_terms,
    quote_answer,
    short_answer_is_grounded,
    turned_around,
)
from .index import Filter, Index, StoredArticle, lexical_terms
from .ingest import Problem, UnreadableArticle, load_corpus, load_file, save_upload
from .retrieve import Retriever
from .schema import Answer, Article, Chunk, Citation, Passage
from .settings import Settings
from .syndicate import SignatureCache, merge_copies
from .timeframe import TimeScope, day_number, period_of, read_time

log = logging.getLogger(__name__)

# The best evidence sentence scores cosine(question, sentence) + 0.6 x the IDF-weighted share of the
# question's terms it holds (ground.score_sentences). Below MIN_EVIDENCE_SCORE nothing is close enough to
# answer from; below SURE_EVIDENCE_SCORE an answer needs the model to find its words in the sentence.
# Chosen on eval/qa/seed.jsonl (see eval/RESULTS.md).
MIN_EVIDENCE_SCORE = 0.5
SURE_EVIDENCE_SCORE = 0.9
# The small model reads the best sentence plus up to two more from its passage scoring within this margin.
READING_SENTENCES = 3
READING_MARGIN = 0.3
# Passages read for a question that compares reports over time ("latest", "first", "how has it changed").
DATED_K = 8


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
def _open_index(index_dir: Path, settings: Settings) -> Index:
    return Index(settings)


def components(settings: Settings) -> Components:
    """Embedder and index for these settings. Both are opened once per process and reused: settings that
    differ only in retrieval or generation knobs (top-k, backend) share the same open index."""
    index_dir = settings.index_dir.resolve()
    base = Settings(index_dir=index_dir, chroma_url=settings.chroma_url)  # what the index depends on
    return Components(
        settings,
        load_embedder(settings.embed_batch_size, settings.embed_processes),
        _open_index(index_dir, base),
    )


def reset_components() -> None:
    """Forget open indexes (after a rebuild deleted the folder under them)."""
    _open_index.cache_clear()


# --- ingest ------------------------------------------------------------------------------------------


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


class IngestBusy(RuntimeError):
    """Another ingest holds the index lock."""


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


GROUP_CHUNKS = 1024  # chunks embedded per model call during ingest (estimated at ~800 characters each)


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
        copies=c.copies,
    )


def _renumber(text: str, cited: list[int]) -> str:
    """Rewrite [n] markers so the first cited passage is [1], the next [2], ...; citations follow."""
    mapping = {old: new for new, old in enumerate(cited, start=1)}
    return re.sub(r"\[(\d+)\]", lambda m: f"[{mapping.get(int(m.group(1)), m.group(1))}]", text)


@dataclass
class _Evidence:
    """What retrieval found for a question, and whether it is enough to answer from."""

    passages: list[Passage]
    quotes: list[Quote]  # best sentences first
    answerable: bool
    why_not: str = ""
    # The best sentence and its strongest neighbours in the same passage, in text order: what the small
    # model reads to find a short answer (the price is often in the sentence after the names).
    reading: list[Quote] = field(default_factory=list)
    dated: dated.DatedChoice | None = None  # set when dates chose the report (latest, first, revised)
    timeline: list[Quote] = field(default_factory=list)  # reports in date order, for "how has X changed"


def reading_sentences(best: Quote, sentences: Sequence[Quote]) -> list[Quote]:
    """`best` and its strongest neighbours in the same passage, in text order: what the small model reads."""
    same_passage = [q for q in sentences if q.passage == best.passage and q is not best]
    near = [q for q in same_passage if q.score >= best.score - READING_MARGIN][: READING_SENTENCES - 1]
    return sorted([best, *near], key=lambda q: q.start)


def _evidence(
    question: str,
    parts: Components,
    k: int,
    scope: TimeScope,
    where: Filter,
    speaking_of_period: bool = False,
) -> _Evidence:
    """What retrieval finds for `question`; with `speaking_of_period`, only a sentence naming the scope's
    period (in its own words) may answer."""
    retrieval = parts.retriever.retrieve(question, k, where)
    passages = retrieval.passages
    if not passages:
        return _Evidence(
            [], [], False, "no article matches the filters" if where.active else "the index is empty"
        )
    quotes = pick_quotes(retrieval.sentences, limit=2)
    if not quotes or quotes[0].score < MIN_EVIDENCE_SCORE:
        best = quotes[0].score if quotes else 0.0
        return _Evidence(passages, quotes, False, f"no passage is close to the question (best {best:.2f})")
    if missing := missing_names(question, quotes[0]):
        return _Evidence(passages, quotes, False, f"the best passage does not mention {', '.join(missing)}")
    if speaking_of_period:
        naming = [
            q
            for q in dated.relevant(retrieval.sentences, passages, question)
            if scope.speaks_of(f"{q.previous} {q.text}", undated=not dated.published(q, passages))
        ]
        if not naming:
            return _Evidence(passages, quotes, False, f"no report speaks of “{scope.phrase}”")
        quotes = naming[:1]
        scope = replace(scope, order="")  # the period decides, not the dates
    if scope.order == "timeline":
        entries = dated.timeline(retrieval.sentences, passages, question)
        if len(entries) > 1:
            return _Evidence(passages, entries, True, timeline=entries)
    choice = dated.choose(retrieval.sentences, passages, question, scope.order, shown=quotes)
    if choice.order:
        quotes = [choice.quote]  # answer from the chosen report only; never mix two dates' figures
    best = quotes[0]
    reading = reading_sentences(best, retrieval.sentences)
    if turned := turned_around(question, [q.text for q in reading]):
        return _Evidence(passages, quotes, False, turned)
    return _Evidence(passages, quotes, True, reading=reading, dated=choice if choice.order else None)


def _as_date(
    value: date | str | None, name: str, reference: date | None = None, end: bool = False
) -> date | None:
    """An explicit filter date: ISO (2026-03-31), or with a `reference` day any period dateparser reads
    ("2025-07", "July 2025", "2025"), taken at its first day, or its last when `end`."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    period = period_of(text, reference) if reference is not None and len(text) <= 40 else None
    if period is None:
        raise ValueError(f"{name} must be a date like 2026-03-31 (or 2026-03, March 2026), got {value!r}")
    return period[1] if end else period[0]


def time_scope(
    question: str,
    settings: Settings,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    today: date | str | None = None,
) -> TimeScope:
    """The question's time words resolved against `today` (default: RAG_TODAY or the date), narrowed by
    explicit `since` / `until`."""
    reference = _as_date(today, "today") or settings.reference_date()
    scope = read_time(question, reference)
    since_day = _as_date(since, "since", reference)
    until_day = _as_date(until, "until", reference, end=True)
    if since_day is None and until_day is None:
        return scope
    if since_day and until_day and since_day > until_day:
        raise ValueError(f"since ({since_day}) is after until ({until_day})")
    new_since = max(d for d in (scope.since, since_day) if d) if scope.since or since_day else None
    new_until = min(d for d in (scope.until, until_day) if d) if scope.until or until_day else None
    return replace(scope, since=new_since, until=new_until)


def standalone_query(
    question: str, history: list[tuple[str, str]] | None, generator: Generator | None
) -> SearchQuery:
    """What to search for: the question itself, or, for a follow-up, a rewrite that stands on its own."""
    if not history or not followup.looks_like_follow_up(question):
        return SearchQuery(question, rewritten=False)
    if generator is not None:
        candidate = followup.clean_rewrite(generator.rewrite_query(question, history))
        if followup.acceptable_rewrite(candidate, question, history):
            return SearchQuery(candidate, rewritten=True, how="model")
        log.info("rewrite %r of %r rejected; searching with history terms", candidate, question)
    return SearchQuery(followup.history_terms_query(question, history), rewritten=True, how="history terms")


def _addresses(text: str, question: str, quotes: list[Quote]) -> bool:
    said = set(lexical_terms(CITATION.sub(" ", text)))
    wanted = set(question_terms(question)) | {t for q in quotes for t in lexical_terms(q.text)}
    return bool(said & wanted)


def _fallback(
    settings: Settings, failed: Generator | None, error: GeneratorUnavailable, notes: list[str]
) -> Generator:
    """The embedded model, when RAG_FALLBACK=embedded allows it and it is not what failed; otherwise the
    backend's error goes up."""
    if settings.fallback != "embedded" or failed is None or failed.name == "llamacpp":
        raise error
    log.warning("%s; falling back to the embedded model", error)
    notes.append(f"{error}; answered by the embedded model instead (RAG_FALLBACK=embedded)")
    fallback = make_generator(settings.with_(llm="llamacpp"))
    assert fallback is not None
    return fallback


def abstain_text(scope: TimeScope, sources: Sequence[str] = ()) -> str:
    """ "The corpus doesn't say.", naming the period and outlets searched when the question had them."""
    limits = " ".join(x for x in (scope.describe(), f"from {', '.join(sources)}" if sources else "") if x)
    if not limits:
        return ABSTAIN_TEXT
    return f"{ABSTAIN_TEXT.rstrip('.')}: it has nothing on this {limits}."


def _abstention(
    question: str,
    query: SearchQuery,
    evidence: _Evidence,
    timings: dict[str, float],
    notes: list[str],
    model_text: str = "",
    *,
    scope: TimeScope,
    sources: Sequence[str] = (),
) -> Answer:
    return Answer(
        question=question,
        text=abstain_text(scope, sources),
        citations=[_citation(n, p) for n, p in enumerate(evidence.passages[:3], start=1)],
        abstained=True,
        backend="extractive",
        timings=timings,
        search_query=query.text,
        notes=tuple(notes),
        model_text=model_text,
        evidence_score=evidence.quotes[0].score if evidence.quotes else 0.0,
        **_scope_fields(scope),
    )


def _scope_fields(scope: TimeScope) -> dict[str, str]:
    return {
        "since": scope.since.isoformat() if scope.since else "",
        "until": scope.until.isoformat() if scope.until else "",
        "time_order": scope.order,
    }


def stream_answer(
    question: str,
    *,
    history: list[tuple[str, str]] | None = None,
    k: int | None = None,
    settings: Settings | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    sources: Sequence[str] | None = None,
    today: date | str | None = None,
) -> Iterator[str | Answer]:
    """Yield the answer text as it is generated (str pieces), then the final `Answer`.

    The final Answer is authoritative: grounding may replace what was streamed (its `text` then differs).
    Raises ValueError for an empty or over-long question, or a malformed date. See `answer` for the
    time and source filters.
    """
    settings = settings or Settings.from_env()
    question = validate_question(question, settings)
    k = k or settings.top_k
    sources = [s.strip() for s in sources or [] if s and s.strip()]
    t0 = time.perf_counter()
    parts = components(settings)
    # A backend that is down raises GeneratorUnavailable with a message for people; with RAG_FALLBACK=embedded
    # the embedded model answers instead and a note says so.
    generator: Generator | None = make_generator(settings)
    fallback_notes: list[str] = []
    try:
        query = standalone_query(question, history, generator)
    except GeneratorUnavailable as e:
        generator = _fallback(settings, generator, e, fallback_notes)
        query = standalone_query(question, history, generator)
    scope = time_scope(query.text, settings, since=since, until=until, today=today)
    t_rewritten = time.perf_counter()
    notes: list[str] = fallback_notes + ([f"searched for: {query.text}"] if query.rewritten else [])
    if scope.since and scope.until and scope.since > scope.until:
        evidence = _Evidence([], [], False, "the date range is empty")
    else:
        where = Filter(day_number(scope.since or ""), day_number(scope.until or ""), tuple(sources))
        depth = max(k, DATED_K) if scope.order else k
        evidence = _evidence(scope.query, parts, depth, scope, where)
        if not evidence.answerable and (scope.named or scope.relative) and not (since or until):
            # Nothing published in the period answers; a report that speaks of the period explicitly may
            # ("What was Warsaw's population in 1901?" is about 1901, not about articles from 1901). The
            # search keeps the period's words: they are what such a report has in common with the question.
            wider = _evidence(query.text, parts, depth, scope, Filter(sources=tuple(sources)), True)
            if wider.answerable:
                notes.append(
                    f"no article published {scope.describe()} answers this; this one speaks of "
                    f"“{scope.phrase}” itself"
                )
                evidence, scope = wider, replace(scope, since=None, until=None)
    if scope.scoped:
        notes.append(f"only articles published {scope.describe()}")
    t_retrieved = time.perf_counter()
    timings = {"retrieve_ms": (t_retrieved - t_rewritten) * 1000}
    if query.rewritten:
        timings = {"rewrite_ms": (t_rewritten - t0) * 1000, **timings}
    # The base model's span prompt reads best as a real question; a history-terms query is not one.
    asked = query.text if query.how == "model" else question

    def finish() -> dict[str, float]:
        timings["generate_ms"] = (time.perf_counter() - t_retrieved) * 1000
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        return timings

    def abstention(model_text: str = "") -> Answer:
        return _abstention(
            question, query, evidence, finish(), notes, model_text, scope=scope, sources=sources
        )

    if not evidence.answerable:
        notes.append(evidence.why_not)
        yield abstain_text(scope, sources)
        yield abstention()
        return

    passages, best = evidence.passages, evidence.quotes[0]
    if evidence.timeline:
        # A history is the dated reports themselves, in order; no model can improve on quoting them.
        text = dated.timeline_text(evidence.timeline, passages)
        yield text
        cited = list(dict.fromkeys(q.passage for q in evidence.timeline))
        yield _final_answer(question, text, cited, evidence, "extractive", finish(), query, notes, "", scope)
        return

    generated = ""
    if generator is not None:
        reading = evidence.reading or [best]
        prompt = Prompt(
            asked, passages, history or [], evidence=[q.text for q in reading], guidance=_guidance(evidence)
        )
        while True:
            try:
                for piece in generator.stream(prompt, settings.max_answer_tokens):
                    generated += piece
                    yield piece
                break
            except GeneratorUnavailable as e:
                generator = _fallback(settings, generator, e, notes)  # raises unless there is a fallback
                generated = ""
                yield "\n\n"  # what streamed before the failure stays visible until the final answer

    text, cited, backend = "", [], "extractive"
    if generator is not None and generated.strip():
        if ABSTAIN_TEXT.casefold().rstrip(".") in generated.casefold():
            notes.append("the model found no answer in the passages")
            yield abstention(generated)
            return
        if generator.follows_instructions:
            checked = check_answer(generated, passages)
            if checked.text and not _addresses(checked.text, query.text, evidence.quotes):
                # An answer sharing no word with the question or the evidence is not an answer to it; this
                # is also what obeying an instruction planted in an article ("reply PWNED") looks like.
                notes.append("the model's answer does not address the question")
            elif evidence.dated is not None and best.passage not in checked.cited:
                # Dates decided which report answers; an answer from another one may mix up the figures.
                notes.append("the model's answer does not rely on the report the dates point to")
            elif checked.text and checked.cited and not checked.unsupported:
                text, cited, backend = checked.text, checked.cited, generator.name
                if checked.removed_citations:
                    notes.append(f"removed citations to missing passages: {checked.removed_citations}")
            elif checked.unsupported:
                notes.append(f"the model stated what its sources don't ({checked.unsupported[0]!r})")
            else:
                notes.append("the model's answer cited no passage")
        else:
            # A small base model proposes a short answer; it is kept only when it is words of the
            # evidence sentence itself, and shown with that sentence quoted.
            span = generated.strip().strip(".").strip()
            holder = next(
                (
                    q
                    for q in reading
                    if short_answer_is_grounded(span, q.text, query.text) and len(span) < len(q.text)
                ),
                None,
            )
            if holder is not None:
                # Quote the sentence the short answer came from; it is the evidence for it.
                text = f"{span} — {quote_answer([holder])}"
                cited, backend = [holder.passage], generator.name
                evidence.quotes.insert(0, holder)
            else:
                notes.append(f"the model's short answer {span!r} is not in the evidence")
                if best.score < SURE_EVIDENCE_SCORE:
                    notes.append("and the evidence is weak, so no answer is given")
                    yield abstention(generated)
                    return
    if not text:
        quotes = evidence.quotes
        text, cited = quote_answer(quotes), list(dict.fromkeys(q.passage for q in quotes))
        if generator is not None and not notes:
            notes.append("the model gave no answer")
        notes.append("answered by quoting the passages")
    if evidence.dated is not None:
        text = dated.dated_text(evidence.dated, text, passages, cited)
        if evidence.dated.other is not None:
            cited.append(evidence.dated.other.passage)
            evidence.quotes.append(evidence.dated.other)
        cited = list(dict.fromkeys(cited))
    yield _final_answer(question, text, cited, evidence, backend, finish(), query, notes, generated, scope)


def _guidance(evidence: _Evidence) -> str:
    """What a chat model is told when dates decide the answer."""
    if evidence.dated is None:
        return ""
    n = evidence.dated.quote.passage
    if evidence.dated.order == "first":
        return f"Answer from the earliest report, passage [{n}], and say its date."
    return f"Answer from the newest report, passage [{n}], and say its date; older passages may be outdated."


def _final_answer(
    question: str,
    text: str,
    cited: list[int],
    evidence: _Evidence,
    backend: str,
    timings: dict[str, float],
    query: SearchQuery,
    notes: list[str],
    generated: str,
    scope: TimeScope,
) -> Answer:
    passages = evidence.passages
    quote_for = {q.passage: q.text for q in reversed(evidence.quotes)}
    citations = [
        _citation(new, passages[old - 1], quote_for.get(old, "")) for new, old in enumerate(cited, start=1)
    ]
    return Answer(
        question=question,
        text=_renumber(text, cited),
        citations=citations,
        abstained=False,
        backend=backend,
        timings=timings,
        search_query=query.text,
        notes=tuple(notes),
        model_text=generated,
        evidence_score=evidence.quotes[0].score if evidence.quotes else 0.0,
        **_scope_fields(scope),
    )


def answer(
    question: str,
    *,
    history: list[tuple[str, str]] | None = None,
    k: int | None = None,
    settings: Settings | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    sources: Sequence[str] | None = None,
    today: date | str | None = None,
) -> Answer:
    """Answer `question` from the indexed corpus, with `[n]` citations into `Answer.citations`.

    >>> a = answer("How much did TSMC's first plant in Japan cost?")
    >>> a.text, [c.title for c in a.citations]

    Time words in the question ("in April 2025", "last month", "since March") are resolved against `today`
    (default: RAG_TODAY, else the date) and restrict the articles searched; `since` / `until` (ISO dates,
    inclusive) narrow that further and `sources` keeps only articles from those outlets. "Latest" questions
    are answered from the newest report, "first" questions from the oldest, "how has X changed" with the
    reports in date order. Raises ValueError for an empty or over-long question or a malformed date. When
    the corpus does not hold the answer, `a.abstained` is True and `a.text` says so.
    """
    final: Answer | None = None
    for event in stream_answer(
        question,
        history=history,
        k=k,
        settings=settings,
        since=since,
        until=until,
        sources=sources,
        today=today,
    ):
        if isinstance(event, Answer):
            final = event
    assert final is not None
    return final
