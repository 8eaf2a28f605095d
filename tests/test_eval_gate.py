"""The CI gate on answer quality: the seed QA set with the embedded default must not regress."""

from pathlib import Path

import pytest

from eval.datasets import load_qa
from eval.harness import run

SEED_QA = Path(__file__).resolve().parent.parent / "eval" / "qa" / "seed.jsonl"


@pytest.mark.slow
def test_seed_eval_meets_the_quality_bar(seed_settings):
    items = load_qa(SEED_QA)
    assert sum(i["answerable"] for i in items) >= 24 and sum(not i["answerable"] for i in items) >= 6
    m = run(items, seed_settings)["metrics"]
    assert m["answer_accuracy"] >= 0.85, m
    # 0.90 before the policy was calibrated on real news (issue 14): the two rules that caught the rest
    # here (the missing-name veto, abstaining on an off-target short answer) cost more answerable real
    # news questions than they caught unanswerable ones. Measured now: 0.50 at precision 1.00.
    assert m["abstention_recall"] >= 0.50, m
    assert m["abstention_precision"] >= 0.80, m
    assert m["unsupported_figure_rate"] == 0, m


DATED_QA = Path(__file__).resolve().parent.parent / "eval" / "qa" / "dated" / "qa.jsonl"


@pytest.mark.slow
def test_dated_eval_meets_the_time_targets(dated_settings):
    """eval/qa/dated with the embedded default: scoped answers cite only their period, "latest" answers
    rely on the newest value, empty periods abstain, and nothing unsupported is stated."""
    items = load_qa(DATED_QA)
    assert len(items) >= 30 and all(i.get("today") for i in items)
    result = run(items, dated_settings.with_(llm="llamacpp"))
    m, by_type = result["metrics"], result["by_question_type"]
    assert m["scoped_citations_in_range"] == 1.0, m
    assert m["latest_newest_value"] >= 0.9, m
    assert by_type["empty_range"]["abstention_recall"] == 1.0, by_type["empty_range"]
    assert m["answer_accuracy"] >= 0.9, m
    assert m["unsupported_figure_rate"] == 0, m


REALTIMEQA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "realtimeqa-dev"


@pytest.mark.slow
@pytest.mark.skipif(not REALTIMEQA.is_dir(), reason="needs ../shared/datasets/realtimeqa-dev (CI has it)")
def test_real_news_quiz_meets_the_bar():
    """Real CNN articles and the weekly news-quiz questions about them (RealTime QA), written by nobody
    here; each question is asked on its own quiz date."""
    from eval.datasets import corpus_settings
    from rag import Settings

    settings = corpus_settings(REALTIMEQA / "corpus.jsonl", Settings.from_env(llm="llamacpp"))
    m = run(load_qa(REALTIMEQA / "qa.jsonl"), settings)["metrics"]
    assert m["answer_accuracy"] >= 0.78, m  # 0.802 measured; 0.453 before issue 14
    assert m["abstention_recall"] >= 0.85, m  # 0.935
    assert m["abstention_precision"] >= 0.80, m  # 0.935
    assert m["unsupported_figure_rate"] == 0, m


SYNTHESIS = Path(__file__).resolve().parent.parent / "eval" / "qa" / "synthesis"


@pytest.mark.slow
def test_summaries_and_comparisons_hold_their_key_facts(seed_settings, dated_settings):
    """eval/qa/synthesis (summaries, comparisons, why/how, what someone said, what happened) on the seed
    article and the dated set, both halves: no abstention where the facts are there, nothing unsupported,
    and most key facts in the answers (coverage 0.89 measured on these 20)."""
    rows = []
    for name, settings in (("seed.jsonl", seed_settings), ("dated.jsonl", dated_settings)):
        rows += run(load_qa(SYNTHESIS / name), settings.with_(llm="llamacpp"))["per_question"]
    assert len(rows) == 20 and all(r["key_fact_coverage"] is not None for r in rows)
    assert not any(r["abstained"] for r in rows), [r["question"] for r in rows if r["abstained"]]
    assert not any(r["unsupported_facts"] for r in rows)
    coverage = sum(r["key_fact_coverage"] for r in rows) / len(rows)
    assert coverage >= 0.80, coverage
