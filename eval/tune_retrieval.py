"""Compare retrieval set-ups on a QA set with evidence facts: dense, BM25, hybrid fusions, chunk sizes.

`python -m eval.tune_retrieval QA.jsonl --corpus CORPUS.jsonl` prints a Markdown table of Hits@4,
Hits@10, MRR@10, MAP@10 (MultiHop-RAG definitions, answerable questions) and query latency per set-up,
and writes it to eval/out/retrieval_tuning.md. No answers are generated: this measures retrieval alone.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from rag import Settings, components
from rag.retrieve import Retriever

from .datasets import corpus_settings, load_qa
from .metrics import percentile, ranking_scores

# name -> settings overrides
_PLAIN = {"rerank_depth": 0, "dense_weight": 1.0, "lexical_weight": 1.0}
VARIANTS: dict[str, dict[str, Any]] = {
    "dense": {**_PLAIN, "retrieval": "dense"},
    "bm25": {**_PLAIN, "retrieval": "lexical"},
    "hybrid rrf 1:1": {**_PLAIN, "retrieval": "hybrid"},
    "hybrid rrf dense 1 : bm25 1.5": {**_PLAIN, "lexical_weight": 1.5},
    "hybrid rrf dense 1 : bm25 2": {**_PLAIN, "lexical_weight": 2.0},
    "hybrid rrf dense 1.5 : bm25 1": {**_PLAIN, "dense_weight": 1.5},
    "hybrid rrf 1:1, rrf_k 10": {**_PLAIN, "rrf_k": 10},
    "hybrid rrf 1:1 + sentence rerank top 10": {**_PLAIN, "rerank_depth": 10},
    "hybrid 1:2 + sentence rerank 10 (default)": {
        **_PLAIN,
        "lexical_weight": 2.0,
        "rerank_depth": 10,
    },
    "hybrid rrf 1:2 + sentence rerank top 20": {**_PLAIN, "lexical_weight": 2.0, "rerank_depth": 20},
}


def evaluate(items: list[dict[str, Any]], settings: Settings) -> dict[str, float]:
    parts = components(settings)
    retriever = Retriever(parts.index, parts.embedder, settings)
    scores: list[dict[str, float]] = []
    latencies = []
    for item in items:
        facts = [e["fact"] for e in item["evidence"] if e.get("fact")]
        started = time.perf_counter()
        passages = retriever.passages_for(item["question"], 10)
        latencies.append((time.perf_counter() - started) * 1000)
        scores.append(ranking_scores([p.chunk.text for p in passages], facts))
    out = {key: sum(s[key] for s in scores) / len(scores) for key in scores[0]}
    out["p50_ms"] = percentile(latencies, 0.5)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.tune_retrieval", description=__doc__)
    parser.add_argument("qa", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--chunk-tokens", type=int, nargs="+", default=[128, 200, 254])
    parser.add_argument("--out", type=Path, default=Path("eval/out/retrieval_tuning.md"))
    args = parser.parse_args(argv)
    items = [i for i in load_qa(args.qa) if i["answerable"] and any(e.get("fact") for e in i["evidence"])]
    lines = [
        f"Retrieval on {args.qa} ({len(items)} answerable questions with evidence), top 10 passages.",
        "",
        "| chunk tokens | set-up | Hits@4 | Hits@10 | MRR@10 | MAP@10 | p50 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in args.chunk_tokens:
        base = corpus_settings(args.corpus, Settings.from_env(chunk_tokens=size, llm="extractive"))
        for name, overrides in VARIANTS.items():
            m = evaluate(items, base.with_(**overrides))
            line = (
                f"| {size} | {name} | {m['hits@4']:.3f} | {m['hits@10']:.3f} | {m['mrr@10']:.3f} | "
                f"{m['map@10']:.3f} | {m['p50_ms']:.0f} |"
            )
            lines.append(line)
            print(line, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
