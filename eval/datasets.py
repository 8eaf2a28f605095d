"""QA files and corpora for eval runs: our `.jsonl` format and MultiHop-RAG's published layout.

QA `.jsonl`, one question a line:
  question, answers (accepted strings) or answer, optional answerable (default: true when an answer is
  given), question_type, evidence (list of {title, url, fact} or of article ids).
MultiHop-RAG (`MultiHopRAG.json`: a list of {query, answer, question_type, evidence_list: [{title, fact,
  source, published_at, url}]}); its `null_query` questions are the unanswerable ones.
Corpus: `.jsonl` articles (title, body, source, published_at, url) or MultiHop-RAG's `corpus.json` list.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from rag import Settings, ingest
from rag.ingest import PARSER_VERSION

CACHE_DIR = Path("eval/.cache")
MULTIHOP_UNANSWERABLE = "null_query"


def load_qa(path: Path) -> list[dict[str, Any]]:
    """Questions from our `.jsonl` format or MultiHop-RAG's `.json` list, in one shape."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a JSON list of questions (MultiHop-RAG layout)")
        return [_from_multihop(r) for r in data]
    items = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{lineno}: invalid JSON: {e.msg}") from None
        if "question" not in record:
            raise ValueError(f"{path}:{lineno}: no 'question' field")
        items.append(_normalise(record))
    return items


def _from_multihop(record: dict[str, Any]) -> dict[str, Any]:
    qtype = record.get("question_type", "")
    unanswerable = qtype == MULTIHOP_UNANSWERABLE
    return _normalise(
        {
            "question": record["query"],
            "answers": [] if unanswerable else [record.get("answer", "")],
            "answerable": not unanswerable,
            "question_type": qtype,
            "evidence": [
                {k: e.get(k, "") for k in ("title", "url", "fact")} for e in record.get("evidence_list", [])
            ],
        }
    )


def _normalise(record: dict[str, Any]) -> dict[str, Any]:
    answers = record.get("answers")
    if answers is None:
        answers = [record["answer"]] if record.get("answer") else []
    record["answers"] = [str(a) for a in answers if str(a).strip()]
    record.setdefault("answerable", bool(record["answers"]))
    record.setdefault("question_type", "answerable" if record["answerable"] else "unanswerable")
    evidence = []
    for e in record.get("evidence") or []:
        evidence.append({"id": e} if isinstance(e, str) else {k: str(v) for k, v in e.items()})
    record["evidence"] = evidence
    return record


def corpus_settings(corpus_file: Path, base: Settings, cache_dir: Path | None = None) -> Settings:
    """Settings for an index of `corpus_file`, built once and cached by content hash (and the chunking
    and parser versions that shape it); the next run with the same corpus reuses it."""
    digest = hashlib.sha256(corpus_file.read_bytes())
    digest.update(f"{PARSER_VERSION}:{base.chunk_tokens}:{base.chunk_overlap_tokens}".encode())
    folder = (cache_dir or CACHE_DIR) / digest.hexdigest()[:16]
    corpus = folder / "corpus"
    target = corpus / ("corpus.json" if corpus_file.suffix.lower() == ".json" else "corpus.jsonl")
    if not target.exists():
        corpus.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus_file, target)
    settings = base.with_(corpus_dir=corpus, index_dir=folder / "index")
    report = ingest(settings=settings, progress=True)
    for problem in report.problems:
        print(f"corpus: not indexed: {problem}")
    return settings
