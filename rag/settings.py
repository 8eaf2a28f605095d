"""All configuration in one frozen dataclass, read from environment variables by `Settings.from_env()`.

Every variable is documented in the README table; keep the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

RETRIEVAL_MODES = ("hybrid", "dense", "lexical")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


def _env_str(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("data/index")
    chroma_url: str = ""  # e.g. http://chroma-host:8000: a Chroma server instead of the embedded store
    llm: str = "llamacpp"
    ollama_model: str = "llama3.2"
    ollama_host: str = "http://127.0.0.1:11434"
    ollama_timeout_s: float = 120.0
    # Any OpenAI-compatible server: llama.cpp's own, vLLM, LM Studio, LocalAI, a hosted API.
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_model: str = ""  # "": the first model the server lists
    openai_api_key: str = ""
    openai_timeout_s: float = 120.0
    fallback: str = ""  # "embedded": when a served model fails, the embedded model answers instead
    top_k: int = 4
    # Candidates each retriever (dense, lexical) hands to the fusion step.
    candidates: int = 30
    retrieval: str = "hybrid"  # hybrid | dense | lexical
    rrf_k: int = 60
    # Weights of the two rankings in the fusion (chosen on squad2-dev; see eval/RESULTS.md).
    dense_weight: float = 1.0
    lexical_weight: float = 2.0
    # Fused candidates reordered by their best sentence (retrieve.py); 0 turns the rerank off.
    rerank_depth: int = 10
    chunk_tokens: int = 200
    chunk_overlap_tokens: int = 32
    max_question_chars: int = 2000
    llm_context_tokens: int = 4096
    max_answer_tokens: int = 300
    # Sentences in a summary, comparison, list or why/how answer (rag/synthesis.py).
    max_answer_sentences: int = 5
    llm_threads: int = 0  # 0: let llama.cpp pick (all physical cores)
    embed_batch_size: int = 32
    embed_processes: int = 1  # >1: ingest embeds in that many worker processes
    embed_backend: str = "auto"  # auto | torch | bf16 | onnx | onnx-int8 (rag/embed.py, rag/onnx_embed.py)
    embed_threads: int = 0  # threads for embedding (torch / onnxruntime); 0: the library's choice
    feed_interval_min: int = 0  # `rag serve` updates the feeds this often in the background; 0: never
    host: str = "127.0.0.1"
    port: int = 7860
    # The date "last month" and "latest" are reckoned from (YYYY-MM-DD); "" means the machine's today.
    # Tests and eval runs fix it so answers about relative time do not change with the calendar.
    today: str = ""

    def __post_init__(self) -> None:
        from .generate import BACKENDS  # the registry names the backends; it imports this module

        if self.llm not in BACKENDS:
            raise ValueError(f"RAG_LLM must be one of {', '.join(BACKENDS)}, got {self.llm!r}")
        if self.retrieval not in RETRIEVAL_MODES:
            modes = ", ".join(RETRIEVAL_MODES)
            raise ValueError(f"RAG_RETRIEVAL must be one of {modes}, got {self.retrieval!r}")
        from .embed import EMBED_BACKENDS

        if self.embed_backend not in EMBED_BACKENDS:
            raise ValueError(
                f"RAG_EMBED_BACKEND must be one of {', '.join(EMBED_BACKENDS)}, got {self.embed_backend!r}"
            )
        if self.fallback not in ("", "embedded"):
            raise ValueError(f"RAG_FALLBACK must be 'embedded' or unset, got {self.fallback!r}")
        if not 1 <= self.top_k <= 50:
            raise ValueError(f"RAG_TOP_K must be between 1 and 50, got {self.top_k}")
        if not 1 <= self.max_answer_sentences <= 20:
            raise ValueError(
                f"RAG_MAX_ANSWER_SENTENCES must be between 1 and 20, got {self.max_answer_sentences}"
            )
        if not 32 <= self.chunk_tokens <= 254:
            # all-MiniLM-L6-v2 reads 256 word pieces including [CLS] and [SEP]; past that text is ignored.
            raise ValueError(f"RAG_CHUNK_TOKENS must be between 32 and 254, got {self.chunk_tokens}")
        if self.today:
            try:
                date.fromisoformat(self.today)
            except ValueError:
                raise ValueError(f"RAG_TODAY must be a date like 2026-03-31, got {self.today!r}") from None

    def reference_date(self) -> date:
        """Today, or RAG_TODAY when set."""
        return date.fromisoformat(self.today) if self.today else date.today()

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Build settings from `RAG_*` / `OLLAMA_HOST` environment variables; keyword overrides win."""
        d = cls()
        values: dict[str, Any] = {
            "corpus_dir": Path(_env_str("RAG_CORPUS_DIR", str(d.corpus_dir))),
            "index_dir": Path(_env_str("RAG_INDEX_DIR", str(d.index_dir))),
            "chroma_url": _env_str("RAG_CHROMA_URL", d.chroma_url),
            "llm": _env_str("RAG_LLM", d.llm).lower(),
            "ollama_model": _env_str("RAG_OLLAMA_MODEL", d.ollama_model),
            "ollama_host": _env_str("OLLAMA_HOST", d.ollama_host),
            "ollama_timeout_s": _env_float("RAG_OLLAMA_TIMEOUT", d.ollama_timeout_s),
            "openai_base_url": _env_str("RAG_OPENAI_BASE_URL", d.openai_base_url),
            "openai_model": _env_str("RAG_OPENAI_MODEL", d.openai_model),
            "openai_api_key": _env_str("RAG_OPENAI_API_KEY", d.openai_api_key),
            "openai_timeout_s": _env_float("RAG_OPENAI_TIMEOUT", d.openai_timeout_s),
            "fallback": _env_str("RAG_FALLBACK", d.fallback).lower(),
            "top_k": _env_int("RAG_TOP_K", d.top_k),
            "candidates": _env_int("RAG_CANDIDATES", d.candidates),
            "retrieval": _env_str("RAG_RETRIEVAL", d.retrieval).lower(),
            "rrf_k": _env_int("RAG_RRF_K", d.rrf_k),
            "dense_weight": _env_float("RAG_DENSE_WEIGHT", d.dense_weight),
            "lexical_weight": _env_float("RAG_LEXICAL_WEIGHT", d.lexical_weight),
            "rerank_depth": _env_int("RAG_RERANK_DEPTH", d.rerank_depth),
            "chunk_tokens": _env_int("RAG_CHUNK_TOKENS", d.chunk_tokens),
            "chunk_overlap_tokens": _env_int("RAG_CHUNK_OVERLAP", d.chunk_overlap_tokens),
            "max_question_chars": _env_int("RAG_MAX_QUESTION_CHARS", d.max_question_chars),
            "llm_context_tokens": _env_int("RAG_LLM_CONTEXT", d.llm_context_tokens),
            "max_answer_tokens": _env_int("RAG_MAX_ANSWER_TOKENS", d.max_answer_tokens),
            "max_answer_sentences": _env_int("RAG_MAX_ANSWER_SENTENCES", d.max_answer_sentences),
            "llm_threads": _env_int("RAG_LLM_THREADS", d.llm_threads),
            "embed_batch_size": _env_int("RAG_EMBED_BATCH", d.embed_batch_size),
            "embed_processes": _env_int("RAG_EMBED_PROCESSES", d.embed_processes),
            "embed_backend": _env_str("RAG_EMBED_BACKEND", d.embed_backend).lower(),
            "embed_threads": _env_int("RAG_EMBED_THREADS", d.embed_threads),
            "feed_interval_min": _env_int("RAG_FEED_INTERVAL", d.feed_interval_min),
            "host": _env_str("RAG_HOST", d.host),
            "port": _env_int("RAG_PORT", d.port),
            "today": _env_str("RAG_TODAY", d.today),
        }
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        values.update(overrides)
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)
