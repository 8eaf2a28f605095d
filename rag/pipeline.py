"""`answer()` / `stream_answer()`: question -> evidence -> decision -> answer, one stage per module.

1. rag/question.py  validate, rewrite a follow-up, read the time words    -> Question
2. rag/evidence.py  retrieve, score sentences, pick the dated report       -> Evidence
3. rag/policy.py    answer or abstain, with a typed reason                 -> Verdict
4. rag/generate.py  the backend writes (or proposes a short answer)        -> text
5. rag/policy.py    check the draft against the evidence                   -> Verdict
6. rag/compose.py   number the citations                                   -> Answer
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from . import compose, dated, policy
from .components import Components, components
from .errors import IndexEmpty
from .evidence import Evidence, gather
from .generate import ABSTAIN_TEXT, Generator, GeneratorKind, Prompt, Restart, make_generator
from .ground import check_answer, quote_answer
from .intent import Kind
from .lines import Synthesis
from .question import Question, parse_question
from .schema import AbstainReason, Answer, Passage
from .sentences import Quote
from .settings import Settings
from .synthesis import Narrowing, gather_synthesis, of_newest_report
from .text import split_sentences
from .timeframe import RECENT_DAYS, TimeScope, day_number

log = logging.getLogger(__name__)


@dataclass
class _Run:
    """The clock, the notes and the backend of one answer."""

    generator: Generator | None
    started: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    mark: float = 0.0
    generated: str = ""  # what the answering backend wrote (a failed backend's text is dropped)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = (now - (self.mark or self.started)) * 1000
        self.mark = now

    def record(self) -> dict[str, Any]:
        """What every Answer of this run carries: stage times, notes, the model and its raw text."""
        self.lap("generate_ms")
        self.timings["total_ms"] = (time.perf_counter() - self.started) * 1000
        model = self.generator.label if self.generator else ""
        return {"timings": dict(self.timings), "notes": self.notes, "model": model,
                "model_text": self.generated}  # fmt: skip


def find_evidence(
    question: Question, parts: Components, k: int, run: _Run
) -> tuple[Evidence, TimeScope, policy.Verdict]:
    """Evidence from the question's period, or, when that holds nothing that answers, from outside it:
    the closest report for a relative period ("this week"), a report that names a calendar period itself
    ("the population in 1901")."""
    scope = question.scope
    evidence = gather(scope.query, parts, k, scope, question.search_filter())
    verdict = policy.judge_evidence(scope.query, evidence)
    if verdict.answer or not scope.scoped or question.explicit_dates:
        return evidence, scope, verdict
    if question.soft_period:
        wider = gather(scope.query, parts, k, replace(scope, since=None), question.wide_filter())
        wide_verdict = policy.judge_evidence(scope.query, wider)
        if wide_verdict.answer:
            run.notes.append(f"nothing published {scope.describe()} answers this; the closest report does")
            return wider, replace(scope, since=None, until=None), wide_verdict
    elif scope.named:
        # A report that speaks of the period explicitly may answer ("What was Warsaw's population in 1901?"
        # is about 1901, not about articles from 1901). The search keeps the period's words: they are
        # what such a report has in common with the question.
        wider = gather(question.query.text, parts, k, scope, question.wide_filter(), speaking_of_period=True)
        wide_verdict = policy.judge_evidence(question.query.text, wider)
        if wide_verdict.answer:
            run.notes.append(
                f"no article published {scope.describe()} answers this; "
                f"this one speaks of “{scope.phrase}” itself"
            )
            return wider, replace(scope, since=None, until=None), wide_verdict
    return evidence, scope, verdict


def _short_answer(question: Question, generated: str, evidence: Evidence, run: _Run) -> compose.Draft | None:
    """A base model's short answer, shown with the sentence it came from; None when it is not usable
    (the answer then quotes the evidence), raises _Abstain when the policy says so."""
    # The first sentence is the answer; a base model that goes on is rambling past it.
    text = generated.strip()
    first = next((text[a:b] for a, b in split_sentences(text)), text)
    span = first.strip().strip(".").strip()
    holder = policy.grounded_short_answer(span, evidence, question.query.text)
    verdict = policy.judge_short_answer(span, holder, evidence)
    if not verdict.answer:
        raise _Abstain(verdict)
    if holder is None:
        run.notes.append(verdict.note)
        return None
    shown = [holder]
    if holder.headline:  # the headline names it; the sentence says what happened
        shown += [q for q in evidence.reading if not q.headline][:1]
    # An "answer" as long as half its sentence is that sentence retold: quoting it alone says it once.
    retold = not holder.headline and 2 * len(span.split()) >= len(holder.text.split())
    text = quote_answer(shown) if retold else f"{span} — {quote_answer(shown)}"
    return compose.Draft(text, (holder.passage,), "", tuple(shown))


def _chat_answer(question: Question, generated: str, evidence: Evidence, run: _Run) -> compose.Draft | None:
    checked = check_answer(generated, list(evidence.passages))
    verdict = policy.judge_draft(checked, evidence, question.query.text)
    if verdict.note:
        run.notes.append(verdict.note)
    if not verdict.answer:
        return None
    return compose.Draft(checked.text, tuple(checked.cited), "")


class _Abstain(Exception):
    def __init__(self, verdict: policy.Verdict) -> None:
        self.verdict = verdict


def _generate(
    question: Question, evidence: Evidence, settings: Settings, run: _Run, guidance: str = ""
) -> Iterator[str]:
    """Stream the backend's text for `evidence` into `run.generated`."""
    assert run.generator is not None
    reading = evidence.reading or evidence.quotes[:1]
    prompt = Prompt(
        question.asked,
        list(evidence.passages),
        list(question.history),
        evidence=[q.text for q in reading],
        guidance=guidance or _guidance(evidence),
    )
    for piece in run.generator.stream(prompt, settings.max_answer_tokens):
        if isinstance(piece, Restart):  # another backend starts over: what the failed one wrote is void
            run.notes.append(piece.reason)
            run.generated = ""
        else:
            run.generated += piece
        yield piece


