"""Scores for one eval run: retrieval (as MultiHop-RAG defines it), answers, abstention, citations, latency.

Retrieval follows MultiHop-RAG's `retrieval_evaluate.py` so figures compare with the paper's: a retrieved
passage is relevant when it contains a gold evidence `fact` once spaces and newlines are removed from
both; Hits@k = a relevant passage in the top k; MRR@10 = 1 / rank of the first relevant passage; MAP@10
adds, at each relevant rank, (gold facts first found there) / rank, divided by min(#gold facts, 10).
Questions without evidence (MultiHop-RAG's null queries, unanswerable ones) are left out.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence
from typing import Any

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation) | set("‘’“”–—")


def normalize(text: str) -> str:
    """SQuAD's answer normalization: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def _squash(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")


def ranking_scores(retrieved: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """MultiHop-RAG's per-query Hits@4, Hits@10, MRR@10 and MAP@10; an item is relevant when it contains
    a gold string (both squashed)."""
    gold = list(dict.fromkeys(_squash(g) for g in gold if g.strip()))
    found: list[str] = []
    first = None
    precision_sum = 0.0
    hits4 = hits10 = False
    for rank, item in enumerate([_squash(r) for r in retrieved[:10]], start=1):
        if not any(g in item for g in gold):
            continue
        hits10 = True
        hits4 = hits4 or rank <= 4
        first = first or rank
        new = [g for g in gold if g in item and g not in found]
        found += new
        precision_sum += len(new) / rank
    return {
        "hits@4": float(hits4),
        "hits@10": float(hits10),
        "mrr@10": 1.0 / first if first else 0.0,
        "map@10": precision_sum / min(len(gold), 10) if gold else 0.0,
    }


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD's token F1 between normalized strings."""
    p, g = normalize(prediction).split(), normalize(gold).split()
    common = sum((Counter(p) & Counter(g)).values())
    if not p or not g or not common:
        return float(p == g)
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def polarity(text: str) -> str | None:
    """ "yes"/"no" for a Yes/No-style answer, read from its first word; None when it takes no side."""
    words = normalize(text).split()
    if not words:
        return None
    return words[0] if words[0] in ("yes", "no") else None


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate per-question rows into the run's metrics (None where a metric does not apply)."""
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    abstained = [r for r in rows if r["abstained"]]
    answered = [r for r in rows if not r["abstained"]]
    polar = [r for r in answerable if r.get("polarity_correct") is not None]
    cited = [c for r in answered for c in r["citation_relevant"]]
    out: dict[str, Any] = {
        "questions": len(rows),
        "answer_accuracy": _mean([r["correct"] for r in answerable]),
        "answer_f1": _mean([r["f1"] for r in answerable]),
        "polarity_accuracy": _mean([r["polarity_correct"] for r in polar]),
        "abstention_recall": _mean([r["abstained"] for r in unanswerable]),
        "abstention_precision": _mean([not r["answerable"] for r in abstained]),
        "citation_precision": _mean(cited),
        "unsupported_figure_rate": _mean([bool(r["unsupported_facts"]) for r in answered]) or 0.0,
        "extractive_share": _mean([r["backend"] == "extractive" for r in answered]),
    }
    coverage = [r["key_fact_coverage"] for r in rows if r.get("key_fact_coverage") is not None]
    if coverage:  # summaries, comparisons, why/how: the share of key facts the answers hold
        out["key_fact_coverage"] = _mean(coverage)
        out["key_facts_all_share"] = _mean([c == 1.0 for c in coverage])
        out["abstained_with_facts"] = sum(1 for r in answerable if r["abstained"])
        out["answer_sentences_mean"] = _mean([r["answer_sentences"] for r in answered])
    # Time-sensitive sets: scoped answers citing only articles inside the range, and "latest" answers
    # relying on the report with the newest value.
    in_range = [r["citations_in_range"] for r in rows if r.get("citations_in_range") is not None]
    newest = [r["newest_value"] for r in rows if r.get("newest_value") is not None]
    if in_range:
        out["scoped_citations_in_range"] = _mean(in_range)
    if newest:
        out["latest_newest_value"] = _mean(newest)
    for level in ("", "article_"):
        scored = [r[f"{level}retrieval"] for r in rows if r.get(f"{level}retrieval")]
        for key in ("hits@4", "hits@10", "mrr@10", "map@10"):
            value = _mean([s[key] for s in scored])
            if value is not None:
                out[f"{level}{key}"] = value
    out.update(abstentions_by_reason(rows))
    stages = sorted({s for r in rows for s in r["timings"]})
    for stage in stages:
        values = [r["timings"][stage] for r in rows if stage in r["timings"]]
        out[f"{stage.removesuffix('_ms')}_p50_ms"] = percentile(values, 0.5)
        out[f"{stage.removesuffix('_ms')}_p95_ms"] = percentile(values, 0.95)
    return out


def abstentions_by_reason(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per abstention rule: how many unanswerable questions it caught (its recall share) and how many
    answerable ones it wrongly stopped; its precision is caught / (caught + wrong)."""
    unanswerable = sum(1 for r in rows if not r["answerable"])
    out: dict[str, Any] = {}
    for reason in sorted({r.get("abstain_reason") or "" for r in rows if r["abstained"]} - {""}):
        fired = [r for r in rows if r["abstained"] and r.get("abstain_reason") == reason]
        caught = sum(1 for r in fired if not r["answerable"])
        key = reason.replace(" ", "_")
        out[f"abstain_{key}_caught"] = caught
        out[f"abstain_{key}_wrong"] = len(fired) - caught
        out[f"abstain_{key}_precision"] = caught / len(fired)
        out[f"abstain_{key}_recall"] = caught / unanswerable if unanswerable else None
    return out


# Metrics where lower is better; the rest are higher-is-better (latency is compared separately).
LOWER_IS_BETTER = {"unsupported_figure_rate", "abstained_with_facts"}
QUALITY_TOLERANCE = 0.02  # a drop larger than this is a regression
# Latency more than 1.5x the old run's is flagged SLOWER but does not fail the run: this machine is shared
# and noisy, and bench/ measures speed against the raw libraries properly.
LATENCY_TOLERANCE = 1.5


def compare(new: dict[str, Any], old: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Lines describing each metric's change, and the regressions among them."""
    lines, regressions = [], []
    for key in sorted(set(new) & set(old)):
        a, b = old[key], new[key]
        if (
            not isinstance(a, int | float)
            or not isinstance(b, int | float)
            or key in ("questions", "wall_s", "answer_sentences_mean")
        ):
            continue
        delta = b - a
        line = f"{key:28} {a:10.3f} -> {b:10.3f} ({delta:+.3f})"
        if key.endswith("_ms"):
            lines.append(line + ("  SLOWER" if a > 0 and b > a * LATENCY_TOLERANCE else ""))
            continue
        bad = delta > 1e-9 if key in LOWER_IS_BETTER else delta < -QUALITY_TOLERANCE
        lines.append(line + ("  REGRESSION" if bad else ""))
        if bad:
            regressions.append(line)
    return lines, regressions
