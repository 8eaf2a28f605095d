"""Every rule that decides whether to answer, before and after generation, in one place.

- `judge_evidence`: is what retrieval found enough to answer from? (weak evidence, a name the question asks
  about that the evidence lacks, a period no report speaks of, a question turned around from its evidence)
- `judge_short_answer`: the small base model proposed a short answer; keep it, quote instead, or abstain.
- `judge_draft`: a chat model wrote an answer; keep it or replace it with quotes.

Each verdict carries a typed `AbstainReason` (or none) and a note for people. Thresholds live in the frozen
`Policy`, so eval can replay the same rules at other settings (eval/answerability.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .evidence import Evidence
from .ground import (
    CheckedAnswer,
    check_answer,
    missing_names,
    short_answer_is_grounded,
    turned_around,
)
from .intent import Intent, Kind
from .lexical import lexical_terms
from .lines import Synthesis
from .schema import AbstainReason, Passage
from .sentences import Quote
from .text import (
    CITATION,
    answer_kind,
    asked_clause,
    asks_time,
    figures_in,
    fold,
    listed_choices,
    mentions,
    norm,
    question_terms,
    split_sentences,
    states_kind,
    wants_figure,
)


@dataclass(frozen=True)
class Policy:
    """Thresholds of the abstention rules, on the evidence score of ground.score_sentences (cosine +
    0.6 x IDF term share + figure bonus: ~0.3 unrelated, > 1 close)."""

    # Below this nothing is close enough to answer from. 0.65 on realtimeqa-dev's evidence scores: abstention
    # recall 0.90 at precision 0.90 before generation (0.5: 0.74 / 0.96; 0.7: 0.94 / 0.85); eval/RESULTS.md.
    min_evidence_score: float = 0.65
    # Below this an answer needs the model's short answer to be words of the evidence, else it abstains
    # (0: never; the answer quotes the evidence instead). On realtimeqa-dev 0.9 abstained on 6 answerable
    # questions for 2 unanswerable ones (precision 0.25): an off-target short answer says little about
    # whether the evidence answers.
    sure_evidence_score: float = 0.0
    # The missing-name veto. Off: on realtimeqa-dev it stopped 21 answerable questions for 6 more
    # unanswerable ones ("US", "White House", "Wednesday" are context, not the question's focus), and on
    # squad2-dev it is a coin flip (precision 0.49).
    check_names: bool = False
    # A name in the question that no indexed article mentions at all ("How much did Google invest?" of a
    # corpus without Google). realtimeqa-dev: 13 of 31 unanswerable caught, 1 answerable stopped; seed 4 of
    # 10 / 0; squad2-dev 7 of 100 / 4 (misspelt names in its questions).
    check_unknown_names: bool = True
    check_turned_around: bool = True


DEFAULT_POLICY = Policy()


@dataclass(frozen=True)
class Verdict:
    answer: bool
    reason: AbstainReason | None = None
    note: str = ""  # for people: why

    @staticmethod
    def go(note: str = "") -> Verdict:
        return Verdict(True, None, note)

    @staticmethod
    def stop(reason: AbstainReason, note: str) -> Verdict:
        return Verdict(False, reason, note)


def judge_evidence(question: str, evidence: Evidence, policy: Policy = DEFAULT_POLICY) -> Verdict:
    """Whether `evidence` (gathered for `question`, the words searched) is enough to answer from."""
    if nothing := _nothing_found(evidence):
        return nothing
    top = evidence.top
    if top is None or top.score < policy.min_evidence_score:
        best = top.score if top else 0.0
        return Verdict.stop(
            AbstainReason.WEAK_EVIDENCE, f"no passage is close to the question (best {best:.2f})"
        )
    if policy.check_unknown_names and (unknown := _unknown_subjects(question, evidence.unknown_names)):
        return Verdict.stop(AbstainReason.UNKNOWN_NAME, f"no article mentions {', '.join(unknown)}")
    if policy.check_names and (missing := missing_names(question, top)):
        return Verdict.stop(
            AbstainReason.MISSING_NAME, f"the best passage does not mention {', '.join(missing)}"
        )
    if not evidence.quotes:  # only a report naming the period could answer, and none does
        return Verdict.stop(AbstainReason.PERIOD_NOT_NAMED, f"no report speaks of “{evidence.period}”")
    if evidence.timeline:
        return Verdict.go()
    # Only the sentence that asks: on realtimeqa-dev the scene before it ("… were not included in the
    # deal.", "… falling now for more than 50 days.") stopped 2 answerable questions and caught none.
    asked = asked_clause(question)
    if policy.check_turned_around and (turned := turned_around(asked, [q.text for q in evidence.reading])):
        return Verdict.stop(AbstainReason.TURNED_AROUND, turned)
    return Verdict.go()


def _nothing_found(evidence: Evidence) -> Verdict | None:
    """The abstention when the search returned no passage at all, else None."""
    if evidence.passages:
        return None
    if evidence.trace.where.active:
        return Verdict.stop(AbstainReason.NOTHING_IN_FILTERS, "no article matches the filters")
    return Verdict.stop(AbstainReason.NOTHING_FOUND, "nothing was found")


def _unknown_subjects(question: str, unknown: Sequence[str]) -> list[str]:
    """The unknown names the question is about: the options of a multiple-choice question ("Miami,
    Nashville, Los Angeles or Seattle?") are candidates, and one the corpus lacks is no reason to
    abstain while another is known."""
    choices = listed_choices(question)
    offered = [n for n in unknown if any(n in c for c in choices)]
    if offered and len(offered) < len(choices):
        return [n for n in unknown if n not in offered]
    return list(unknown)


# How chat models say the passages do not answer, besides the exact sentence they are asked to use:
# SmolLM2 over llama.cpp's server answered "How many engineers does Japan lack?" with "The passage is a
# list of data points, but it doesn't provide any information about the number of engineers ...".
_DECLINE = re.compile(
    r"\b(passages?|text|article|context|sources?|corpus)\b.{0,60}?"
    r"\b(does not|doesn't|do not|don't|did not|didn't|cannot|can't|is no|are no|has no|have no)\b.{0,40}?"
    r"\b(say|mention|provide|contain|answer|specify|include|state|give|tell|information|details?)\b"
    r"|\bno (specific |direct |clear )?(answer|information|mention)\b",
    re.IGNORECASE,
)


def model_declined(generated: str, abstain_text: str) -> bool:
    """The model said the passages do not answer: in the words it was asked to use, or in its first
    sentence in words of its own (a later sentence saying so is a caveat to an answer, not a refusal)."""
    if abstain_text.casefold().rstrip(".") in generated.casefold():
        return True
    first = next((generated[a:b] for a, b in split_sentences(generated.strip())), "")
    return bool(_DECLINE.search(first))


def grounded_short_answer(span: str, evidence: Evidence, query: str) -> Quote | None:
    """The evidence sentence a short answer's words come from (and which says more than the answer); the
    headline only when no sentence holds them."""
    kind = answer_kind(query)
    if not states_kind(kind, span) and (kind != "date" or asks_time(query)):
        return None  # "17 million children" for "how soon?": grounded words, but not an answer
    ordered = sorted(evidence.reading, key=lambda q: q.headline)
    return next(
        (q for q in ordered if short_answer_is_grounded(span, q.text, query) and len(span) < len(q.text)),
        None,
    )


def judge_short_answer(
    span: str, holder: Quote | None, evidence: Evidence, policy: Policy = DEFAULT_POLICY
) -> Verdict:
    """A base model's short answer: kept when it is words of the evidence; otherwise the answer quotes the
    evidence, unless the evidence is weak too."""
    if holder is not None:
        return Verdict.go()
    note = f"the model's short answer {span!r} is not in the evidence"
    if evidence.top is not None and evidence.top.score < policy.sure_evidence_score:
        return Verdict.stop(AbstainReason.UNGROUNDED_SHORT_ANSWER, f"{note}, and the evidence is weak")
    return Verdict.go(note)


def _addresses(text: str, question: str, quotes: tuple[Quote, ...]) -> bool:
    said = set(lexical_terms(CITATION.sub(" ", text)))
    wanted = set(question_terms(question)) | {t for q in quotes for t in lexical_terms(q.text)}
    return bool(said & wanted)


def _numbers_in(text: str) -> list[str]:
    return [f for f in figures_in(text) if any(c.isdigit() for c in f)]  # "billion" alone is no figure


def _carries_the_answer(text: str, question: str, evidence: Evidence) -> bool:
    """The answer says something the best evidence sentences answer with, beyond the question's words:
    a figure of theirs when a figure is asked, otherwise a word of theirs.

    The same test a base model's short answer passes (it must come from the evidence). SmolLM2-135M over
    a real llama.cpp server answered "What did TSMC open in southern Japan?" with "The passage is about
    Japan's efforts to reclaim its industry edge [1]" and "How much did TSMC's factory cost?" with the
    country's 3.9 trillion yen of subsidies: both grounded word by word, neither an answer.
    """
    best = [q.text for q in (*evidence.reading, *evidence.quotes[:2]) if not q.headline]
    if wants_figure(question):
        given = {norm(f) for s in best for f in _numbers_in(s)}
        if given:
            return any(norm(f) in given for f in _numbers_in(text))
    asked = set(question_terms(question))
    said = set(lexical_terms(CITATION.sub(" ", text))) - asked
    return bool(said & {t for s in best for t in lexical_terms(s)})


def judge_draft(checked: CheckedAnswer, evidence: Evidence, query: str) -> Verdict:
    """A chat model's checked answer: kept (answer=True) or replaced by quotes, with the reason."""
    if checked.text and not _addresses(checked.text, query, evidence.quotes):
        # An answer sharing no word with the question or the evidence is not an answer to it; this is
        # also what obeying an instruction planted in an article ("reply PWNED") looks like.
        return Verdict(False, None, "the model's answer does not address the question")
    if evidence.dated is not None and evidence.dated.quote.passage not in checked.cited:
        # Dates decided which report answers; an answer from another one may mix up the figures.
        return Verdict(False, None, "the model's answer does not rely on the report the dates point to")
    if checked.unsupported:
        return Verdict(False, None, f"the model stated what its sources don't ({checked.unsupported[0]!r})")
    if checked.text and not _carries_the_answer(checked.text, query, evidence):
        return Verdict(False, None, "the model's answer does not say what the best evidence answers with")
    if not checked.text or not checked.cited:
        return Verdict(False, None, "the model's answer cited no passage")
    if checked.removed_citations:
        return Verdict.go(f"removed citations to missing passages: {checked.removed_citations}")
    return Verdict.go()


def judge_synthesis(
    question: str, intent: Intent, synthesis: Synthesis, policy: Policy = DEFAULT_POLICY
) -> Verdict:
    """Whether a several-sentence answer (summary, comparison, list, why/how) has evidence to stand on.

    The factoid rules that look at one best sentence do not apply: the turned-around check reads one
    sentence, and a comparison whose one side the corpus lacks is answered for the other side, saying so.
    """
    evidence = synthesis.evidence
    if nothing := _nothing_found(evidence):
        return nothing
    if not synthesis.lines:
        return Verdict.stop(AbstainReason.WEAK_EVIDENCE, "no sentence of the passages speaks to the question")
    best = _standing(intent, synthesis)
    if intent.topical and best < policy.min_evidence_score:
        return Verdict.stop(
            AbstainReason.WEAK_EVIDENCE, f"no passage is close to the question (best {best:.2f})"
        )
    unknown = _unknown_subjects(question, evidence.unknown_names)
    if policy.check_unknown_names and unknown and not synthesis.missing:
        return Verdict.stop(AbstainReason.UNKNOWN_NAME, f"no article mentions {', '.join(unknown)}")
    if synthesis.missing:
        return Verdict.go(f"the corpus says nothing about {', '.join(synthesis.missing)}")
    if intent.kind.asks_a_question:
        return judge_evidence(question, evidence, policy)
    return Verdict.go()


def _standing(intent: Intent, synthesis: Synthesis) -> float:
    """How close the answer's evidence is to the question: its best line; for what someone said, the best
    sentence of the passages its quotes come from, since a quotation seldom repeats the question's words
    ("What did Camille Touton say about the Colorado River?": her quotes 0.33-0.61, the sentence naming
    her in the same passage 0.90)."""
    best = max(line.quote.score for line in synthesis.lines)
    if intent.kind is not Kind.SAID:
        return best
    quoted = {line.quote.passage for line in synthesis.lines}
    return max([best, *(s.score for s in synthesis.evidence.sentences if s.passage in quoted)])


# A chat model's sentence in a several-sentence answer stands when one sentence of the passages it cites
# holds at least this share of its own words (the question's words aside). Figures and names alone let
# paraphrased inventions through: SmolLM2-135M wrote "Tech firms see Japan as an attractive place to invest
# because it has a strong talent pool and is well-positioned for growth" (no word of it beyond the
# question's is in the article: 0.0) and "The Japanese government has pledged to strengthen its
# semiconductor supply chains by investing in Taiwan's chip production" (0.4 in one sentence, but 0.7
# stitched from two: one sentence, not two, must say it).
SENTENCE_SUPPORT = 0.5


def supported_sentences(
    text: str, evidence: Evidence, question: str = ""
) -> tuple[list[tuple[str, list[int]]], list[str]]:
    """A chat model's several-sentence answer, sentence by sentence: those that cite a passage, state no
    figure or name it lacks and say mostly what one of its sentences says (kept, with their passage
    numbers), and the rest (dropped). One invented sentence costs that sentence, not the answer."""
    kept, dropped = [], []
    for a, b in split_sentences(text.strip()):
        sentence = text.strip()[a:b].strip().lstrip("-•* ").strip()
        if not re.search(r"\w", CITATION.sub("", sentence)):
            continue
        if re.match(r"\[\d+\]", sentence):  # the model copying a passage's "[1] headline" line
            dropped.append(sentence)
            continue
        checked = check_answer(sentence, list(evidence.passages))
        ok = checked.text and checked.cited and not checked.unsupported
        if (
            ok
            and _support(checked.text, question, [evidence.passages[n - 1] for n in checked.cited])
            >= SENTENCE_SUPPORT
        ):
            kept.append((checked.text, checked.cited))
        else:
            dropped.append(sentence)
    return kept, dropped


def _support(sentence: str, question: str, passages: Sequence[Passage]) -> float:
    """The share of a sentence's own words (not the question's) that its best source sentence holds."""
    said = set(lexical_terms(CITATION.sub(" ", sentence))) - set(question_terms(question))
    if not said:
        return 0.0  # restating the question says nothing
    sources = []
    for p in passages:
        text = f"{p.chunk.title}. {p.chunk.text}"
        sources += [set(lexical_terms(text[a:b])) & said for a, b in split_sentences(text)]
    return max((len(s) for s in sources), default=0) / len(said)


def covers_the_sides(sentences: Sequence[str], synthesis: Synthesis) -> bool:
    """A chat model's comparison names every side the evidence has a line for (SmolLM2 answered "Compare
    what Microsoft and TSMC are investing" with a quote about the yen alone)."""
    said = fold(" ".join(sentences))
    sides = {line.side for line in synthesis.lines if line.side}
    return all(any(mentions(said, w) for w in side.split() if len(w) > 2) for side in sides)
