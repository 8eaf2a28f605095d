"""The abstention policy on hand-made evidence: milliseconds, no model (the real-model tests stay in
test_pipeline.py and test_news.py)."""

from rag import AbstainReason, Policy
from rag.evidence import Evidence, Trace
from rag.ground import Quote
from rag.index import NO_FILTER, Filter
from rag.policy import judge_evidence, judge_short_answer
from rag.schema import Chunk, Passage


def _evidence(sentence: str, score: float, *, title: str = "Japan's chip push", where=NO_FILTER) -> Evidence:
    chunk = Chunk("a:0", "a", title, sentence, 0, len(sentence), 0, "2022-06-12")
    passage = Passage(chunk, 0.03)
    quote = Quote(1, 0, len(sentence), sentence, score, title)
    return Evidence((passage,), (quote,), quote, (quote,), Trace("q", where, (passage,)), reading=(quote,))


def test_close_evidence_answers():
    e = _evidence("TSMC's plant in Kumamoto cost US$8.6 billion.", 1.2)
    assert judge_evidence("How much did TSMC's plant cost?", e).answer


def test_weak_evidence_abstains_with_its_typed_reason():
    e = _evidence("The weather was mild in Osaka.", 0.35)
    verdict = judge_evidence("How much did TSMC's plant cost?", e)
    assert not verdict.answer and verdict.reason is AbstainReason.WEAK_EVIDENCE
    assert "0.35" in verdict.note


def test_no_passage_under_filters_says_so():
    empty = Evidence((), (), None, (), Trace("q", Filter(since=20220101), ()))
    assert judge_evidence("What happened?", empty).reason is AbstainReason.NOTHING_IN_FILTERS


def test_turned_around_question_abstains():
    e = _evidence("The plant is the largest in the region.", 1.2)
    verdict = judge_evidence("Which plant is the smallest in the region?", e)
    assert verdict.reason is AbstainReason.TURNED_AROUND


def test_thresholds_are_settings_not_constants():
    e = _evidence("TSMC's plant in Kumamoto cost US$8.6 billion.", 0.8)
    assert judge_evidence("How much did TSMC's plant cost?", e).answer
    strict = Policy(min_evidence_score=0.9)
    assert judge_evidence("How much did TSMC's plant cost?", e, strict).reason is AbstainReason.WEAK_EVIDENCE


def test_an_ungrounded_short_answer_on_weak_evidence_abstains_and_on_strong_evidence_quotes():
    weak = _evidence("The plant was built quickly.", 0.7)
    cautious = Policy(sure_evidence_score=0.9)
    verdict = judge_short_answer("40 million euros", None, weak, cautious)
    assert verdict.reason is AbstainReason.UNGROUNDED_SHORT_ANSWER
    assert judge_short_answer("40 million euros", None, weak).answer  # the default quotes instead
    strong = _evidence("TSMC's plant in Kumamoto cost US$8.6 billion.", 1.3)
    verdict = judge_short_answer("40 million euros", None, strong)
    assert verdict.answer and "not in the evidence" in verdict.note
