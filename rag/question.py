"""Stage 1 of an answer: the question as asked -> a `Question` (tidied text, what to search, when, where).

Validation, the follow-up rewrite and the time words all happen here, once; later stages only read the
frozen result.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from . import followup
from .clean import normalize_text
from .errors import InvalidQuestion
from .followup import SearchQuery
from .generate import Generator
from .intent import FACTOID, Intent, read_intent
from .schema import Filter
from .settings import Settings
from .timeframe import TimeScope, day_number, period_of, read_time

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Question:
    """What the rest of the answer path needs to know about a question."""

    text: str  # as asked, tidied
    query: SearchQuery  # what to search for (a follow-up is rewritten to stand on its own)
    scope: TimeScope  # the period the question or the explicit filters name, and "latest"/"first"/...
    today: date  # what relative time words were reckoned from
    sources: tuple[str, ...] = ()  # outlets the user asked for (explicit filter)
    explicit_dates: bool = False  # since/until given by the caller: the range is a hard wall
    history: tuple[tuple[str, str], ...] = ()
    intent: Intent = FACTOID  # one fact, or several sentences (a summary, a comparison…)
    # `today` was given (RAG_TODAY, --today, an eval's quiz date): the corpus as it stood that day, so
    # nothing published after it is news yet. Off for the clock's own date, where a report dated
    # tomorrow is a time-zone difference, not the future.
    as_of: bool = False

    @property
    def asked(self) -> str:
        """The question as the small model should read it: a real question, not a bag of history terms."""
        return self.query.text if self.query.how == "model" else self.text

    @property
    def soft_period(self) -> bool:
        """A relative period ("this week", "recently") is evidence about when, not a wall: a report just
        outside it may still answer, and says its date."""
        return self.scope.relative and not self.explicit_dates

    def search_filter(self) -> Filter:
        """What the first search admits: the period (a relative one widened by its grace), sources, and
        nothing after today when the question is asked as of a day."""
        scope = self.scope
        since, until = day_number(scope.since or ""), day_number(scope.until or "")
        if self.as_of and not (until and until <= day_number(self.today)):
            return Filter(since, day_number(self.today), self.sources, keep_undated=True)
        return Filter(since, until, self.sources)

    def wide_filter(self) -> Filter:
        """The search when the period held nothing: only the sources, and nothing published after today
        for a relative period ("this week" is never about a later report) or a question asked as of a day."""
        if self.soft_period or self.as_of:
            return Filter(until=day_number(self.today), sources=self.sources, keep_undated=True)
        return Filter(sources=self.sources)


def validate_question(question: object, settings: Settings) -> str:
    """The question, tidied; raises InvalidQuestion with a message for people when it cannot be asked."""
    if not isinstance(question, str):
        raise InvalidQuestion(f"question must be text, got {type(question).__name__}")
    cleaned = " ".join(normalize_text(question).split())
    if not cleaned:
        raise InvalidQuestion("question is empty: type a question about the news articles")
    if len(cleaned) > settings.max_question_chars:
        raise InvalidQuestion(
            f"question is {len(cleaned):,} characters long; the limit is {settings.max_question_chars:,} "
            "(RAG_MAX_QUESTION_CHARS)"
        )
    return cleaned


def standalone_query(
    question: str, history: Sequence[tuple[str, str]] | None, generator: Generator | None
) -> SearchQuery:
    """What to search for: the question itself, or, for a follow-up, a rewrite that stands on its own."""
    turns = list(history or [])
    if not turns or not followup.looks_like_follow_up(question):
        return SearchQuery(question, rewritten=False)
    if generator is not None:
        candidate = followup.clean_rewrite(generator.rewrite_query(question, turns))
        if followup.acceptable_rewrite(candidate, question, turns):
            return SearchQuery(candidate, rewritten=True, how="model")
        log.info("rewrite %r of %r rejected; searching with history terms", candidate, question)
    return SearchQuery(followup.history_terms_query(question, turns), rewritten=True, how="history terms")


def as_date(
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
        raise InvalidQuestion(
            f"{name} must be a date like 2026-03-31 (or 2026-03, March 2026), got {value!r}"
        )
    return period[1] if end else period[0]


# A relative period is searched with this much grace before it: RealTime QA's "this week" questions are
# about articles published 0-6 days before the quiz date, and a report of a few days earlier is still the
# news the question means (realtimeqa-dev, eval/RESULTS.md).
RELATIVE_GRACE_DAYS = 3


def time_scope(
    question: str,
    settings: Settings,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    today: date | str | None = None,
) -> tuple[TimeScope, date]:
    """The question's time words resolved against `today` (default: RAG_TODAY or the date), narrowed by
    explicit `since` / `until`; and the `today` used."""
    reference = as_date(today, "today") or settings.reference_date()
    scope = read_time(question, reference)
    if scope.relative and scope.since:
        # A relative period is a rolling window of at least a week that ends today, with a grace before it:
        # "this week" asked on a Thursday still means Sunday's report.
        start = min(scope.since, reference - timedelta(days=7))
        scope = replace(scope, since=start - timedelta(days=RELATIVE_GRACE_DAYS), until=reference)
    since_day = as_date(since, "since", reference)
    until_day = as_date(until, "until", reference, end=True)
    if since_day is None and until_day is None:
        return scope, reference
    if since_day and until_day and since_day > until_day:
        raise InvalidQuestion(f"since ({since_day}) is after until ({until_day})")
    new_since = max(d for d in (scope.since, since_day) if d) if scope.since or since_day else None
    new_until = min(d for d in (scope.until, until_day) if d) if scope.until or until_day else None
    return replace(scope, since=new_since, until=new_until), reference


def parse_question(
    question: object,
    settings: Settings,
    generator: Generator | None,
    *,
    history: Sequence[tuple[str, str]] | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    sources: Sequence[str] | None = None,
    today: date | str | None = None,
) -> Question:
    """Validate, rewrite a follow-up, and read the time words. Raises InvalidQuestion for an empty or
    over-long question or a malformed date; GeneratorUnavailable when a follow-up needs a backend that is
    down."""
    text = validate_question(question, settings)
    wanted = tuple(s.strip() for s in sources or [] if s and s.strip())
    query = standalone_query(text, history, generator)
    scope, reference = time_scope(query.text, settings, since=since, until=until, today=today)
    return Question(
        text=text,
        query=query,
        scope=scope,
        today=reference,
        sources=wanted,
        explicit_dates=bool(since or until),
        history=tuple(history or ()),
        intent=read_intent(query.text),
        as_of=bool(today or settings.today),
    )
