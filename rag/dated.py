"""Which report answers a time-sensitive question: the newest, the first, or all of them in date order.

News gets revised: the same figure is reported at 120 million in March and 150 million in June. Scored
sentences (best first) from several articles are grouped into *reports*: the best sentence of each
article that is about as relevant as the best sentence overall. Among the dated reports, "latest"
questions take the newest, "first" questions the oldest, and a question with no time words still gets
the newest when reports of different dates give different figures, with the other report cited as the
value it revised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .ground import missing_names
from .lexical import english_stopwords, lexical_terms
from .schema import Passage
from .sentences import Quote
from .text import DATE_WORDS, question_terms, wants_figure
from .timeframe import TimeScope, long_date

# A report whose best sentence scores within DATE_MARGIN of the best sentence is about the same thing;
# timelines look a little wider. Chosen on eval/qa/dated (see eval/RESULTS.md).
DATE_MARGIN = 0.3
TIMELINE_MARGIN = 0.45
TIMELINE_ENTRIES = 6
MIN_REPORT_SCORE = 0.5


@dataclass(frozen=True)
class DatedChoice:
    quote: Quote  # the report to answer from
    order: str  # "latest" | "first" | "" when dates did not decide
    other: Quote | None = None  # a report of another date with different figures: what was revised


def published(q: Quote, passages: Sequence[Passage]) -> str:
    return passages[q.passage - 1].chunk.published_at


_QUANTITY = re.compile(
    r"(?<![\w.])(?P<value>\d+(?:[.,]\d+)*)\s*(?P<scale>(?:million|billion|thousand|trillion|bn)\b)?\s*"
    r"(?P<unit>%|per\s?cent\b|[a-z]+)?",
    re.IGNORECASE,
)


def names_the_period(q: Quote, passages: Sequence[Passage], scope: TimeScope) -> bool:
    """Whether a sentence (with the one before it) names the scope's period itself ("in 2003"), the way
    a report from another time can speak of it."""
    return scope.speaks_of(f"{q.previous} {q.text}", undated=not published(q, passages))


def quantities(text: str) -> dict[str, set[str]]:
    """A sentence's figures by what they count, dates left out: "cost 112 million euros and employs 1,080
    people" -> {"euros": {"112million"}, "people": {"1080"}}; a figure followed by no noun counts "".
    """
    found: dict[str, set[str]] = {}
    for m in _QUANTITY.finditer(DATE_WORDS.sub(" ", text)):
        unit = (m["unit"] or "").casefold().replace(" ", "")
        unit = "percent" if unit in ("%", "percent") else unit  # "per cent" lost its space above
        if unit in english_stopwords():
            unit = ""
        value = re.sub(r",", "", m["value"]) + (m["scale"] or "").casefold()
        found.setdefault(unit, set()).add(value)
    return found


_HOW_MANY = re.compile(r"\bhow\s+many\s+(?:new\s+|more\s+)?(?P<unit>[a-z]+)", re.IGNORECASE)


def counts_what_is_asked(q: Quote, question: str) -> bool:
    """ "How many people ..." wants a number of people: "200 jobs" is another quantity."""
    m = _HOW_MANY.search(question)
    if not m:
        return True
    unit = m["unit"].casefold()
    return any(u[:4] == unit[:4] for u in quantities(q.text) if u)


def relevant(
    sentences: Sequence[Quote], passages: Sequence[Passage], question: str, margin: float = DATE_MARGIN
) -> list[Quote]:
    """The sentences (best first) within `margin` of the best one that name what the question names."""
    if not sentences:
        return []
    floor = max(MIN_REPORT_SCORE, sentences[0].score - margin)
    return [q for q in sentences if q.score >= floor and not missing_names(question, q)]


def reports(
    sentences: Sequence[Quote], passages: Sequence[Passage], question: str, margin: float
) -> list[Quote]:
    """The best relevant sentence of each article, best first."""
    seen: set[str] = set()
    out = []
    for q in relevant(sentences, passages, question, margin):
        article = passages[q.passage - 1].chunk.article_id
        if article not in seen:
            seen.add(article)
            out.append(q)
    return out


def choose(
    sentences: Sequence[Quote],
    passages: Sequence[Passage],
    question: str,
    order: str,
    shown: Sequence[Quote] = (),
) -> DatedChoice:
    """The report to answer from (see the module docstring); `sentences` must not be empty. `shown` are
    the sentences an undated answer would quote together: two reports of one figure from different dates
    are never quoted side by side without saying which is newer."""
    best = sentences[0]
    dated = [q for q in reports(sentences, passages, question, DATE_MARGIN) if published(q, passages)]
    dated = [q for q in dated if _same_subject(q, best, question, passages)]
    dated = [q for q in dated if counts_what_is_asked(q, question)] or dated
    if not dated:
        return DatedChoice(best, "")
    if order not in ("latest", "first"):
        side_by_side = any(_revises(q, shown[0], passages) for q in shown[1:])
        if not wants_figure(question) and not side_by_side:
            return DatedChoice(best, "")
        newest = max(dated, key=lambda q: (published(q, passages), q.score))
        if not any(_revises(q, newest, passages) for q in dated):
            return DatedChoice(best, "")
        order = "latest"
    if order == "latest":
        chosen = max(dated, key=lambda q: (published(q, passages), q.score))
        older = [q for q in dated if _revises(q, chosen, passages)]
        other = max(older, key=lambda q: published(q, passages)) if older else None
    else:
        chosen = min(dated, key=lambda q: (published(q, passages), -q.score))
        later = [q for q in dated if _revises(q, chosen, passages)]
        other = max(later, key=lambda q: published(q, passages)) if later else None
    return DatedChoice(chosen, order, other)


def _same_subject(q: Quote, best: Quote, question: str, passages: Sequence[Passage]) -> bool:
    """Whether `q`'s report speaks of what the best sentence's headline names of the question: a newer
    bridge cost is no revision of the tram's ("How much did the tram cost?" was answered "As of 15 January
    2026: … Harrowgate Bridge … 112 million euros", the tram's 45 million given as the figure it revised)."""
    headline = set(lexical_terms(passages[best.passage - 1].chunk.title))
    said = set(lexical_terms(f"{passages[q.passage - 1].chunk.title} {q.previous} {q.text}"))
    return all(t in said for t in question_terms(question) if t in headline)


