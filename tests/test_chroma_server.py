"""The same ingest and answer behaviour with the index in a real Chroma server (`chroma run`, shipped with
chromadb) on loopback, selected by RAG_CHROMA_URL."""

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rag import Settings, answer, ingest, reset_components

from .conftest import SEED
from .test_app import free_port
from .test_ingest import (
    test_unchanged_article_is_not_reembedded_edited_is_replaced_deleted_is_removed as incremental,
)

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("chroma run did not start") from None
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def server_settings(chroma_url, tmp_path):
    """An empty corpus whose index lives in the Chroma server (the collection is emptied first)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    settings = Settings.from_env(
        corpus_dir=corpus, index_dir=tmp_path / "index", llm="extractive", chroma_url=chroma_url
    )
    ingest(settings=settings, rebuild=True)
    yield settings
    reset_components()


def test_incremental_ingest_against_a_chroma_server(server_settings):
    incremental(server_settings)
    assert not (server_settings.index_dir / "chroma").exists()  # nothing was stored in the embedded store


def test_cited_answer_from_a_chroma_server(server_settings):
    shutil.copy(SEED, server_settings.corpus_dir / SEED.name)
    report = ingest(settings=server_settings)
    assert report.added == [SEED.name] and report.chunks_total > 5
    a = answer("How much did Microsoft pledge?", settings=server_settings)
    assert "2.9 billion" in a.text and a.citations[0].article_id == SEED.name
    assert ingest(settings=server_settings).chunks_embedded == 0  # the server's copy is current


def test_date_and_source_filters_on_a_chroma_server(server_settings):
    from .conftest import DATED_CORPUS

    shutil.rmtree(server_settings.corpus_dir)
    shutil.copytree(DATED_CORPUS, server_settings.corpus_dir)
    report = ingest(settings=server_settings)
    assert report.articles_total == 20 and len(report.duplicates) == 3
    a = answer("What was the Harrowgate Bridge estimated to cost in July 2025?", settings=server_settings)
    assert "97 million" in a.text and {c.published_at for c in a.citations} == {"2025-07-22"}
    b = answer("Harrowgate Bridge cost", settings=server_settings, sources=["Lakeside Post"])
    assert b.citations and all("Lakeside Post" in c.sources for c in b.citations)
