"""The last stage of an answer: text + the passages it cites -> the `Answer` people and programs read.

Citations are numbered in the order the text first cites them; `[n]` in the text always points at
`Answer.citations[n - 1]`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import dated
from .evidence import Evidence
from .generate import ABSTAIN_TEXT
from .ground import quote_answer
from .lines import Synthesis
from .question import Question
from .schema import AbstainReason, Answer, Citation, Passage
from .sentences import Quote
from .speakers import within_quotation
from .text import headline_adds_answer
from .timeframe import TimeScope, long_date


@dataclass(frozen=True)
class Draft:
    """An answer before numbering: its text cites passages by their 1-based number in the evidence."""

    text: str
    cited: tuple[int, ...]
    backend: str  # the generator's name, or "extractive" when the answer quotes the passages
    quotes: tuple[Quote, ...] = ()  # the sentences each citation relies on (first one per passage wins)


def citation(n: int, p: Passage, quote: str = "", quotes: tuple[str, ...] = ()) -> Citation:
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
        quotes=quotes or ((quote,) if quote else ()),
        copies=c.copies,
    )


def renumber(text: str, cited: Sequence[int]) -> str:
    """Rewrite [n] markers so the first cited passage is [1], the next [2], ...; citations follow."""
    mapping = {old: new for new, old in enumerate(cited, start=1)}
    return re.sub(r"\[(\d+)\]", lambda m: f"[{mapping.get(int(m.group(1)), m.group(1))}]", text)


def abstain_text(scope: TimeScope, sources: Sequence[str] = ()) -> str:
    """ "The corpus doesn't say.", naming the period and outlets searched when the question had them."""
    limits = " ".join(x for x in (scope.describe(), f"from {', '.join(sources)}" if sources else "") if x)
    if not limits:
        return ABSTAIN_TEXT
    return f"{ABSTAIN_TEXT.rstrip('.')}: it has nothing on this {limits}."


def quoted(evidence: Evidence, question: str = "") -> Draft:
    """The extractive answer: the evidence's best sentences, quoted with their citations, after the
    headline of the first one's article when the headline names what was asked and the sentence does not
    (the answer first, then the quote; a headline is part of what its passage says)."""
    quotes = evidence.quotes
    text = quote_answer(quotes)
    if quotes and question:
        headline = evidence.passages[quotes[0].passage - 1].chunk.title.strip()
        if headline and headline_adds_answer(question, headline, " ".join(q.text for q in quotes)):
            text = f"{headline} — {text}"
    return Draft(text, tuple(dict.fromkeys(q.passage for q in quotes)), "extractive", quotes)


def synthesized(synthesis: Synthesis, latest: bool = False) -> Draft:
    """A several-sentence answer: a line per sentence, quoted as it stands, with its citation; a
    comparison's lines name their side, and a side the corpus lacks says so. When the lines come from
    reports of different days each gives its date, so no two reports' figures read as one claim; an
    answer to "the latest on …" from one report opens with that report's date."""
    passages = synthesis.evidence.passages
    days = {dated.published(line.quote, passages) for line in synthesis.lines}
    only = next(iter(days)) if len(days) == 1 else ""
    lines = [f"As of {long_date(only)}:"] if latest and only else []
    for line in synthesis.lines:
        day = dated.published(line.quote, passages)
        side = f"{line.side}: " if line.side else ""
        when = f"({long_date(day)}) " if len(days) > 1 and day else ""
        text = within_quotation(line.quote.text, _paragraph_before(line.quote, passages))
        lines.append(f"- {side}{when}{text} [{line.quote.passage}]")
    lines += [f"- {side}: the corpus doesn't say." for side in synthesis.missing]
    quotes = tuple(line.quote for line in synthesis.lines)
    return Draft("\n".join(lines), tuple(dict.fromkeys(q.passage for q in quotes)), "extractive", quotes)


def _paragraph_before(quote: Quote, passages: Sequence[Passage]) -> str:
    text = passages[quote.passage - 1].chunk.text[: quote.start]
    return text[text.rfind("\n") + 1 :]


def timeline(evidence: Evidence) -> Draft:
    """A history is the dated reports themselves, in order; no model can improve on quoting them."""
    entries = evidence.timeline
    text = dated.timeline_text(entries, evidence.passages)
    return Draft(text, tuple(dict.fromkeys(q.passage for q in entries)), "extractive", entries)


def with_dates(draft: Draft, evidence: Evidence) -> Draft:
    """Say the date of the report dates chose, and the report it revises."""
    choice = evidence.dated
    if choice is None:
        return draft
    text = dated.dated_text(choice, draft.text, evidence.passages, draft.cited)
    cited, quotes = list(draft.cited), list(draft.quotes)
    if choice.other is not None:
        cited.append(choice.other.passage)
        quotes.append(choice.other)
    return Draft(text, tuple(dict.fromkeys(cited)), draft.backend, tuple(quotes))


def closest_report(draft: Draft, evidence: Evidence) -> Draft:
    """Name the date of a report found outside the period the question asked about."""
    best = evidence.best
    day = dated.published(best, evidence.passages) if best is not None else ""
    if not day or long_date(day) in draft.text:
        return draft
    return Draft(
        f"The closest report, from {long_date(day)}: {draft.text}", draft.cited, draft.backend, draft.quotes
    )


def _scope_fields(scope: TimeScope) -> dict[str, str]:
    return {
        "since": scope.since.isoformat() if scope.since else "",
        "until": scope.until.isoformat() if scope.until else "",
        "time_order": scope.order,
    }


def answered(
    question: Question,
    draft: Draft,
    evidence: Evidence,
    scope: TimeScope,
    *,
    timings: dict[str, float],
    notes: Sequence[str],
    model_text: str,
    model: str = "",
) -> Answer:
    passages = evidence.passages
    # The sentence each citation relies on (a headline only when no sentence of that passage is quoted).
    shown = sorted((*draft.quotes, *evidence.quotes), key=lambda q: q.headline)
    quote_for = {q.passage: q.text for q in reversed(shown)}
    every: dict[int, list[str]] = {}
    for q in draft.quotes:
        if not q.headline and q.text not in every.setdefault(q.passage, []):
            every[q.passage].append(q.text)
    citations = [
        citation(new, passages[old - 1], quote_for.get(old, ""), tuple(every.get(old, ())))
        for new, old in enumerate(draft.cited, start=1)
    ]
    return Answer(
        question=question.text,
        text=renumber(draft.text, draft.cited),
        citations=citations,
        abstained=False,
        backend=draft.backend,
        timings=timings,
        search_query=question.query.text,
        notes=tuple(notes),
        model_text=model_text,
        model=model,
        evidence_score=evidence.top.score if evidence.top else 0.0,
        retrieved=evidence.trace.ranked,
        **_scope_fields(scope),
    )


def abstained(
    question: Question,
    reason: AbstainReason,
    evidence: Evidence | None,
    scope: TimeScope,
    *,
    timings: dict[str, float],
    notes: Sequence[str],
    model_text: str = "",
    model: str = "",
) -> Answer:
    passages = evidence.passages if evidence else ()
    return Answer(
        question=question.text,
        text=abstain_text(scope, question.sources),
        citations=[citation(n, p) for n, p in enumerate(passages[:3], start=1)],
        abstained=True,
        backend="extractive",
        timings=timings,
        search_query=question.query.text,
        notes=tuple(notes),
        model_text=model_text,
        model=model,
        evidence_score=evidence.top.score if evidence and evidence.top else 0.0,
        abstain_reason=reason,
        retrieved=evidence.trace.ranked if evidence else (),
        **_scope_fields(scope),
    )