def _guidance(evidence: Evidence) -> str:
    """What a chat model is told when dates decide the answer."""
    if evidence.dated is None:
        return ""
    n = evidence.dated.quote.passage
    if evidence.dated.order == "first":
        return f"Answer from the earliest report, passage [{n}], and say its date."
    return f"Answer from the newest report, passage [{n}], and say its date; older passages may be outdated."


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
    Raises InvalidQuestion (a ValueError) for an empty or over-long question or a malformed date, IndexEmpty
    before anything is indexed, GeneratorUnavailable when the backend is down and no fallback is set. See
    `answer` for the time and source filters.
    """
    settings = settings or Settings.from_env()
    run = _Run(make_generator(settings))
    parts = components(settings)
    q = parse_question(question, settings, run.generator, history=history, since=since, until=until,
                       sources=sources, today=today)  # fmt: skip
    if parts.index.count() == 0:
        raise IndexEmpty(
            f"nothing is indexed yet in {settings.index_dir}: run `rag ingest` (or `make run`) to index "
            f"the articles in {settings.corpus_dir}"
        )
    if q.query.rewritten:  # Answer.search_query says what was searched for
        run.lap("rewrite_ms")
    yield from _answer(q, parts, k or settings.top_k, settings, run)


def _answer(q: Question, parts: Components, k: int, settings: Settings, run: _Run) -> Iterator[str | Answer]:
    scope = q.scope
    if scope.since and scope.until and scope.since > scope.until:
        run.lap("retrieve_ms")
        run.notes.append("the date range is empty")
        yield compose.abstain_text(scope, q.sources)
        yield compose.abstained(q, AbstainReason.EMPTY_RANGE, None, scope, **run.record())
        return
    if q.intent.kind.several_sentences and scope.order in ("", "latest"):
        yield from _synthesize(q, parts, settings, run)
        return
    noted = len(run.notes)
    evidence, scope, verdict = find_evidence(q, parts, k, run)
    if q.intent.kind.several_sentences and scope.order == "timeline" and not evidence.timeline:
        # One report tells the whole story ("Give me a timeline of the Bennifer relationship" quoted its
        # lede alone): its own sentences, in the order it tells them; the timeline search's notes go.
        del run.notes[noted:]
        yield from _synthesize(q, parts, settings, run)
        return
    if scope.scoped:
        run.notes.append(f"only articles published {scope.describe()}")
    run.lap("retrieve_ms")
    if not verdict.answer:
        assert verdict.reason is not None
        run.notes.append(verdict.note)
        yield compose.abstain_text(scope, q.sources)
        yield compose.abstained(q, verdict.reason, evidence, scope, **run.record())
        return
    if evidence.timeline:
        draft = compose.timeline(evidence)
        yield draft.text
        yield compose.answered(q, draft, evidence, scope, **run.record())
        return
    if run.generator is not None:
        yield from _generate(q, evidence, settings, run)
    try:
        draft = _read_draft(q, run.generated, evidence, run)
    except _Abstain as stop:
        assert stop.verdict.reason is not None
        run.notes.append(stop.verdict.note)
        yield compose.abstained(q, stop.verdict.reason, evidence, scope, **run.record())
        return
    draft = compose.with_dates(draft, evidence)
    if q.soft_period and not scope.scoped:
        draft = compose.closest_report(draft, evidence)
    yield compose.answered(q, draft, evidence, scope, **run.record())


def find_synthesis(
    q: Question, parts: Components, settings: Settings, run: _Run
) -> tuple[Synthesis, TimeScope, policy.Verdict]:
    """The sentences of a several-sentence answer from the question's period; for a relative period
    ("this week") that holds nothing on it, from the closest reports; for a calendar period ("in 2003")
    that holds nothing, from sentences of any date that name it, as find_evidence does for factoids."""
    scope, limit = q.scope, settings.max_answer_sentences
    if q.intent.sides and scope.scoped and not q.explicit_dates and _compares_periods(q):
        # "Compare inflation in May and June": the months are what is compared, not where to look.
        scope = replace(scope, since=None, until=None, query=q.query.text)
    newest = of_newest_report if scope.order == "latest" else None
    where = replace(q, scope=scope).search_filter()
    synthesis = gather_synthesis(scope.query, q.intent, parts, where, limit, newest)
    verdict = policy.judge_synthesis(scope.query, q.intent, synthesis)
    if not verdict.answer and scope.named and not q.soft_period and not q.explicit_dates:
        # "Why did Lopez and Affleck postpone their wedding in 2003?" is about 2003, not articles from it.
        naming = _naming(scope, whole_reports=q.intent.kind is Kind.SAID)
        wider = gather_synthesis(q.query.text, q.intent, parts, q.wide_filter(), limit, naming)
        wide_verdict = policy.judge_synthesis(q.query.text, q.intent, wider)
        if wide_verdict.answer:
            run.notes.append(f"nothing published {scope.describe()} answers; these name “{scope.phrase}”")
            return wider, replace(scope, since=None, until=None), wide_verdict
    if not verdict.answer and q.soft_period and scope.scoped:
        wider = gather_synthesis(scope.query, q.intent, parts, q.wide_filter(), limit)
        wider = _closest_reports(q, parts, limit, wider)
        wide_verdict = policy.judge_synthesis(scope.query, q.intent, wider)
        if wide_verdict.answer:
            run.notes.append(f"nothing published {scope.describe()} answers this; the closest reports do")
            return wider, replace(scope, since=None, until=None), wide_verdict
    return synthesis, scope, verdict


def _naming(scope: TimeScope, whole_reports: bool = False) -> Narrowing:
    """The sentences that name the scope's period themselves (with the one before, which may name it), or,
    with `whole_reports`, every sentence of a report that names it: what someone said is in quotes that
    seldom repeat the date ("What did Adele say when she postponed her shows in January?" is answered by a
    July report that speaks of "back in January" three paragraphs before her words). Only for what someone
    said: "Why was there a ban in 2019?" must not quote the same report's 2026 news."""

    def narrow(sentences: Sequence[Quote], passages: Sequence[Passage], query: str) -> list[Quote]:
        naming = [s for s in sentences if dated.names_the_period(s, passages, scope)]
        if not whole_reports:
            return naming
        reports = {passages[s.passage - 1].chunk.article_id for s in naming}
        return [s for s in sentences if passages[s.passage - 1].chunk.article_id in reports]

    return narrow


