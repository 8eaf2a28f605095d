"""The eval harness: MultiHop-RAG's retrieval metrics, its file layout, a corpus run end to end, --compare."""

import json

import pytest

from eval.answerability import SIGNALS, auc, best_recall
from eval.answerability import main as answerability_main
from eval.datasets import load_qa
from eval.harness import main
from eval.metrics import compare, polarity, ranking_scores, token_f1


def test_ranking_scores_follow_multihop_rag_definitions():
    gold = ["The fact one.", "Fact\ntwo here."]
    retrieved = ["noise", "x Thefact one. y", "noise", "noise", "Fact two here. and more"]
    s = ranking_scores(retrieved, gold)
    assert s["hits@4"] == 1.0 and s["hits@10"] == 1.0
    assert s["mrr@10"] == pytest.approx(1 / 2)
    assert s["map@10"] == pytest.approx((1 / 2 + 1 / 5) / 2)  # (found at rank) / rank, over min(#gold, 10)
    assert ranking_scores(["a", "b"], ["zzz"]) == {
        "hits@4": 0.0,
        "hits@10": 0.0,
        "mrr@10": 0.0,
        "map@10": 0.0,
    }
    assert ranking_scores(["n"] * 4 + ["gold"], ["gold"])["hits@4"] == 0.0


def test_answer_scores():
    # SQuAD normalization drops "the" and punctuation: 5 predicted tokens, 2 gold, both found
    assert token_f1("The new plant cost 8.6 billion", "8.6 billion") == pytest.approx(2 * 0.4 * 1 / (0.4 + 1))
    assert polarity("Yes, it did.") == "yes" and polarity("The plant opened") is None


def test_multihop_rag_layout_is_read(tmp_path):
    path = tmp_path / "MultiHopRAG.json"
    path.write_text(
        json.dumps(
            [
                {
                    "query": "Did A say X?",
                    "answer": "Yes",
                    "question_type": "comparison_query",
                    "evidence_list": [{"title": "T", "fact": "A said X.", "source": "S", "published_at": "2023"}],
                },
                {"query": "What about Z?", "answer": "Insufficient information.", "question_type": "null_query",
                 "evidence_list": []},
            ]
        )
    )  # fmt: skip
    items = load_qa(path)
    assert items[0]["answers"] == ["Yes"] and items[0]["evidence"][0]["fact"] == "A said X."
    assert items[1]["answerable"] is False and items[1]["answers"] == []


def test_compare_flags_regressions():
    lines, regressions = compare(
        {"answer_accuracy": 0.70, "hits@4": 0.96}, {"answer_accuracy": 0.80, "hits@4": 0.95}
    )
    assert len(lines) == 2 and len(regressions) == 1 and "answer_accuracy" in regressions[0]


CORPUS = [
    {"id": "a", "title": "Ferry line to Holm island opens", "source": "Coast Daily", "published_at": "2026-04-02",
     "url": "https://example.com/a", "body": "The ferry line to Holm island opened on Tuesday. Each crossing takes "
     "35 minutes. The operator, Baltic Link, bought two electric ferries for the route."},
    {"id": "b", "title": "Library reopens after flood", "source": "City News", "published_at": "2026-05-10",
     "url": "https://example.com/b", "body": "The central library reopened after the spring flood. Repairs cost "
     "2.4 million crowns. The children's section moved to the second floor."},
]  # fmt: skip


def _corpus_and_questions(tmp_path, questions: list[dict]) -> tuple[str, str]:
    """CORPUS and `questions` written as the eval's .jsonl files; their paths."""
    corpus, qa = tmp_path / "corpus.jsonl", tmp_path / "qa.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in CORPUS))
    qa.write_text("\n".join(json.dumps(q) for q in questions))
    return str(corpus), str(qa)


