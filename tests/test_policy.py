"""The abstention policy on hand-made evidence: milliseconds, no model (the real-model tests stay in
test_pipeline.py and test_news.py)."""

from dataclasses import replace

from rag import AbstainReason, Policy
from rag.evidence import Evidence, Trace
from rag.ground import CheckedAnswer, check_answer
from rag.policy import judge_draft, judge_evidence, judge_short_answer, model_declined
from rag.schema import NO_FILTER, Chunk, Filter, Passage
from rag.sentences import Quote


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


def _checked(text: str) -> CheckedAnswer:
    return check_answer(
        text, [Passage(Chunk("a:0", "a", "Japan's chip push", SENTENCE, 0, 99, 0, "2022-06-12"), 0.03)]
    )


SENTENCE = (
    "TSMC opened a new US$8.6 billion chip factory in southern Japan, beside 3.9 trillion yen of subsidies."
)


def test_a_chat_answer_with_the_evidence_figure_is_kept():
    e = _evidence(SENTENCE, 1.2)
    assert judge_draft(
        _checked("TSMC's factory cost US$8.6 billion [1]."), e, "How much did TSMC's factory cost?"
    ).answer


def test_a_chat_answer_with_another_figure_of_the_passage_is_replaced():
    # Every figure is in the passage, but not the one its best sentence answers with.
    best = "TSMC opened a new US$8.6 billion chip factory in southern Japan."
    e = _evidence(best, 1.2)
    checked = _checked("TSMC's factory came with 3.9 trillion yen [1].")
    assert not checked.unsupported
    verdict = judge_draft(checked, e, "How much did TSMC's factory cost?")
    assert not verdict.answer and "best evidence" in verdict.note


def test_a_chat_answer_about_the_passage_instead_of_the_question_is_replaced():
    e = _evidence("TSMC opened a new US$8.6 billion chip factory in southern Japan.", 1.2)
    checked = check_answer(
        "The passage is about Japan's efforts to reclaim its industry edge [1].",
        [
            Passage(
                Chunk("a:0", "a", "Japan seeks to reclaim its industry edge", SENTENCE, 0, 99, 0, ""), 0.03
            )
        ],
    )
    assert not judge_draft(checked, e, "What did TSMC open in southern Japan?").answer


def test_a_decline_in_the_models_own_words_counts_as_declining():
    said = "The passage doesn't provide any information about the number of engineers. It mentions chips."
    assert model_declined(said, "The corpus doesn't say.")
    assert model_declined("There is no mention of a cost in the passages.", "The corpus doesn't say.")
    # A caveat after an answer is not a refusal.
    assert not model_declined("TSMC's factory cost US$8.6 billion [1]. The passages do not say when.", "x")


def test_a_negation_in_the_scene_before_the_question_is_not_a_turned_around_question():
    e = _evidence("The deal leaves out a ban on assault weapons, which Democrats had sought.", 1.2)
    scene = "A bipartisan group announced a gun deal this week, but a few major reforms were not included."
    assert judge_evidence(f"{scene} Which measure did lawmakers leave out?", e).answer
    # The same negation in the sentence that asks still counts.
    verdict = judge_evidence("Which measure was not left out of the gun deal?", e)
    assert verdict.reason is AbstainReason.TURNED_AROUND


def test_an_option_of_a_multiple_choice_question_the_corpus_lacks_is_no_reason_to_abstain():
    e = _evidence("Rents in Miami rose 40% compared with a year ago, the most of any city.", 1.2)
    e = replace(e, unknown_names=("Nashville",))
    question = "Which city saw the biggest rent increase: Miami, Nashville, Los Angeles or Seattle?"
    assert judge_evidence(question, e).answer
    # A subject the corpus lacks still stops the answer.
    e = replace(e, unknown_names=("Google",))
    verdict = judge_evidence("How much did Google invest in Miami, Los Angeles or Seattle?", e)
    assert verdict.reason is AbstainReason.UNKNOWN_NAME
