"""`rag eval QA [--corpus CORPUS] [--out DIR]`: run `answer()` on every question and score the run.

Writes DIR/results.json (`metrics`, `by_question_type`, `per_question`, `settings`), DIR/report.md and
PNG plots; `--compare OLD.json` prints the deltas and exits 1 on a regression, as do the `--min-*` gates.
Formats: see eval/datasets.py and the README.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tqdm import tqdm

from rag import BACKENDS, Settings, answer, ingest
from rag.ground import CITATION, unsupported_facts, with_date
from rag.schema import Answer, Chunk, Citation, Passage
from rag.text import split_sentences

from .datasets import corpus_settings, load_qa
from .metrics import compare, normalize, polarity, ranking_scores, summarize, token_f1

RETRIEVAL_DEPTH = 10  # Hits@10 / MRR@10 / MAP@10 look this deep


def _is_relevant_article(c: Chunk | Citation, evidence: list[dict[str, str]]) -> bool:
    """Whether the chunk's (or citation's) article is one of the evidence articles: by id, title or url."""
    for e in evidence:
        if e.get("id") and e["id"] in (c.article_id, c.article_id.split("#")[-1]):
            return True
        if e.get("title") and e["title"].strip().casefold() == c.title.strip().casefold():
            return True
        if e.get("url") and e["url"] == c.url:
            return True
    return False


def retrieval_rows(item: dict[str, Any], passages: list[Passage]) -> dict[str, Any]:
    """Passage-level (gold facts) and article-level (gold articles) ranking scores for one question."""
    evidence = item["evidence"]
    out: dict[str, Any] = {}
    facts = [e["fact"] for e in evidence if e.get("fact")]
    if facts and item["answerable"]:
        out["retrieval"] = ranking_scores([p.chunk.text for p in passages], facts)
    if evidence and item["answerable"]:
        # Article level: the ranked list of distinct articles; each gold article is one "fact".
        seen: list[Passage] = []
        for p in passages:
            if p.chunk.article_id not in {s.chunk.article_id for s in seen}:
                seen.append(p)
        marks = [f"<gold {i}>" for i in range(len(evidence))]
        ranked = [
            "".join(m for m, e in zip(marks, evidence, strict=True) if _is_relevant_article(p.chunk, [e]))
            or "-"
            for p in seen
        ]
        out["article_retrieval"] = ranking_scores(ranked, marks)
    return out


def _correct(item: dict[str, Any], a: Answer, text: str, gold: list[str]) -> tuple[bool, list[bool]]:
    """Whether the answer holds what the item accepts, and which key-fact groups it covers."""
    said = normalize(text)
    covered = [not a.abstained and any(normalize(g) in said for g in group) for group in item["key_facts"]]
    if item["key_facts"]:  # a summary or comparison: every key fact must be there
        return all(covered), covered
    if item["answers_all"]:  # a history: every value must be there
        return not a.abstained and all(normalize(g) in said for g in gold), covered
    return not a.abstained and any(normalize(g) in said for g in gold if normalize(g)), covered


def score_question(
    item: dict[str, Any], a: Answer, passages: list[Passage], wall_ms: float
) -> dict[str, Any]:
    text = CITATION.sub(" ", a.text)
    gold = item["answers"] or item["answers_all"] or [g for group in item["key_facts"] for g in group]
    correct, covered = _correct(item, a, text, gold)
    f1 = 0.0 if a.abstained else max((token_f1(text, g) for g in gold), default=0.0)
    # The report the answer relies on is its first citation: for a "latest" question it must hold the
    # newest value itself (a stale value quoted as what was revised does not count).
    relied_on = normalize(a.citations[0].quote or a.citations[0].text) if a.citations else ""
    newest_value = None
    if item["question_type"] == "latest" and item["answerable"]:
        newest_value = not a.abstained and any(normalize(g) in relied_on for g in gold if normalize(g))
    in_range = None
    if (a.since or a.until) and not a.abstained:
        in_range = all(
            c.published_at and (a.since or "") <= c.published_at[:10] <= (a.until or "9999")
            for c in a.citations
        )
    gold_polarity = {polarity(g) for g in gold} - {None}
    polarity_correct = None
    if gold_polarity:
        polarity_correct = not a.abstained and polarity(text) in gold_polarity
    citation_relevant = [
        _is_relevant_article(c, item["evidence"]) or any(normalize(g) in normalize(c.text) for g in gold)
        for c in a.citations
    ]
    return {
        "question": item["question"],
        "question_type": item["question_type"],
        "answerable": item["answerable"],
        "gold": gold,
        "answer": a.text,
        "abstained": a.abstained,
        "correct": correct,
        "key_fact_coverage": sum(covered) / len(covered) if covered else None,
        "answer_sentences": 0 if a.abstained else len(split_sentences(text)),
        "f1": f1,
        "polarity_correct": polarity_correct,
        "newest_value": newest_value,
        "citations_in_range": in_range,
        "since": a.since,
        "until": a.until,
        "time_order": a.time_order,
        "backend": a.backend,
        "search_query": a.search_query,
        "abstain_reason": a.abstain_reason.value if a.abstain_reason else "",
        # A citation's publication date is part of what it says: "As of 15 January 2026" is checked too.
        "unsupported_facts": []
        if a.abstained
        else unsupported_facts(text, [with_date(c.text, c.published_at, c.title) for c in a.citations]),
        "citations": [
            {
                "n": c.n,
                "article_id": c.article_id,
                "title": c.title,
                "published_at": c.published_at,
                "sources": c.sources,
            }
            for c in a.citations
        ],
        "citation_relevant": citation_relevant,
        "retrieved": [p.chunk.id for p in passages],
        **retrieval_rows(item, passages),
        "notes": list(a.notes),
        "model_text": a.model_text,
        "evidence_score": a.evidence_score,
        "timings": {**a.timings, "wall_ms": wall_ms},
    }


def run(items: list[dict[str, Any]], settings: Settings, k: int | None = None) -> dict[str, Any]:
    rows = []
    for item in tqdm(items, desc="questions", unit="q"):
        started = time.perf_counter()
        a = answer(
            item["question"],
            k=k,
            settings=settings,
            today=item.get("today"),
            since=item.get("since"),
            until=item.get("until"),
            sources=item.get("sources"),
        )
        wall_ms = (time.perf_counter() - started) * 1000
        # The search the answer really made (its query, period and filters), as deep as it ranked.
        passages = list(a.retrieved[:RETRIEVAL_DEPTH]) if item["evidence"] else []
        rows.append(score_question(item, a, passages, wall_ms))
    by_type = {
        t: summarize([r for r in rows if r["question_type"] == t])
        for t in sorted({r["question_type"] for r in rows})
    }
    return {"metrics": summarize(rows), "by_question_type": by_type, "per_question": rows}


def report_markdown(result: dict[str, Any], qa_path: str) -> str:
    m = result["metrics"]
    lines = [f"# Eval: {qa_path}", "", "| metric | value |", "|---|---|"]
    for key, value in m.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        lines.append(f"| {key} | {shown} |")
    keys = [
        "questions",
        "answer_accuracy",
        "answer_f1",
        "abstention_recall",
        "hits@4",
        "mrr@10",
        "total_p50_ms",
    ]
    lines += [
        "",
        "## By question type",
        "",
        "| type | " + " | ".join(keys) + " |",
        "|---" * (len(keys) + 1) + "|",
    ]
    for qtype, tm in result["by_question_type"].items():
        cells = [f"{tm[k]:.3f}" if isinstance(tm.get(k), float) else str(tm.get(k, "–")) for k in keys]
        lines.append(f"| {qtype} | " + " | ".join(cells) + " |")
    lines += ["", "## Misses", ""]
    for r in result["per_question"]:
        if (r["answerable"] and not r["correct"]) or (not r["answerable"] and not r["abstained"]):
            lines.append(f"- **{r['question']}** (gold: {r['gold'] or 'unanswerable'}) → {r['answer']}")
    lines += ["", "![metrics by question type](by_question_type.png)", "", "![latency](latency.png)"]
    return "\n".join(lines) + "\n"


def plot(result: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    types = list(result["by_question_type"])
    keys = [k for k in ("answer_accuracy", "answer_f1", "abstention_recall", "hits@4", "mrr@10")
            if any(result["by_question_type"][t].get(k) is not None for t in types)]  # fmt: skip
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(types) + 2), 4))
    width = 0.8 / max(1, len(keys))
    for i, key in enumerate(keys):
        values = [result["by_question_type"][t].get(key) or 0.0 for t in types]
        ax.bar([x + i * width for x in range(len(types))], values, width, label=key)
    ax.set_xticks([x + width * (len(keys) - 1) / 2 for x in range(len(types))], types, rotation=15)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    ax.set_title("Metrics by question type")
    fig.tight_layout()
    fig.savefig(out / "by_question_type.png", dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    for stage in ("retrieve_ms", "generate_ms", "total_ms"):
        values = [r["timings"][stage] / 1000 for r in result["per_question"] if stage in r["timings"]]
        if values:
            ax.hist(values, bins=30, alpha=0.6, label=stage.removesuffix("_ms"))
    ax.set_xlabel("seconds")
    ax.set_ylabel("questions")
    ax.legend()
    ax.set_title("Latency per stage")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=100)
    plt.close(fig)


GATES = {
    "min_accuracy": ("answer_accuracy", 1),
    "min_abstention_recall": ("abstention_recall", 1),
    "min_abstention_precision": ("abstention_precision", 1),
    "min_hits4": ("hits@4", 1),
    "min_mrr": ("mrr@10", 1),
    "min_in_range": ("scoped_citations_in_range", 1),
    "min_latest_newest": ("latest_newest_value", 1),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rag eval", description=__doc__)
    parser.add_argument("qa", type=Path, help="questions: .jsonl (our format) or MultiHop-RAG's .json")
    parser.add_argument(
        "--corpus", type=Path, help="articles to index for this run (.jsonl, corpus.json or a folder)"
    )
    parser.add_argument("--out", type=Path, default=Path("eval/out"))
    parser.add_argument("--limit", type=int, default=None, help="first N questions only")
    parser.add_argument("--split", choices=["tune", "test"], help="only the questions of this split")
    parser.add_argument("--k", type=int, default=None, help="passages per answer (default RAG_TOP_K)")
    parser.add_argument("--backend", choices=list(BACKENDS), default=None)
    parser.add_argument(
        "--compare", type=Path, help="an earlier results.json: print deltas, fail on regressions"
    )
    for flag, (metric, _) in GATES.items():
        parser.add_argument(
            f"--{flag.replace('_', '-')}", type=float, default=None, help=f"fail below this {metric}"
        )
    args = parser.parse_args(argv)

    settings = Settings.from_env(**({"llm": args.backend} if args.backend else {}))
    if args.corpus:
        settings = corpus_settings(args.corpus, settings)
    else:
        report = ingest(settings=settings)  # the project's corpus; a no-op when the index is current
        print(report.summary())
    items = [i for i in load_qa(args.qa) if not args.split or i.get("split") == args.split][: args.limit]
    started = time.perf_counter()
    result = run(items, settings, k=args.k)
    result["metrics"]["wall_s"] = time.perf_counter() - started
    result["settings"] = {k: str(v) for k, v in asdict(settings).items()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (args.out / "report.md").write_text(report_markdown(result, str(args.qa)))
    plot(result, args.out)
    m = result["metrics"]
    print(json.dumps(m, indent=2))
    print(f"results: {args.out / 'results.json'}, report: {args.out / 'report.md'}")

    failed = []
    for flag, (metric, _) in GATES.items():
        floor = getattr(args, flag)
        if floor is not None and (m.get(metric) or 0.0) < floor:
            failed.append(f"{metric} {m.get(metric) or 0:.3f} < {floor}")
    if m["unsupported_figure_rate"] > 0:
        failed.append(f"unsupported_figure_rate {m['unsupported_figure_rate']:.3f} > 0")
    if args.compare:
        old = json.loads(args.compare.read_text(encoding="utf-8"))["metrics"]
        lines, regressions = compare(m, old)
        print(f"\ncompared with {args.compare}:")
        print("\n".join(lines))
        failed += regressions
    for f in failed:
        print(f"REGRESSION: {f}", file=sys.stderr)
    return 1 if failed else 0
