"""QA files and corpora for eval runs: our `.jsonl` format and MultiHop-RAG's published layout.

QA `.jsonl`, one question a line:
  question, answers (accepted strings) or answer, or answers_all (strings that must all be in the
  answer, for histories), or key_facts (groups of accepted strings: a group is covered when any of its
  strings is in the answer; for summaries, comparisons, why/how), optional split ("tune"/"test", selected
  with `rag eval --split`), optional answerable (default: true when an answer is given), question_type,
  evidence (list of {title, url, fact} or of article ids), and for time-sensitive questions `today`
  (the date "last month" and "latest" are reckoned from, YYYY-MM-DD), `since` / `until` / `sources`
  (explicit filters passed to `answer`).
MultiHop-RAG (`MultiHopRAG.json`: a list of {query, answer, question_type, evidence_list: [{title, fact,
  source, published_at, url}]}); its `null_query` questions are the unanswerable ones.
Corpus: `.jsonl` articles (title, body, source, published_at, url), MultiHop-RAG's `corpus.json` list, or
a folder of article files in any format `rag ingest` reads.
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
    record["answers_all"] = [str(a) for a in record.get("answers_all") or [] if str(a).strip()]
    record["key_facts"] = [
        [str(a) for a in group if str(a).strip()] for group in record.get("key_facts") or [] if group
    ]
    record.setdefault("answerable", bool(record["answers"] or record["answers_all"] or record["key_facts"]))
    record.setdefault("question_type", "answerable" if record["answerable"] else "unanswerable")
    evidence = []
    for e in record.get("evidence") or []:
        evidence.append({"id": e} if isinstance(e, str) else {k: str(v) for k, v in e.items()})
    record["evidence"] = evidence
    return record


def corpus_settings(corpus_file: Path, base: Settings, cache_dir: Path | None = None) -> Settings:
    """Settings for an index of `corpus_file`, built once and cached by content hash (and the chunking
    and parser versions that shape it); the next run with the same corpus reuses it."""
    files = (
        sorted(p for p in corpus_file.rglob("*") if p.is_file()) if corpus_file.is_dir() else [corpus_file]
    )
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(corpus_file).as_posix().encode() if corpus_file.is_dir() else b"")
        digest.update(f.read_bytes())
    digest.update(f"{PARSER_VERSION}:{base.chunk_tokens}:{base.chunk_overlap_tokens}".encode())
    folder = (cache_dir or CACHE_DIR) / digest.hexdigest()[:16]
    corpus = folder / "corpus"
    if not corpus.exists():
        if corpus_file.is_dir():
            shutil.copytree(corpus_file, corpus)
        else:
            corpus.mkdir(parents=True)
            name = "corpus.json" if corpus_file.suffix.lower() == ".json" else "corpus.jsonl"
            shutil.copyfile(corpus_file, corpus / name)
    settings = base.with_(corpus_dir=corpus, index_dir=folder / "index")
    report = ingest(settings=settings, progress=True)
    for problem in report.problems:
        print(f"corpus: not indexed: {problem}")
    return settings
