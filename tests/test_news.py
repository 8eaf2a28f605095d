"""News-aware behaviour on a real index of eval/qa/dated/corpus: publication dates and sources on every
article, date and source filters on both retrievers, latest / first / timeline answers, revisions, and
syndicated copies indexed once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rag import add_uploads, answer, components, ingest
from rag.index import Filter, Index
from rag.ingest import load_corpus, load_file
from rag.syndicate import NUM_PERM, merge_copies

from .conftest import DATED_CORPUS, ROOT

TODAY = "2026-03-31"


# --- dates and sources at ingest ------------------------------------------------------------------


def test_every_dated_article_gets_its_date_and_source_from_its_format():
    articles, problems = load_corpus(DATED_CORPUS)
    assert not problems
    by_id = {a.id: a for a in articles}
    # front matter
    assert (by_id["harrowgate-steel.md"].published_at, by_id["harrowgate-steel.md"].source) == (
        "2025-07-22",
        "Velmora Courier",
    )
    # HTML <meta property="article:published_time">, read by trafilatura/htmldate
    assert by_id["norrick-rate-cut.html"].published_at == "2026-03-18"
    assert by_id["norrick-rate-cut.html"].source == "Financial Ledger"
    # a dateline in the text: "PORT ELLIS, 12 January 2026 (Harbour Wire) — ..."
    assert (by_id["orvane-new-ceo.txt"].published_at, by_id["orvane-new-ceo.txt"].source) == (
        "2026-01-12",
        "Harbour Wire",
    )
    assert all(a.published_at for a in articles)


def test_json_dates_in_other_formats_are_normalised(tmp_path: Path):
    f = tmp_path / "a.jsonl"
    rows = [
        {"title": "One", "body": "Alpha beta gamma delta.", "published_at": "March 3, 2026", "source": "X"},
        {"title": "Two", "body": "Epsilon zeta eta theta.", "date": "2026-03-04T10:00:00Z"},
        {"title": "Three", "body": "Iota kappa lambda mu."},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows))
    articles, _ = load_file(f)
    assert [a.published_at for a in articles] == ["2026-03-03", "2026-03-04", ""]


def test_syndicated_copies_merge_but_revisions_do_not():
    articles, _ = load_corpus(DATED_CORPUS)
    kept, merged = merge_copies(articles)
    assert sorted(merged) == [
        ("harrowgate-approved-lakeside.md", "harrowgate-approved.md"),
        ("harrowgate-delay-lakeside.md", "harrowgate-delay.md"),
        ("kestrel-q1-passengers-copy.md", "kestrel-q1-passengers.md"),
    ]
    assert len(kept) == 20
    delay = next(a for a in kept if a.id == "harrowgate-delay.md")
    assert [(r.source, r.published_at) for r in delay.copies] == [("Lakeside Post", "2026-01-16")]
    # The same story with one figure revised is a new report, not a copy.
    approved = next(a for a in kept if a.id == "harrowgate-approved.md")
    revised = approved.__class__(**{**approved.__dict__, "id": "rev.md", "copies": ()})
    revised = revised.__class__(
        **{**revised.__dict__, "body": approved.body.replace("84 million", "91 million")}
    )
    _, merged_again = merge_copies([approved, revised])
    assert merged_again == []


def test_the_index_holds_each_story_once_with_all_its_sources(dated_settings):
    stored = components(dated_settings).index.stored_articles()
    assert len(stored) == 20
    assert "harrowgate-delay-lakeside.md" not in stored
    assert [r.source for r in stored["harrowgate-delay.md"].copies] == ["Lakeside Post"]
    assert ingest(settings=dated_settings).chunks_embedded == 0  # merging is stable: nothing to redo


def test_status_reports_dates_and_copies(dated_settings):
    env = {
        **os.environ,
        "RAG_CORPUS_DIR": str(dated_settings.corpus_dir),
        "RAG_INDEX_DIR": str(dated_settings.index_dir),
    }
    out = subprocess.run(
        [sys.executable, "-m", "rag.cli", "status"], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    assert "20 (0 without a date; 3 syndicated copies merged in)" in out.stdout
    assert "published:  2025-02-10 to 2026-03-25" in out.stdout


# --- filters ------------------------------------------------------------------------------------------


def test_date_filter_applies_to_both_retrievers(dated_settings):
    parts = components(dated_settings)
    where = Filter(since=20250601, until=20251231)
    vector = parts.embedder.encode(["Harrowgate Bridge cost"])[0]
    dense = parts.index.dense_search(vector, 30, where)
    lexical = parts.index.lexical_search("Harrowgate Bridge cost", 30, where)
    assert dense and lexical
    assert all("2025-06-01" <= c.published_at <= "2025-12-31" for c, _ in dense)
    chunks = parts.index.chunks([cid for cid, _ in lexical])
    assert all("2025-06-01" <= c.published_at <= "2025-12-31" for c in chunks.values())
    # unfiltered, the other Harrowgate reports are found too
    everything = parts.index.lexical_search("Harrowgate Bridge cost", 30)
    assert len({parts.index.chunks([cid])[cid].published_at for cid, _ in everything}) >= 3


def test_source_filter_matches_syndicated_copies(dated_settings):
    parts = components(dated_settings)
    hits = parts.retriever.passages_for("bridge cost", 10, Filter(sources=("Lakeside Post",)))
    # Lakeside Post ran two of the Harrowgate stories as copies; they are indexed under the originals.
    assert {p.chunk.article_id for p in hits} == {"harrowgate-approved.md", "harrowgate-delay.md"}
    assert all("Lakeside Post" in [r.source for r in p.chunk.copies] for p in hits)


# --- answers ----------------------------------------------------------------------------------------


def test_scoped_question_cites_only_that_period(dated_settings):
    a = answer("What was the Harrowgate Bridge estimated to cost in July 2025?", settings=dated_settings)
    assert not a.abstained and "97 million" in a.text
    assert (a.since, a.until) == ("2025-07-01", "2025-07-31")
    assert a.citations and all("2025-07-01" <= c.published_at <= "2025-07-31" for c in a.citations)


def test_empty_period_abstains_and_says_so(dated_settings):
    a = answer("What was the cost estimate of the Harrowgate Bridge in 2024?", settings=dated_settings)
    assert a.abstained
    assert (
        a.text
        == "The corpus doesn't say: it has nothing on this between 1 January 2024 and 31 December 2024."
    )
    # A period with articles, but none on the subject, abstains too rather than answering from elsewhere.
    b = answer("What did Norrick Bank decide in May 2025?", settings=dated_settings, today=TODAY)
    assert b.abstained and "May 2025" in b.text


def test_latest_takes_the_newest_report_and_names_the_revision(dated_settings):
    a = answer("What is the latest cost estimate for the Harrowgate Bridge?", settings=dated_settings)
    assert a.text.startswith("As of 15 January 2026:") and "112 million" in a.text
    assert "revises an earlier report" in a.text
    assert a.citations[0].published_at == "2026-01-15" and "112 million" in a.citations[0].quote
    older = a.citations[1]
    assert older.published_at < "2026-01-15" and older.quote and "112 million" not in older.quote
    assert a.citations[0].sources == ["Regional Wire", "Lakeside Post"]  # the syndicated copy is listed


def test_a_question_without_time_words_still_gets_the_newest_figure(dated_settings):
    a = answer("How much will the Harrowgate Bridge cost?", settings=dated_settings)
    assert "112 million" in a.citations[0].quote and "revises" in a.text


def test_a_newer_figure_about_another_subject_is_no_revision(dated_settings):
    # The bridge's cost, reported after the tram opened, was given as the tram's newest cost.
    a = answer("How much did the tram cost?", settings=dated_settings, today="2026-04-01")
    assert "45 million" in a.text and "112 million" not in a.text and "revises" not in a.text, a.text


def test_asked_as_of_a_day_the_latest_is_the_newest_report_by_then(dated_settings):
    # On 1 December 2025 the January 2026 revision (112 million) had not been published yet.
    a = answer("How much will the Harrowgate Bridge cost?", settings=dated_settings, today="2025-12-01")
    assert "97 million" in a.text and "112 million" not in a.text
    assert a.citations and all(c.published_at <= "2025-12-01" for c in a.citations)


def test_first_takes_the_oldest_report(dated_settings):
    a = answer("How much was the Harrowgate Bridge originally estimated to cost?", settings=dated_settings)
    assert a.text.startswith("First reported on 10 February 2025:") and "84 million" in a.citations[0].quote
    assert a.time_order == "first"


def test_history_lists_the_values_in_date_order(dated_settings):
    a = answer("How has the water level in Lake Sarn changed over time?", settings=dated_settings)
    lines = a.text.splitlines()[1:]
    assert [line.split(":")[0] for line in lines] == [
        "- 12 June 2025",
        "- 30 August 2025",
        "- 5 February 2026",
    ]
    assert [c.published_at for c in a.citations] == ["2025-06-12", "2025-08-30", "2026-02-05"]
    assert all(f"[{c.n}]" in line for c, line in zip(a.citations, lines, strict=True))


def test_relative_dates_use_the_given_today(dated_settings):
    a = answer(
        "How many new aircraft did Kestrel Air order last month?", settings=dated_settings, today="2026-04-10"
    )
    # "Last month" is a rolling window from the start of March (less a grace) to today.
    assert not a.abstained and "12 new" in a.text and (a.since, a.until) == ("2026-02-26", "2026-04-10")
    b = answer(
        "How many new aircraft did Kestrel Air order last month?",
        settings=dated_settings.with_(today="2026-06-10"),  # RAG_TODAY: May 2026 has nothing
    )
    # A relative period is evidence, not a wall: the closest report answers and says its date.
    assert not b.abstained and "12 new" in b.text
    assert b.text.startswith("The closest report, from ") and (b.since, b.until) == ("", "")


def test_a_relative_period_with_nothing_on_the_story_is_answered_from_the_closest_reports(dated_settings):
    a = answer("What did Orvane Robotics announce last week?", settings=dated_settings, today="2026-03-31")
    assert not a.abstained and "Tessaly" in a.text, (a.text, a.notes)
    # The month up to the closest report, on Orvane only: not its 2025 revenue reports, not Kestrel Air.
    assert "2025)" not in a.text and "Kestrel" not in a.text


def test_explicit_filters_narrow_the_search(dated_settings):
    a = answer(
        "What did the council say about the Harrowgate Bridge?",
        settings=dated_settings,
        since="2025-07-01",
        until="2025-12-31",
    )
    assert a.citations and all("2025-07-01" <= c.published_at <= "2025-12-31" for c in a.citations)
    b = answer("Harrowgate Bridge cost", settings=dated_settings, sources=["Lakeside Post"])
    assert b.citations and all("Lakeside Post" in c.sources for c in b.citations)
    with pytest.raises(ValueError, match="since must be a date"):
        answer("Harrowgate Bridge cost", settings=dated_settings, since="last Tuesday-ish")
    with pytest.raises(ValueError, match="is after until"):
        answer("Harrowgate Bridge cost", settings=dated_settings, since="2026-01-01", until="2025-01-01")
    # A month or a year is taken whole: from its first day, up to its last.
    c = answer("Harrowgate Bridge cost", settings=dated_settings, since="2025-07", until="July 2025")
    assert (c.since, c.until) == ("2025-07-01", "2025-07-31")
    assert {x.published_at for x in c.citations} == {"2025-07-22"}


def test_cli_ask_takes_date_and_source_filters(dated_settings):
    env = {
        **os.environ,
        "RAG_CORPUS_DIR": str(dated_settings.corpus_dir),
        "RAG_INDEX_DIR": str(dated_settings.index_dir),
        "RAG_LLM": "extractive",
    }
    args = ["ask", "Harrowgate Bridge cost", "--since", "2025-07-01", "--until", "2025-07-31", "--json"]
    out = subprocess.run(
        [sys.executable, "-m", "rag.cli", *args], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["since"] == "2025-07-01" and {c["published_at"] for c in result["citations"]} == {
        "2025-07-22"
    }
    bad = subprocess.run(
        [sys.executable, "-m", "rag.cli", "ask", "x", "--until", "2025-13-45"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and "until must be a date like" in bad.stderr


def test_uploaded_syndicated_copy_is_listed_not_indexed(tmp_path: Path, fresh_settings):
    shutil.copy(DATED_CORPUS / "kestrel-strike.md", fresh_settings.corpus_dir)
    ingest(settings=fresh_settings)
    stale_lexical = tmp_path / "lexical-before"
    shutil.copytree(fresh_settings.index_dir / "lexical", stale_lexical)
    copy = tmp_path / "strike.md"
    copy.write_text(
        (DATED_CORPUS / "kestrel-strike.md")
        .read_text()
        .replace("source: Aviation Daily Digest", "source: Brindle Evening News")
        .replace("date: 2025-10-03", "date: 2025-10-04")
    )
    report = add_uploads([(copy, "strike.md")], settings=fresh_settings)
    assert report.indexed == [] and report.rejected == []
    assert report.merged == ["strike.md: the same story as kestrel-strike.md, listed as another source"]
    stored = components(fresh_settings).index.stored_articles()
    assert list(stored) == ["kestrel-strike.md"]
    assert [(r.source, r.published_at) for r in stored["kestrel-strike.md"].copies] == [
        ("Brindle Evening News", "2025-10-04")
    ]
    a = answer("How many flights did Kestrel Air cancel?", settings=fresh_settings)
    assert a.citations[0].sources == ["Aviation Daily Digest", "Brindle Evening News"]
    # Another replica whose BM25 side was built before the copy arrived (its own RAG_INDEX_DIR, one shared
    # Chroma): the chunk ids changed with the source list, so it rebuilds and sees the copy's outlet.
    by_copy = Filter(sources=("Brindle Evening News",))
    shutil.rmtree(fresh_settings.index_dir / "lexical")
    shutil.copytree(stale_lexical, fresh_settings.index_dir / "lexical")
    assert Index(fresh_settings).lexical_search("Kestrel flights cancelled", 5, by_copy)
    # Deleting the copy's file takes it off the list again.
    (fresh_settings.corpus_dir / "uploads" / "strike.md").unlink()
    ingest(settings=fresh_settings)
    assert components(fresh_settings).index.stored_articles()["kestrel-strike.md"].copies == ()
    assert Index(fresh_settings).lexical_search("Kestrel flights cancelled", 5, by_copy) == []


# --- the Ollama backend on dated questions (a wire-protocol server: no Ollama can run here) ----------------


def _newest_passage(request: dict) -> str:
    """The passage number the prompt tells the model to answer from."""
    import re

    return re.search(r"newest report, passage \[(\d+)\]", request["messages"][-1]["content"])[1]


def test_ollama_is_told_which_report_is_newest_and_its_answer_is_kept(dated_settings):
    from .ollama_wire import FakeOllama

    def reply(request: dict) -> str:
        n = _newest_passage(request)
        return f"As of 15 January 2026 the Harrowgate Bridge is estimated at 112 million euros [{n}]."

    with FakeOllama(reply) as server:
        a = answer(
            "What is the latest cost estimate for the Harrowgate Bridge?",
            settings=dated_settings.with_(llm="ollama", ollama_host=server.url, ollama_timeout_s=10),
        )
    user = server.requests[-1]["messages"][-1]["content"]
    assert "(Regional Wire, 2026-01-15)" in user  # every passage carries its source and date
    assert a.backend == "ollama" and a.text.startswith("As of 15 January 2026 the Harrowgate")
    assert a.text.count("15 January 2026") == 1  # the model said the date; it is not said twice
    assert "revises an earlier report" in a.text and len(a.citations) == 2


def test_ollama_answer_from_a_stale_report_is_replaced(dated_settings):
    from .ollama_wire import FakeOllama

    def reply(request: dict) -> str:
        content = request["messages"][-1]["content"]
        stale = next(n for n in range(1, 9) if f"[{n}] Velmora council approves" in content)
        return f"The bridge is estimated to cost 84 million euros [{stale}]."

    with FakeOllama(reply) as server:
        a = answer(
            "What is the latest cost estimate for the Harrowgate Bridge?",
            settings=dated_settings.with_(llm="ollama", ollama_host=server.url, ollama_timeout_s=10),
        )
    assert a.backend == "extractive" and a.text.startswith("As of 15 January 2026:")
    assert "112 million" in a.citations[0].quote
    assert "the model's answer does not rely on the report the dates point to" in a.notes


def test_a_report_that_names_the_period_answers_when_none_was_published_in_it(dated_settings):
    # Nothing was published in 2024, but the March 2025 results report is about 2024.
    a = answer("What was the annual revenue of Orvane Robotics in 2024?", settings=dated_settings)
    assert not a.abstained and "310 million" in a.text
    assert any("speaks of “in 2024” itself" in n for n in a.notes) and (a.since, a.until) == ("", "")
    # ... but a report that does not name the period does not count.
    b = answer("What was the cost estimate of the Harrowgate Bridge in 2024?", settings=dated_settings)
    assert b.abstained


def test_signature_cache_is_reused_and_a_damaged_one_is_only_recomputed(fresh_settings):
    for name in ("harrowgate-delay.md", "harrowgate-delay-lakeside.md", "velmora-tram.md"):
        shutil.copy(DATED_CORPUS / name, fresh_settings.corpus_dir)
    first = ingest(settings=fresh_settings)
    cache = fresh_settings.index_dir / "signatures.npz"
    assert first.duplicates == [("harrowgate-delay-lakeside.md", "harrowgate-delay.md")] and cache.exists()
    cache.write_bytes(b"not a numpy file")
    again = ingest(settings=fresh_settings)
    assert again.duplicates == first.duplicates and again.chunks_embedded == 0
    import numpy as np

    with np.load(cache) as data:  # rewritten whole, one signature per article body
        assert len(data["keys"]) == 3 and data["values"].shape == (3, NUM_PERM)


def test_two_dates_figures_are_never_quoted_side_by_side_silently(dated_settings):
    # No "how much" here, but the two best sentences are reports of one figure from different years.
    a = answer("What was the annual revenue of Orvane Robotics?", settings=dated_settings)
    assert a.text.startswith("As of 20 February 2026:") and "355 million" in a.citations[0].quote
    assert "revises an earlier report of 5 March 2025" in a.text and "310 million" in a.citations[1].quote