def test_rag_eval_with_a_corpus_writes_results_report_and_plots(tmp_path, monkeypatch):
    corpus, qa = _corpus_and_questions(tmp_path, [
        {"question": "How long does a crossing to Holm island take?", "answers": ["35 minutes"],
         "question_type": "figure", "evidence": [{"title": CORPUS[0]["title"],
                                                   "fact": "Each crossing takes 35 minutes."}]},
        {"question": "How much did the library repairs cost?", "answer": "2.4 million crowns",
         "question_type": "figure", "evidence": ["b"]},
        {"question": "Who won the chess championship?", "answers": [], "answerable": False,
         "question_type": "unanswerable"},
    ])  # fmt: skip
    monkeypatch.setattr("eval.datasets.CACHE_DIR", tmp_path / "cache")
    out = tmp_path / "out"
    assert main([qa, "--corpus", corpus, "--out", str(out), "--backend", "extractive"]) == 0
    result = json.loads((out / "results.json").read_text())
    m = result["metrics"]
    assert m["answer_accuracy"] == 1.0 and m["abstention_recall"] == 1.0
    assert {"hits@4", "hits@10", "mrr@10", "map@10", "article_hits@4"} <= set(m) and m["hits@4"] == 1.0
    assert m["citation_precision"] == 1.0 and m["unsupported_figure_rate"] == 0
    assert set(result["by_question_type"]) == {"figure", "unanswerable"}
    assert len(result["per_question"]) == 3 and result["per_question"][0]["retrieved"]
    assert (out / "report.md").exists() and (out / "by_question_type.png").stat().st_size > 1000
    assert len(list((tmp_path / "cache").iterdir())) == 1  # the corpus index is cached ...
    assert main([qa, "--corpus", corpus, "--out", str(out / "2"), "--backend", "extractive",
                 "--compare", str(out / "results.json")]) == 0  # fmt: skip
    assert len(list((tmp_path / "cache").iterdir())) == 1  # ... and reused
    # a gate that cannot be met fails the run
    assert main([qa, "--corpus", corpus, "--out", str(out / "3"), "--backend", "extractive",
                 "--min-accuracy", "1.01"]) == 1  # fmt: skip


def test_auc_and_best_recall():
    assert auc([3, 2], [1, 0]) == 1.0 and auc([0, 1], [2, 3]) == 0.0
    assert auc([1, 0], [0, 0]) == 0.75  # a tie counts half
    # abstaining at >= 2 catches 2 of 3 unanswerable with 1 answerable caught too: precision 0.67 < 0.8;
    # at >= 3 it catches 1 of 3 with precision 1.0
    assert best_recall([3, 2, 0], [2, 1, 0]) == pytest.approx(1 / 3)


@pytest.mark.slow
def test_answerability_measures_each_signal_on_a_corpus(tmp_path, monkeypatch):
    corpus, qa = _corpus_and_questions(tmp_path, [
        {"question": "How long does a crossing to Holm island take?", "answers": ["35 minutes"]},
        {"question": "How much did the library repairs cost?", "answers": ["2.4 million crowns"]},
        {"question": "How long does a crossing to Holm island not take?", "answers": [], "answerable": False},
        {"question": "Who won the chess championship?", "answers": [], "answerable": False},
    ])  # fmt: skip
    monkeypatch.setattr("eval.datasets.CACHE_DIR", tmp_path / "cache")
    out = tmp_path / "answerability.md"
    assert answerability_main([qa, "--corpus", corpus, "--out", str(out)]) == 0
    rows = {
        cells[0]: cells[1:]
        for line in out.read_text().splitlines()
        if line.startswith("| ") and not line.startswith("| signal") and not line.startswith("| rules")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert set(SIGNALS) <= set(rows)
    # only the negated question is turned around: 1 of 2 unanswerable, 0 of 2 answerable
    assert float(rows["question turned around (negation / opposite)"][0]) == 0.75
    assert all(0 <= float(rows[name][0]) <= 1 for name in SIGNALS)
    assert "turned around + weak evidence + missing name (shipped)" in rows