def _closest_reports(q: Question, parts: Components, limit: int, wider: Synthesis) -> Synthesis:
    """For a relative period with nothing on the story, the reports of the month up to the newest one
    found, not the story's whole history: "What did Orvane Robotics announce last week?" is answered by
    its plant opening of 10 March, not by a year of revenue reports before it."""
    passages = wider.evidence.passages
    days = [d for line in wider.lines if (d := passages[line.quote.passage - 1].chunk.published_at)]
    if not days:
        return wider
    since = date.fromisoformat(max(days)[:10]) - timedelta(days=RECENT_DAYS)
    near = replace(q.wide_filter(), since=day_number(since))
    closer = gather_synthesis(q.scope.query, q.intent, parts, near, limit)
    return closer if closer.lines else wider


def _compares_periods(q: Question) -> bool:
    phrase = q.scope.phrase.lower()
    return any(side.lower() in phrase or phrase in side.lower() for side in q.intent.sides)


def _synthesize(q: Question, parts: Components, settings: Settings, run: _Run) -> Iterator[str | Answer]:
    """A summary, comparison, list or why/how answer: sentences of the evidence, each cited; a chat model
    may write it instead, keeping only its sentences that the passages they cite support."""
    synthesis, scope, verdict = find_synthesis(q, parts, settings, run)
    evidence = synthesis.evidence
    run.lap("retrieve_ms")
    if verdict.note:
        run.notes.append(verdict.note)
    if not verdict.answer:
        assert verdict.reason is not None
        yield compose.abstain_text(scope, q.sources)
        yield compose.abstained(q, verdict.reason, evidence, scope, **run.record())
        return
    draft = compose.synthesized(synthesis, latest=scope.order == "latest")
    if run.generator is not None and run.generator.kind is GeneratorKind.CHAT:
        most = settings.max_answer_sentences
        guidance = (
            f"Answer in at most {most} sentences, each ending with the [n] of the passage it comes from."
        )
        yield from _generate(q, evidence, settings, run, guidance)
        draft = _chat_synthesis(run.generated, synthesis, run) or draft
    else:
        yield draft.text
    yield compose.answered(q, draft, evidence, scope, **run.record())


