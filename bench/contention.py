"""Answers sharing the CPU (issue 17): `.venv/bin/python -m bench.contention`.

On realtimeqa-dev with the embedded model, in one process (as the Gradio queue runs two answers at once):
- `realnews_p95_s`: p95 of one answer at a time over the first 40 quiz questions;
- `contention_slowdown`: the mean time per answer when two streams answer the same questions side by
  side, divided by the mean time per answer alone (2.0 means each waits for the other, nothing worse).

The keys are merged into bench/results.json and a section is written to BENCHMARKS.md.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from pathlib import Path

from eval.datasets import corpus_settings, load_qa
from rag import Settings, answer, ingest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "realtimeqa-dev"
QUESTIONS = 40


def timed_answers(items: list, settings: Settings, out: list[float]) -> None:
    for item in items:
        started = time.perf_counter()
        answer(item["question"], settings=settings, today=item.get("today") or None)
        out.append(time.perf_counter() - started)


def main() -> int:
    settings = corpus_settings(DATA / "corpus.jsonl", Settings.from_env(llm="llamacpp"))
    ingest(settings=settings)
    items = load_qa(DATA / "qa.jsonl")[:QUESTIONS]
    timed_answers(items[:3], settings, [])  # load the models
    alone: list[float] = []
    timed_answers(items, settings, alone)
    side_by_side: list[list[float]] = [[], []]
    threads = [
        threading.Thread(target=timed_answers, args=(items, settings, side_by_side[i])) for i in range(2)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    both = side_by_side[0] + side_by_side[1]
    out = {
        "questions": len(items),
        "alone_mean_s": statistics.mean(alone),
        "alone_p50_s": statistics.median(alone),
        "realnews_p95_s": sorted(alone)[int(0.95 * (len(alone) - 1))],
        "two_streams_mean_s": statistics.mean(both),
        "two_streams_wall_s": wall,
        "contention_slowdown": statistics.mean(both) / statistics.mean(alone),
    }
    print(json.dumps(out, indent=2))
    path = ROOT / "bench" / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results.update({"realnews_p95_s": out["realnews_p95_s"], "contention_slowdown": out["contention_slowdown"],
                    "contention": out})  # fmt: skip
    path.write_text(json.dumps(results, indent=2))
    write_markdown(out)
    return 0


def write_markdown(out: dict[str, float]) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text()
    marker = "## Two answers at once"
    before, _, after = text.partition(marker)
    rest = after.split("\n## ", 1)[1] if "\n## " in after else ""
    section = f"""{marker} (`python -m bench.contention`, realtimeqa-dev, first {out["questions"]:.0f} questions)

| | mean per answer | p50 | p95 |
|---|---|---|---|
| one at a time | {out["alone_mean_s"]:.2f} s | {out["alone_p50_s"]:.2f} s | {out["realnews_p95_s"]:.2f} s (`realnews_p95_s`, target ≤ 2 s) |
| two streams side by side | {out["two_streams_mean_s"]:.2f} s | | |

`contention_slowdown` = {out["contention_slowdown"]:.2f} (target ≤ 2.5): two answers in one process take
turns on the one llama.cpp context and share the two cores for embedding.
"""
    text = before.rstrip() + "\n\n" + section + (f"\n## {rest}" if rest else "")
    path.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
