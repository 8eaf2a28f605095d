"""How well can the signals this machine has tell an answerable question from an unanswerable one?

`python -m eval.answerability QA.jsonl --corpus CORPUS.jsonl` retrieves and reads every question the way
`rag.answer` does, but never abstains, and records each signal an abstention rule could use:

- the best evidence sentence's score and its lead over the next sentence (ground.score_sentences);
- whether the small model's short answer is words of the evidence (ground.short_answer_is_grounded);
- the IDF-weighted share of question terms the evidence lacks, and names it does not mention;
- whether the question is the evidence turned around (ground.turned_around);
- the embedded model's own view: how much more likely the question is after reading the evidence than
  without it (pointwise mutual information, per token), and the mean log-probability of its short answer.

For each signal it reports ROC AUC (0.5 = chance) and the best abstention recall it reaches at precision
≥ 0.8, then writes both to OUT (eval/out/answerability.md). This is the measurement behind the abstention
figures in eval/RESULTS.md: what limits them is what any rule built on these signals can see.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from rag import DEFAULT_POLICY, Settings, components, make_generator
from rag.evidence import reading_sentences
from rag.generate import Prompt
from rag.ground import (
    missing_names,
    pick_quotes,
    short_answer_is_grounded,
    turned_around,
)
from rag.index import Filter
from rag.lexical import lexical_terms
from rag.text import question_terms

from .datasets import corpus_settings, load_qa
from .metrics import normalize

MIN_EVIDENCE_SCORE = DEFAULT_POLICY.min_evidence_score
SURE_EVIDENCE_SCORE = DEFAULT_POLICY.sure_evidence_score

# signal -> True when a higher value should mean "unanswerable"
SIGNALS = {
    "evidence score": False,
    "lead over the next sentence": False,
    "model's short answer is in the evidence": False,
    "question terms the evidence lacks (IDF share)": True,
    "a question name the evidence lacks": True,
    "question turned around (negation / opposite)": True,
    "Gemma: question PMI given the evidence (mean per token)": False,
    "Gemma: short answer mean log-probability": False,
}


def _log_probs(llm: Any, prefix: str, target: str) -> list[float]:
    """Log-probability of each token of `target` after `prefix` under the llama.cpp model.

    Scored one token at a time from the last position's logits: `logits_all` would keep a 262k-wide row
    per prompt token and is far slower here.
    """
    head = llm.tokenize(prefix.encode(), add_bos=True)
    whole = llm.tokenize((prefix + target).encode(), add_bos=True)
    if whole[: len(head)] != head:
        head = head[:-1]  # the last prefix token merged with the target's first
    llm.reset()
    llm.eval(head)
    out = []
    for token in whole[len(head) :]:
        row = np.asarray(llm.scores[llm.n_tokens - 1], dtype=np.float64)
        top = row.max()
        out.append(float(row[token] - top - np.log(np.exp(row - top).sum())))
        llm.eval([token])
    return out


def signals(item: dict[str, Any], parts: Any, generator: Any, settings: Settings) -> dict[str, float]:
    question = item["question"]
    retrieval = parts.retriever.retrieve(question, settings.top_k, Filter())
    quotes = pick_quotes(retrieval.sentences, limit=2)
    if not quotes:
        return {}
    best = quotes[0]
    following = [q for q in retrieval.sentences if q is not best]
    reading = reading_sentences(best, retrieval.sentences)
    evidence = " ".join(q.text for q in reading)
    prompt = Prompt(question, retrieval.passages, [], evidence=[q.text for q in reading])
    span = "".join(generator.stream(prompt, settings.max_answer_tokens)).strip().strip(".").strip()
    holder = next(
        (q for q in reading if short_answer_is_grounded(span, q.text, question) and len(span) < len(q.text)),
        None,
    )
    # What rag.answer would say if it did not abstain: the short answer with its sentence, or the quotes.
    said = f"{span} {holder.text}" if holder is not None else " ".join(q.text for q in quotes)
    idf = parts.index.idf()
    terms = question_terms(question)
    have = set(lexical_terms(f"{best.previous} {evidence}"))
    total = sum(idf(t) for t in terms) or 1.0
    llm = generator.llm
    with_evidence = _log_probs(llm, f"Text: {evidence}\nQuestion:", f" {question}")
    alone = _log_probs(llm, "Question:", f" {question}")
    n = min(len(with_evidence), len(alone))
    answer_lp = _log_probs(llm, prompt.completion_text(), f" {span}") if span else [-30.0]
    return {
        "evidence score": best.score,
        "lead over the next sentence": best.score - (following[0].score if following else 0.0),
        "model's short answer is in the evidence": float(holder is not None),
        "question terms the evidence lacks (IDF share)": sum(idf(t) for t in terms if t not in have) / total,
        "a question name the evidence lacks": float(bool(missing_names(question, best))),
        "question turned around (negation / opposite)": float(
            bool(turned_around(question, [q.text for q in reading]))
        ),
        "Gemma: question PMI given the evidence (mean per token)": float(
            np.mean([a - b for a, b in zip(with_evidence[:n], alone[:n], strict=True)])
        ),
        "Gemma: short answer mean log-probability": float(np.mean(answer_lp)),
        "correct if answered": float(any(normalize(g) in normalize(said) for g in item.get("answers", []))),
    }


def auc(unanswerable: list[float], answerable: list[float]) -> float:
    """ROC AUC as the Mann-Whitney statistic: the chance an unanswerable question scores above an
    answerable one (ties count half)."""
    if not unanswerable or not answerable:
        return float("nan")
    u, a = np.asarray(unanswerable)[:, None], np.asarray(answerable)[None, :]
    return float(((u > a).sum() + 0.5 * (u == a).sum()) / (u.size * a.size))


def best_recall(unanswerable: list[float], answerable: list[float], min_precision: float = 0.8) -> float:
    """The highest abstention recall of "abstain when the signal ≥ t" at precision ≥ min_precision."""
    best = 0.0
    for t in sorted(set(unanswerable)):
        caught = sum(v >= t for v in unanswerable)
        wrong = sum(v >= t for v in answerable)
        if caught and caught / (caught + wrong) >= min_precision:
            best = max(best, caught / len(unanswerable))
    return best


def operating_point(
    rows: list[tuple[bool, dict[str, float]]], sure: float, names: bool
) -> tuple[float, float, float]:
    """Accuracy, abstention recall and precision of rag.answer's abstention rules (pipeline._evidence and
    the weak-evidence rule of stream_answer) with `sure` as SURE_EVIDENCE_SCORE, with or without the
    missing-name rule."""

    def abstains(s: dict[str, float]) -> bool:
        weak = s["evidence score"] < sure and not s["model's short answer is in the evidence"]
        return bool(
            s["evidence score"] < MIN_EVIDENCE_SCORE
            or s["question turned around (negation / opposite)"]
            or (names and s["a question name the evidence lacks"])
            or weak
        )

    answerable = [s for a, s in rows if a]
    unanswerable = [s for a, s in rows if not a]
    right = sum(1 for s in answerable if not abstains(s) and s["correct if answered"])
    accuracy = right / max(1, len(answerable))
    caught = sum(1 for s in unanswerable if abstains(s))
    wrong = sum(1 for s in answerable if abstains(s))
    return accuracy, caught / max(1, len(unanswerable)), caught / max(1, caught + wrong)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.answerability", description=__doc__)
    parser.add_argument("qa", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path, default=Path("eval/out/answerability.md"))
    args = parser.parse_args(argv)
    settings = corpus_settings(args.corpus, Settings.from_env(llm="llamacpp"))
    parts, generator = components(settings), make_generator(settings)
    items = load_qa(args.qa)[: args.limit]
    rows = [(item["answerable"], signals(item, parts, generator, settings)) for item in tqdm(items)]
    rows = [(answerable, s) for answerable, s in rows if s]
    n_un = sum(1 for answerable, _ in rows if not answerable)
    lines = [
        f"Signals on {args.qa} ({len(rows)} questions, {n_un} unanswerable), embedded defaults, "
        "never abstaining.",
        "",
        "| signal | ROC AUC (0.5 = chance) | best abstention recall at precision ≥ 0.8 |",
        "|---|---|---|",
    ]
    for name, higher_means_unanswerable in SIGNALS.items():
        sign = 1.0 if higher_means_unanswerable else -1.0
        un = [sign * s[name] for answerable, s in rows if not answerable]
        ans = [sign * s[name] for answerable, s in rows if answerable]
        lines.append(f"| {name} | {auc(un, ans):.3f} | {best_recall(un, ans):.2f} |")
    lines += [
        "",
        "What the shipped rules would score with other thresholds (accuracy on answerable questions;",
        "abstention recall / precision on unanswerable ones):",
        "",
        "| rules | weak-evidence score | accuracy | abstention recall | abstention precision |",
        "|---|---|---|---|---|",
    ]
    for names in (True, False):
        for sure in (0.85, SURE_EVIDENCE_SCORE, 0.95, 1.0, 1.05):
            scores = operating_point(rows, sure, names)
            rules = "turned around + weak evidence" + (" + missing name" if names else "")
            shipped = " (shipped)" if names and sure == SURE_EVIDENCE_SCORE else ""
            lines.append(
                f"| {rules}{shipped} | {sure:.2f} | {scores[0]:.3f} | {scores[1]:.2f} | {scores[2]:.2f} |"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
