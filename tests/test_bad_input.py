"""The bad-input matrix: every case gets a clear message, the rest of the corpus still indexes, nothing is lost."""

import json
import os
import sys
import time

import pytest

from rag import add_uploads, answer, ingest
from rag.ingest import UnreadableArticle, safe_upload_name, save_upload

GOOD = "Harbour Bridge reopens\n\nThe Harbour Bridge in Portvale reopened on Monday after repairs costing 12 million euros."


def _reasons(report):
    return {p.path.rsplit("/", 1)[-1] + (f":{p.line}" if p.line else ""): p.reason for p in report.problems}


def test_corpus_matrix_bad_files_are_reported_good_ones_index(fresh_settings):
    corpus = fresh_settings.corpus_dir
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "headline only.txt").write_text("Harbour Bridge reopens\n", encoding="utf-8")
    (corpus / "whitespace.txt").write_text(" \n\t\n ", encoding="utf-8")
    (corpus / "lines.jsonl").write_text(
        json.dumps({"title": "Ferry fares rise", "body": "Ferry fares to Inchmore rose by 4 per cent."})
        + "\n{not json\n"
        + json.dumps({"title": "no body"})
        + "\n"
        + json.dumps({"title": "Dock opens", "body": "A new dock opened in Saltmere on Friday."})
        + "\n",
        encoding="utf-8",
    )
    (corpus / "Zürich café ünïcode name.txt").write_text(
        "Zürich café opens\n\nA café opened in Zürich's old town on Friday, the owners said.",
        encoding="utf-8",
    )
    (corpus / "control chars.txt").write_text(
        "Tram fares frozen\n\nTram fares in Lindholm\x1b are frozen\x07 for 2026\x0c, the city said.",
        encoding="utf-8",
    )
    (corpus / "dangling.txt").symlink_to(corpus / "does-not-exist.txt")  # unreadable: the target is gone
    loop = corpus / "loop"
    loop.mkdir()
    (loop / "self").symlink_to(loop, target_is_directory=True)  # a symlink loop
    report = ingest(settings=fresh_settings)
    reasons = _reasons(report)
    assert sorted(report.added) == sorted(
        ["good.txt", "lines.jsonl#1", "lines.jsonl#4", "Zürich café ünïcode name.txt", "control chars.txt"]
    )
    assert "no body" in reasons["headline only.txt"] or "only a headline" in reasons["headline only.txt"]
    assert "empty" in reasons["whitespace.txt"]
    assert "invalid JSON" in reasons["lines.jsonl:2"] and "body" in reasons["lines.jsonl:3"]
    assert "cannot read" in reasons["dangling.txt"]
    a = answer("Are tram fares in Lindholm frozen?", settings=fresh_settings)
    assert "\x07" not in a.citations[0].text and "frozen" in a.citations[0].text


@pytest.mark.slow
def test_five_megabyte_article_indexes_in_reasonable_time(fresh_settings):
    paragraph = "The council of Brennholt met on Tuesday to discuss the harbour budget, which rose again. "
    body = "\n\n".join(f"{paragraph} Item {i} was approved." for i in range(5 * 1024 * 1024 // 110))
    (fresh_settings.corpus_dir / "big.txt").write_text(
        "Brennholt council minutes\n\n" + body, encoding="utf-8"
    )
    assert os.path.getsize(fresh_settings.corpus_dir / "big.txt") > 5_000_000
    started = time.perf_counter()
    # The int8 ONNX embedder (2.3x PyTorch here, bench/embed_backends.py): this test is about a huge file
    # going through every stage, and it was the slowest of the suite (336 s with PyTorch).
    report = ingest(settings=fresh_settings.with_(chunk_tokens=254, embed_backend="onnx-int8"))
    assert report.added == ["big.txt"] and report.chunks_total > 1000
    assert time.perf_counter() - started < 600


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("   \n\t ", "empty"), ("\x00\x07\x1b", "empty"), ("x" * 100_000, "limit is")],
)
def test_bad_questions_are_refused_quickly_with_a_message(seed_settings, question, message):
    started = time.perf_counter()
    with pytest.raises(ValueError, match=message):
        answer(question, settings=seed_settings.with_(llm="extractive"))
    assert time.perf_counter() - started < 2


def test_control_characters_in_a_question_are_removed_not_fatal(seed_settings):
    a = answer("How much did\x00 Microsoft\x07 pledge?", settings=seed_settings.with_(llm="extractive"))
    assert "2.9 billion" in a.text and "\x00" not in a.question


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../x.txt", "x.txt"),
        ("..\\\\..\\\\evil.md", "evil.md"),
        ("/etc/passwd.txt", "passwd.txt"),
        ("my story (final).html", "my story _final_.html"),
        (".hidden.json", "hidden.json"),
    ],
)
def test_upload_names_stay_inside_the_uploads_folder(name, safe):
    assert safe_upload_name(name) == safe


@pytest.mark.parametrize("name", ["notes.xlsx", "script.sh", "noext", "..", ".txt"])
def test_upload_of_other_types_is_refused(name):
    with pytest.raises(UnreadableArticle, match="accepted types"):
        safe_upload_name(name)


def test_upload_traversal_and_size_limit(fresh_settings, tmp_path, monkeypatch):
    src = tmp_path / "x.txt"
    src.write_text(GOOD, encoding="utf-8")
    report = add_uploads([(src, "../../x.txt")], settings=fresh_settings)
    assert report.indexed == ["uploads/x.txt"] and not report.rejected
    assert (fresh_settings.corpus_dir / "uploads" / "x.txt").exists()
    assert not (fresh_settings.corpus_dir.parent.parent / "x.txt").exists()
    monkeypatch.setattr(sys.modules["rag.ingest"], "MAX_UPLOAD_BYTES", 10)  # rag.ingest is also a function
    with pytest.raises(UnreadableArticle, match="upload limit"):
        save_upload(src, "big.txt", fresh_settings.corpus_dir / "uploads")


def test_answer_before_any_ingest_says_to_run_ingest(fresh_settings):
    from rag import IndexEmpty, RagError, answer

    with pytest.raises(IndexEmpty, match="rag ingest") as caught:
        answer("How much did TSMC's factory cost?", settings=fresh_settings)
    assert isinstance(caught.value, RagError)
