"""Crash safety for real: `rag ingest` killed with SIGKILL at several points, two ingests at once, and a
corrupted index detected with a message that says how to rebuild."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from rag import IngestBusy, Settings, ingest, reset_components
from rag.index import Index, IndexError_

TOPICS = ["harbour", "railway", "school", "hospital", "bridge", "airport", "library", "stadium"]


def _write_corpus(folder: Path, n: int = 60) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        body = " ".join(
            f"The {topic} project number {i} in district {j} reached stage {j + i} of its plan on schedule."
            for j in range(60)
        )
        (folder / f"story-{i:03d}.txt").write_text(
            f"{topic.title()} project {i} update\n\n{body}\n", encoding="utf-8"
        )


def _rag(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rag.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _consistent(settings: Settings) -> tuple[int, set[str]]:
    index = Index(settings)
    stored = index.stored_articles()
    assert all(a.complete for a in stored.values()), "half-written articles left behind"
    ids = index.collection.get()["ids"]
    assert len(ids) == len(set(ids))
    index.ensure_lexical()
    assert sorted(index.lexical.ids) == sorted(ids)  # BM25 and Chroma agree
    return len(ids), set(stored)


@pytest.mark.slow
def test_sigkill_during_ingest_then_ingest_again_leaves_a_consistent_index(tmp_path):
    corpus = tmp_path / "corpus"
    _write_corpus(corpus)
    reference = Settings.from_env(corpus_dir=corpus, index_dir=tmp_path / "reference", llm="extractive")
    expected = ingest(settings=reference).chunks_total
    expected_count, expected_articles = _consistent(reference)
    assert expected_count == expected

    for kill_after in (3.0, 6.0, 9.0):  # model loading, early embedding, mid-way through writing
        index_dir = tmp_path / f"killed-{kill_after}"
        env = {
            **os.environ,
            "RAG_CORPUS_DIR": str(corpus),
            "RAG_INDEX_DIR": str(index_dir),
            "RAG_LLM": "extractive",
        }
        proc = _rag(["ingest"], env)
        time.sleep(kill_after)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        # remove one article meanwhile: the next ingest must not leave it as an orphan
        removed = corpus / "story-000.txt"
        text = removed.read_text(encoding="utf-8")
        removed.unlink()
        again = _rag(["ingest"], env)
        out, _ = again.communicate(timeout=600)
        assert again.returncode == 0, out
        settings = Settings.from_env(corpus_dir=corpus, index_dir=index_dir, llm="extractive")
        count, articles = _consistent(settings)
        assert articles == expected_articles - {"story-000.txt"}
        removed.write_text(text, encoding="utf-8")
        final = _rag(["ingest"], env)
        final.communicate(timeout=600)
        count, articles = _consistent(settings)
        assert (count, articles) == (expected_count, expected_articles), f"killed after {kill_after} s"


def test_a_second_ingest_waits_or_refuses_with_a_message(fresh_settings):
    (fresh_settings.corpus_dir / "a.txt").write_text(
        "Mill closes\n\nThe old mill in Ardmore closed.", encoding="utf-8"
    )
    fresh_settings.index_dir.mkdir(parents=True)
    with FileLock(str(fresh_settings.index_dir / ".ingest.lock")):
        with pytest.raises(IngestBusy, match="another ingest is writing the index"):
            ingest(settings=fresh_settings, lock_timeout_s=0.5)
        env = {**os.environ, "RAG_CORPUS_DIR": str(fresh_settings.corpus_dir),
               "RAG_INDEX_DIR": str(fresh_settings.index_dir)}  # fmt: skip
        out, _ = _rag(["ingest"], env).communicate(timeout=120)
        assert "another ingest is writing the index" in out
    assert ingest(settings=fresh_settings).added == ["a.txt"]  # once the lock is free it proceeds


def test_corrupted_index_is_detected_with_how_to_rebuild(fresh_settings):
    (fresh_settings.corpus_dir / "a.txt").write_text(
        "Mill closes\n\nThe old mill in Ardmore closed.", encoding="utf-8"
    )
    ingest(settings=fresh_settings)
    reset_components()
    database = fresh_settings.index_dir / "chroma" / "chroma.sqlite3"
    database.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexError_, match="rag ingest --rebuild"):
        Index(fresh_settings)
    env = {
        **os.environ,
        "RAG_CORPUS_DIR": str(fresh_settings.corpus_dir),
        "RAG_INDEX_DIR": str(fresh_settings.index_dir),
    }
    out, _ = _rag(["status"], env).communicate(timeout=120)
    assert "rag ingest --rebuild" in out
    proc = _rag(["ingest", "--rebuild"], env)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "1 articles" in out, out
