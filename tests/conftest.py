"""Shared fixtures: the real embedding model, a real Chroma index built from the real corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag import Settings, ingest
from rag.embed import Embedder, load_embedder

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "japan-best-partner-in-asia.txt"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder()


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for an index of the real corpus/, built once for the session."""
    base = tmp_path_factory.mktemp("seed")
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    settings = Settings.from_env(corpus_dir=corpus, index_dir=base / "index", llm="llamacpp")
    ingest(settings=settings)
    return settings


@pytest.fixture
def fresh_settings(tmp_path: Path) -> Settings:
    """An empty corpus folder and index of its own, for tests that change the corpus."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    return Settings.from_env(corpus_dir=corpus, index_dir=tmp_path / "index", llm="extractive")


DATED_CORPUS = ROOT / "eval" / "qa" / "dated" / "corpus"


@pytest.fixture(scope="session")
def dated_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An index of eval/qa/dated/corpus (20 dated stories, 3 syndicated copies), built once; extractive
    answers so the tests see what retrieval and the date logic chose, not what a model made of it."""
    base = tmp_path_factory.mktemp("dated")
    shutil.copytree(DATED_CORPUS, base / "corpus")
    settings = Settings.from_env(corpus_dir=base / "corpus", index_dir=base / "index", llm="extractive")
    ingest(settings=settings)
    return settings


# Fixtures that load the embedding model, an LLM, a server or a browser. Tests that use none of them are
# the `make test-fast` lane (policy, parsing, text, dates on hand-made data: milliseconds each).
MODEL_FIXTURES = {
    "embedder", "seed_settings", "dated_settings", "fresh_settings", "injected_settings", "chroma_url",
    "llama_server", "server_settings", "app_url", "dated_app_url", "browser", "tmp_path",
}  # fmt: skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)
