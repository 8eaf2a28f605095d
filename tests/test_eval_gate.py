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
    assert m["abstention_recall"] >= 0.80, m
    assert m["unsupported_figure_rate"] == 0, m
