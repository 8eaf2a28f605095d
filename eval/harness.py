"""Score answers on a QA file: accuracy, abstention, unsupported figures, latency.

QA format (`.jsonl`, one question a line): `question`, `answers` (accepted strings) or `answer`,
optional `answerable` (default: true when answers are given), `question_type`.
"""

from __future__ import annotations

import argparse
import json
import re
import string
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tqdm import tqdm

from rag import Settings, answer
from rag.ground import CITATION, unsupported_facts

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation) | set("‘’“”–—")


def normalize(text: str) -> str:
    """SQuAD's answer normalization: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def load_qa(path: Path) -> list[dict[str, Any]]:
    items = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{lineno}: invalid JSON: {e.msg}") from None
        answers = record.get("answers")
        if answers is None:
            answers = [record["answer"]] if record.get("answer") else []
        record["answers"] = [str(a) for a in answers]
        record.setdefault("answerable", bool(record["answers"]))
        record.setdefault("question_type", "answerable" if record["answerable"] else "unanswerable")
        items.append(record)
    return items


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def score(items: list[dict[str, Any]], settings: Settings, k: int | None = None) -> dict[str, Any]:
    per_question = []
    for item in tqdm(items, desc="questions", unit="q"):
        started = time.perf_counter()
        a = answer(item["question"], k=k, settings=settings)
        wall_ms = (time.perf_counter() - started) * 1000
        text = CITATION.sub(" ", a.text)
        correct = not a.abstained and any(
            normalize(g) in normalize(text) for g in item["answers"] if normalize(g)
        )
        cited_texts = [c.text for c in a.citations]
        unsupported = [] if a.abstained else unsupported_facts(text, cited_texts)
        per_question.append(
            {
                "question": item["question"],
                "question_type": item["question_type"],
                "answerable": item["answerable"],
                "gold": item["answers"],
                "answer": a.text,
                "abstained": a.abstained,
                "correct": correct,
                "backend": a.backend,
                "unsupported_facts": unsupported,
                "citations": [{"n": c.n, "article_id": c.article_id, "start": c.start} for c in a.citations],
                "notes": list(a.notes),
                "model_text": a.model_text,
                "timings": {**a.timings, "wall_ms": wall_ms},
            }
        )
    return {"metrics": metrics(per_question), "per_question": per_question}


def metrics(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    abstained = [r for r in rows if r["abstained"]]
    out: dict[str, Any] = {
        "questions": len(rows),
        "answer_accuracy": sum(r["correct"] for r in answerable) / len(answerable) if answerable else None,
        "abstention_recall": (
            sum(r["abstained"] for r in unanswerable) / len(unanswerable) if unanswerable else None
        ),
        "abstention_precision": (
            sum(not r["answerable"] for r in abstained) / len(abstained) if abstained else None
        ),
        "unsupported_figure_rate": sum(bool(r["unsupported_facts"]) for r in rows) / len(rows) if rows else 0,
        "extractive_share": sum(r["backend"] == "extractive" for r in rows) / len(rows) if rows else 0,
    }
    for stage in ("retrieve_ms", "generate_ms", "total_ms"):
        values = [r["timings"].get(stage, 0.0) for r in rows]
        out[f"{stage.removesuffix('_ms')}_p50_ms"] = _percentile(values, 0.5)
        out[f"{stage.removesuffix('_ms')}_p95_ms"] = _percentile(values, 0.95)
    return out


def report_markdown(result: dict[str, Any], qa_path: str) -> str:
    m = result["metrics"]
    lines = [f"# Eval: {qa_path}", "", "| metric | value |", "|---|---|"]
    for key, value in m.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        lines.append(f"| {key} | {shown} |")
    lines += ["", "## Misses", ""]
    for r in result["per_question"]:
        wrong = (r["answerable"] and not r["correct"]) or (not r["answerable"] and not r["abstained"])
        if wrong:
            lines.append(f"- **{r['question']}** (gold: {r['gold'] or 'unanswerable'}) → {r['answer']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    parser.add_argument("qa", type=Path)
    parser.add_argument("--out", type=Path, default=Path("eval/out"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--k", type=int, default=None)
    parser.add_argument("--backend", choices=["llamacpp", "ollama", "extractive"], default=None)
    parser.add_argument("--min-accuracy", type=float, default=None, help="fail (exit 1) below this")
    parser.add_argument("--min-abstention-recall", type=float, default=None, help="fail (exit 1) below this")
    args = parser.parse_args(argv)
    overrides = {"llm": args.backend} if args.backend else {}
    settings = Settings.from_env(**overrides)
    items = load_qa(args.qa)[: args.limit]
    started = time.perf_counter()
    result = score(items, settings, k=args.k)
    result["metrics"]["wall_s"] = time.perf_counter() - started
    result["settings"] = {k: str(v) for k, v in asdict(settings).items()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (args.out / "report.md").write_text(report_markdown(result, str(args.qa)))
    m = result["metrics"]
    print(json.dumps(m, indent=2))
    failed = []
    if args.min_accuracy is not None and (m["answer_accuracy"] or 0) < args.min_accuracy:
        failed.append(f"answer_accuracy {m['answer_accuracy']:.3f} < {args.min_accuracy}")
    if args.min_abstention_recall is not None and (m["abstention_recall"] or 0) < args.min_abstention_recall:
        failed.append(f"abstention_recall {m['abstention_recall']:.3f} < {args.min_abstention_recall}")
    if m["unsupported_figure_rate"] > 0:
        failed.append(f"unsupported_figure_rate {m['unsupported_figure_rate']:.3f} > 0")
    for f in failed:
        print(f"REGRESSION: {f}")
    return 1 if failed else 0