def _chat_synthesis(generated: str, synthesis: Synthesis, run: _Run) -> compose.Draft | None:
    """A chat model's several-sentence answer with its unsupported sentences dropped; None (the answer
    quotes the evidence) when none stands or the model declined."""
    if not generated.strip() or policy.model_declined(generated, ABSTAIN_TEXT):
        run.notes.append("the model gave no answer; answered by quoting the passages")
        return None
    evidence = synthesis.evidence
    kept, dropped = policy.supported_sentences(generated, evidence, evidence.trace.query)
    if dropped:
        run.notes.append(f"dropped {len(dropped)} sentence(s) the cited passages do not support")
    if not kept or not policy.covers_the_sides([text for text, _ in kept], synthesis):
        run.notes.append("answered by quoting the passages")
        return None
    cited = tuple(dict.fromkeys(n for _, numbers in kept for n in numbers))
    assert run.generator is not None
    return compose.Draft("\n".join(f"- {text}" for text, _ in kept), cited, run.generator.name)


def _read_draft(q: Question, generated: str, evidence: Evidence, run: _Run) -> compose.Draft:
    """What the backend wrote, judged by the policy; quotes of the evidence when it is not usable."""
    generator, draft = run.generator, None
    if generator is not None and generated.strip():
        if policy.model_declined(generated, ABSTAIN_TEXT):
            raise _Abstain(
                policy.Verdict.stop(AbstainReason.MODEL_DECLINED, "the model found no answer in the passages")
            )
        if generator.kind is GeneratorKind.CHAT:
            draft = _chat_answer(q, generated, evidence, run)
        else:
            draft = _short_answer(q, generated, evidence, run)
        if draft is not None:
            return replace(draft, backend=generator.name)
    if generator is not None and not run.notes:
        run.notes.append("the model gave no answer")
    run.notes.append("answered by quoting the passages")
    return compose.quoted(evidence, q.query.text)


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

    Time words in the question resolve against `today` (default: RAG_TODAY, else the date). A calendar
    period ("in April 2025") restricts the articles searched; a relative one ("this week", "recently") is
    a preference: when nothing from it answers, the closest report does and says its date. `since` /
    `until` (ISO dates, inclusive) and `sources` are strict filters. "Latest" questions are answered from
    the newest report, "first" questions from the oldest, "how has X changed" with the reports in date
    order. Raises InvalidQuestion (a ValueError) for an empty or over-long question or a malformed date,
    IndexEmpty before anything is indexed. When the corpus does not hold the answer, `a.abstained` is
    True, `a.abstain_reason` says why and `a.text` says so.
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
