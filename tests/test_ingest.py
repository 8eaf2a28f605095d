import json

import numpy as np
import pytest

from rag import ingest
from rag.index import Index
from rag.ingest import load_corpus

ARTICLE = "Harbour Bridge reopens\n\nThe Harbour Bridge in Portvale reopened on Monday after repairs costing 12 million euros.\n\nOfficials said traffic would be light."


def test_every_supported_format_becomes_an_article(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.md").write_text(
        "---\ntitle: Mill closes\ndate: 2025-03-04\nsource: Valley Post\n---\nThe old mill in Ardmore closed its doors after 90 years.\n",
        encoding="utf-8",
    )
    (tmp_path / "c.html").write_text(
        "<html><head><title>Port strike ends</title><meta property='article:published_time' content='2025-05-06'>"
        "<script>alert('x')</script></head><body><nav>Home | World | Sport</nav><article><h1>Port strike ends</h1>"
        "<p>Dock workers in Saltmere ended their strike on Tuesday after a pay deal of 6 per cent was agreed with the port authority.</p>"
        "<p>The strike had lasted three weeks and held up hundreds of containers bound for inland factories.</p></article></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "d.json").write_text(
        json.dumps(
            {
                "title": "Rail line opens",
                "body": "The rail line to Kessock opened to passengers.",
                "published_at": "2025-07-01",
                "source": "Wire",
                "url": "https://example.org/rail",
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "e.jsonl").write_text(
        json.dumps({"title": "Ferry fares rise", "body": "Ferry fares to Inchmore rose by 4 per cent."})
        + "\n{not json\n"
        + json.dumps({"title": "No body"})
        + "\n",
        encoding="utf-8",
    )
    articles, problems = load_corpus(tmp_path)
    by_title = {a.title: a for a in articles}
    assert set(by_title) == {
        "Harbour Bridge reopens",
        "Mill closes",
        "Port strike ends",
        "Rail line opens",
        "Ferry fares rise",
    }
    assert by_title["Mill closes"].published_at == "2025-03-04"
    assert by_title["Mill closes"].source == "Valley Post"
    assert by_title["Port strike ends"].published_at == "2025-05-06"
    assert (
        "alert" not in by_title["Port strike ends"].body and "Sport" not in by_title["Port strike ends"].body
    )
    assert "6 per cent" in by_title["Port strike ends"].body
    assert by_title["Rail line opens"].url == "https://example.org/rail"
    assert sorted((p.line, "JSON" in p.reason or "body" in p.reason) for p in problems) == [
        (2, True),
        (3, True),
    ]


def test_unreadable_files_are_reported_and_the_rest_still_indexes(fresh_settings):
    corpus = fresh_settings.corpus_dir
    (corpus / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "latin1.txt").write_bytes("Caf\xe9 opens\n\nA caf\xe9 opened.".encode("latin-1"))
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "broken.json").write_text("{", encoding="utf-8")
    report = ingest(settings=fresh_settings)
    assert report.added == ["good.txt"]
    reasons = {p.path.rsplit("/", 1)[-1]: p.reason for p in report.problems}
    assert "UTF-8" in reasons["latin1.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "invalid JSON" in reasons["broken.json"]


def test_unchanged_article_is_not_reembedded_edited_is_replaced_deleted_is_removed(fresh_settings):
    corpus = fresh_settings.corpus_dir
    (corpus / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "mill.txt").write_text(
        "Mill closes\n\nThe old mill in Ardmore closed after 90 years.", encoding="utf-8"
    )
    first = ingest(settings=fresh_settings)
    assert sorted(first.added) == ["bridge.txt", "mill.txt"] and first.chunks_embedded >= 2

    again = ingest(settings=fresh_settings)
    assert again.chunks_embedded == 0 and again.unchanged == 2 and not again.changed

    (corpus / "bridge.txt").write_text(ARTICLE.replace("12 million", "15 million"), encoding="utf-8")
    (corpus / "mill.txt").unlink()
    third = ingest(settings=fresh_settings)
    assert third.updated == ["bridge.txt"] and third.removed == ["mill.txt"]

    index = Index(fresh_settings)
    stored = index.stored_articles()
    assert set(stored) == {"bridge.txt"}
    texts = " ".join(c.text for c in index.chunks(index.collection.get()["ids"]).values())
    assert "15 million" in texts and "12 million" not in texts and "Ardmore" not in texts
    index.ensure_lexical()
    assert sorted(index.lexical.ids) == sorted(index.collection.get()["ids"])  # BM25 agrees with Chroma
    assert index.lexical_search("Ardmore mill", 5) == []


def test_same_article_under_two_names_is_indexed_once(fresh_settings):
    (fresh_settings.corpus_dir / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (fresh_settings.corpus_dir / "two copy.txt").write_text(ARTICLE, encoding="utf-8")
    report = ingest(settings=fresh_settings)
    assert report.added == ["one.txt"] and report.duplicates == [("two copy.txt", "one.txt")]


@pytest.mark.slow
def test_embedding_in_two_worker_processes_gives_the_same_vectors(fresh_settings, monkeypatch):
    from rag.embed import Embedder

    monkeypatch.setattr(Embedder, "POOL_MIN_TEXTS", 1)  # use the pool even for a handful of texts
    pooled = Embedder(processes=2)
    texts = [f"The ferry to Holm island number {i} left on time." for i in range(40)]
    assert pooled.pool is not None
    assert np.allclose(pooled.encode(texts), Embedder().encode(texts), atol=1e-5)
