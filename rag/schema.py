"""The four types that flow through the system: Article -> Chunk -> Passage -> Answer.

Plain frozen dataclasses with no behaviour beyond small derived properties. A reader who knows these
knows the system.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class Report:
    """One outlet's publication of a story: a syndicated story (the same wire copy under several outlets)
    is indexed once, under its first report, and lists the others."""

    source: str
    published_at: str  # ISO 8601 date, "" when unknown
    url: str = ""
    article_id: str = ""
    title: str = ""


@dataclass(frozen=True)
class Article:
    """One cleaned news article, read from a corpus file."""

    id: str  # stable: the corpus-relative path, plus "#<record>" for JSON/JSONL records
    title: str
    body: str  # cleaned text; chunk offsets point into this
    source: str = ""  # outlet or site name, "" when unknown
    published_at: str = ""  # ISO 8601 date, "" when unknown
    url: str = ""
    path: str = ""  # the file it came from
    content_hash: str = ""  # of title + body + metadata; a change re-indexes the article
    removed_lines: tuple[str, ...] = ()  # what cleaning dropped (captions, banners, pasted headlines)
    copies: tuple[Report, ...] = ()  # near-identical copies of this story from other outlets (not indexed)

    @property
    def index_hash(self) -> str:
        """What the index stores and compares: the content hash, changed also when the copies change."""
        if not self.copies:
            return self.content_hash
        listed = "|".join(f"{r.article_id}:{r.source}:{r.published_at}:{r.url}" for r in self.copies)
        return hashlib.sha256(f"{self.content_hash}|{listed}".encode()).hexdigest()


@dataclass(frozen=True)
class Chunk:
    """A piece of an article small enough for the embedding model's window."""

    id: str
    article_id: str
    title: str
    text: str
    start: int  # character offsets of `text` in Article.body
    end: int
    position: int  # 0-based order within the article
    published_at: str = ""
    source: str = ""
    url: str = ""
    copies: tuple[Report, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the scores that put it there."""

    chunk: Chunk
    score: float  # fused reciprocal-rank score, higher is better
    dense_score: float | None = None  # cosine similarity, None when the dense side did not return it
    lexical_score: float | None = None  # BM25 score, None when the lexical side did not return it
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: `[n]` in Answer.text points at this passage."""

    n: int
    article_id: str
    title: str
    url: str
    published_at: str
    source: str
    text: str  # the passage
    start: int
    end: int
    score: float
    quote: str = ""  # the sentence of the passage the answer relies on, "" when not pinned down
    quotes: tuple[str, ...] = ()  # every sentence of the passage the answer cites (several-sentence answers)
    copies: tuple[Report, ...] = ()  # the same story as published by other outlets

    @property
    def sources(self) -> list[str]:
        """Every outlet that published this passage's story, its own first."""
        names = [self.source] + [r.source for r in self.copies]
        return list(dict.fromkeys(n for n in names if n))


class AbstainReason(Enum):
    """Why an answer says "The corpus doesn't say." (rag/policy.py holds the rules)."""

    EMPTY_RANGE = "empty date range"  # since is after until
    NOTHING_IN_FILTERS = "no article matches the filters"
    NOTHING_FOUND = "nothing found"
    WEAK_EVIDENCE = "weak evidence"  # no sentence close enough to the question
    MISSING_NAME = "missing name"  # the question's subject is not in the evidence
    UNKNOWN_NAME = "unknown name"  # the question names something no indexed article mentions
    PERIOD_NOT_NAMED = "period not named"  # nothing from the period, and no report speaks of it
    TURNED_AROUND = "turned around"  # the evidence answers the opposite question
    MODEL_DECLINED = "model declined"  # the model itself said the passages do not answer
    UNGROUNDED_SHORT_ANSWER = "ungrounded short answer"  # the model's answer is not in weak evidence


@dataclass(frozen=True)
class Answer:
    question: str
    text: str  # with [n] markers that index into `citations`
    citations: list[Citation]
    abstained: bool  # True when the corpus does not contain the answer
    backend: str  # who wrote the text: a registry name ("llamacpp", "ollama", "openai") or "extractive"
    timings: dict[str, float] = field(default_factory=dict)  # retrieve_ms, generate_ms, total_ms
    search_query: str = ""  # what was actually searched for (a rewritten follow-up differs from question)
    notes: tuple[str, ...] = ()  # why the answer is what it is: fallbacks, removed citations, trimming
    model_text: str = ""  # the generator's raw output before grounding, for debugging and eval
    model: str = ""  # the model consulted, as people should see it ("" when none was)
    # Score of the best evidence sentence (cosine + term share + figure bonus; ~0.3 unrelated, >1 close).
    evidence_score: float = 0.0
    # The period the answer was restricted to (from the question's time words or explicit filters), ISO
    # dates, "" for open ends; and "latest" / "first" / "timeline" when the question asked for that.
    since: str = ""
    until: str = ""
    time_order: str = ""
    abstain_reason: AbstainReason | None = None  # set when `abstained`
    # The search that really happened: the query, and the passages it ranked (deeper than the cited
    # ones), with their scores; eval scores retrieval from these.
    retrieved: tuple[Passage, ...] = ()

    @property
    def cited_numbers(self) -> list[int]:
        return [c.n for c in self.citations]


@dataclass(frozen=True)
class Filter:
    """Which chunks a search may return: published in [since, until] (YYYYMMDD day numbers, inclusive;
    undated articles never match a range) and by one of `sources` (a syndicated story matches any of
    its outlets). The default lets everything through. With `keep_undated`, an open-start range
    (`since` 0) also admits undated articles: "nothing published after today" says nothing about them."""

    since: int = 0
    until: int = 0
    sources: tuple[str, ...] = ()
    keep_undated: bool = False

    @property
    def drops_undated(self) -> bool:
        return bool(self.since or (self.until and not self.keep_undated))

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.sources)

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.drops_undated:
            clauses.append({"day": {"$gte": max(self.since, 1)}})
        if self.until:
            clauses.append({"day": {"$lte": self.until}})
        if self.sources:
            by_source = [{"sources": {"$contains": s}} for s in self.sources]
            clauses.append(by_source[0] if len(by_source) == 1 else {"$or": by_source})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


NO_FILTER = Filter()
