"""Stage 2 of an answer: retrieve passages, score their sentences, pick the dated report -> `Evidence`.

Nothing here decides whether to answer (rag/policy.py does); this only gathers what an answer would rest
on, once, into a frozen record the later stages read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import dated
from .components import Components
from .ground import pick_quotes
from .schema import Filter, Passage
from .sentences import Quote, money_asked_and_given
from .text import answer_kind, fold, holds_kind, names_in
from .timeframe import TimeScope

# The small model reads the best sentence plus up to two more from its passage scoring within this margin.
READING_SENTENCES = 3
READING_MARGIN = 0.3
KIND_BONUS = 0.2
# Passages read for a question that compares reports over time ("latest", "first", "how has it changed").
DATED_K = 8


@dataclass(frozen=True)
class Trace:
    """The search that really happened, for people debugging an answer and for eval."""

    query: str
    where: Filter
    ranked: tuple[Passage, ...]  # the reranked candidates, best first (the answer cites the top k)


@dataclass(frozen=True)
class Evidence:
    """What retrieval found for a question; passage numbers in quotes are 1-based into `passages`."""

    passages: tuple[Passage, ...]
    sentences: tuple[Quote, ...]  # every sentence of the passages, scored against the question, best first
    top: Quote | None  # the best sentence before dates had a say: what the policy judges
    quotes: tuple[Quote, ...]  # what an answer quotes, best first
    trace: Trace
    # The best sentence and its strongest neighbours in the same passage, in text order: what the small
    # model reads to find a short answer (the price is often in the sentence after the names).
    reading: tuple[Quote, ...] = ()
    dated: dated.DatedChoice | None = None  # set when dates chose the report (latest, first, revised)
    timeline: tuple[Quote, ...] = ()  # reports in date order, for "how has X changed"
    period: str = ""  # the period a report had to speak of (the search outside it), "" otherwise
    unknown_names: tuple[str, ...] = ()  # names in the question that no indexed article mentions

    @property
    def best(self) -> Quote | None:
        return self.quotes[0] if self.quotes else None


def _holds_what_is_asked(kind: str, best: Quote, question: str) -> bool:
    """A date the question lacks for "when"; for "how much/many", a new figure of the kind asked: money
    for a cost, people for "how many people" (the tram line's "41,000 passengers" is no price)."""
    if kind == "date":
        return holds_kind("date", best.text, question)
    return (
        kind == "figure"
        and holds_kind("figure", best.text, question)
        and money_asked_and_given(question, best.text)
        and dated.counts_what_is_asked(best, question)
    )


def _neighbours(best: Quote, sentences: Sequence[Quote], question: str) -> list[Quote]:
    """Up to READING_SENTENCES - 1 sentences of `best`'s passage scoring within READING_MARGIN of it."""
    kind = answer_kind(question)
    if _holds_what_is_asked(kind, best, question):
        # The best sentence already gives the figure (or date) asked for: neighbours only offer the small
        # model other figures to copy ("3.9 trillion yen" for TSMC's "US$8.6 billion" plant). Names are
        # left out: a best sentence naming someone new is too common to mean it holds the answer
        # (realtimeqa-dev accuracy 0.756 with figures and dates, 0.721 with names too).
        return []

    # A neighbour holding a name the question lacks counts KIND_BONUS more. Only names: figures already
    # earn their sentence ground.FIGURE_BONUS, and a second bonus read the wrong figure on the seed article.
    def weight(q: Quote) -> float:
        return q.score + (KIND_BONUS if kind == "name" and holds_kind("name", q.text, question) else 0.0)

    same_passage = [q for q in sentences if q.passage == best.passage and q is not best]
    near = [q for q in same_passage if weight(q) >= best.score - READING_MARGIN]
    return sorted(near, key=weight, reverse=True)[: READING_SENTENCES - 1]


def reading_sentences(
    best: Quote, sentences: Sequence[Quote], question: str = "", passages: Sequence[Passage] = ()
) -> list[Quote]:
    """What the small model reads: the passage's headline, `best` and its strongest neighbours in the same
    passage, in text order. The best-scoring sentence often restates the question while the answer sits in
    the headline or the next sentence (realtimeqa-dev: the answer is in the top sentence for 44 of 86
    answerable questions, in the top passage with its headline for 76)."""
    chosen = sorted([best, *_neighbours(best, sentences, question)], key=lambda q: q.start)
    if not passages:
        return chosen
    title = passages[best.passage - 1].chunk.title.strip()
    if not title or any(fold(title) in fold(q.text) for q in chosen):
        return chosen
    headline = Quote(best.passage, 0, 0, title if title[-1] in ".!?" else f"{title}.", best.score, "", True)
    return [headline, *chosen]


def gather(
    query: str,
    parts: Components,
    k: int,
    scope: TimeScope,
    where: Filter,
    *,
    speaking_of_period: bool = False,
) -> Evidence:
    """The evidence for `query` among the articles `where` admits. With `speaking_of_period`, only a
    sentence that names the scope's period in its own words may be quoted (none: `quotes` is empty)."""
    depth = max(k, DATED_K) if scope.order else k
    retrieval = parts.retriever.retrieve(query, depth, where)
    passages, sentences = retrieval.passages, retrieval.sentences
    trace = Trace(query, where, tuple(retrieval.ranked))
    top_quotes = pick_quotes(sentences, limit=2)
    base = Evidence(
        tuple(passages),
        tuple(sentences),
        top_quotes[0] if top_quotes else None,
        tuple(top_quotes),
        trace,
        unknown_names=tuple(parts.index.unknown_names(names_in(query, skip_opening_word=True))),
    )
    if not top_quotes:
        return base
    quotes = top_quotes
    if speaking_of_period:
        naming = [
            q
            for q in dated.relevant(sentences, passages, query)
            if dated.names_the_period(q, passages, scope)
        ]
        if not naming:
            return replace(base, quotes=(), period=scope.phrase)
        quotes = naming[:1]
        scope = replace(scope, order="")  # the period decides, not the dates
    if scope.order == "timeline":
        entries = dated.timeline(sentences, passages, query)
        if len(entries) > 1:
            return replace(base, quotes=tuple(entries), timeline=tuple(entries))
    choice = dated.choose(sentences, passages, query, scope.order, shown=quotes)
    if choice.order:
        quotes = [choice.quote]  # answer from the chosen report only; never mix two dates' figures
    return replace(
        base,
        quotes=tuple(quotes),
        reading=tuple(reading_sentences(quotes[0], sentences, query, passages)),
        dated=choice if choice.order else None,
        period=scope.phrase if speaking_of_period else "",
    )