def _revises(q: Quote, chosen: Quote, passages: Sequence[Passage]) -> bool:
    """Whether `q`, from another date, gives another figure for the same kind of quantity as `chosen`."""
    if published(q, passages) == published(chosen, passages):
        return False
    mine, theirs = quantities(q.text), quantities(chosen.text)
    return any(mine[unit] != theirs[unit] for unit in set(mine) & set(theirs))


def timeline(sentences: Sequence[Quote], passages: Sequence[Passage], question: str) -> list[Quote]:
    """The most relevant dated reports, one per article, in date order."""
    found = [q for q in reports(sentences, passages, question, TIMELINE_MARGIN) if published(q, passages)]
    return sorted(found[:TIMELINE_ENTRIES], key=lambda q: published(q, passages))


def dated_text(choice: DatedChoice, core: str, passages: Sequence[Passage], cited: Sequence[int] = ()) -> str:
    """The answer `core` with the date of the report it relies on (unless it says it already), and the
    revision when there is one (unless `cited` already includes it)."""
    day = long_date(published(choice.quote, passages))
    other = choice.other if choice.other is not None and choice.other.passage not in cited else None
    if day in core:
        text = core
    elif choice.order == "first":
        text = f"First reported on {day}: {core}"
    else:
        text = f"As of {day}: {core}"
    if choice.order == "first":
        if other is not None:
            later = long_date(published(other, passages))
            text += f" Later revised: a report of {later} says “{_bare(other.text)}” [{other.passage}]."
        return text
    if other is not None:
        earlier = long_date(published(other, passages))
        text += f" This revises an earlier report of {earlier}: “{_bare(other.text)}” [{other.passage}]."
    return text


def timeline_text(entries: Sequence[Quote], passages: Sequence[Passage]) -> str:
    lines = [f"- {long_date(published(q, passages))}: “{_bare(q.text)}” [{q.passage}]" for q in entries]
    return "As reported over time:\n" + "\n".join(lines)


def _bare(sentence: str) -> str:
    return sentence.strip().strip("“”\"'")
