"""Any server that speaks the OpenAI chat-completions API: llama.cpp's own server, vLLM, LM Studio,
LocalAI, or a hosted API (`RAG_OPENAI_BASE_URL`, `RAG_OPENAI_MODEL`, `RAG_OPENAI_API_KEY`).

The official `openai` client speaks the protocol (streaming over server-sent events, error bodies);
retries are off so a dead server is reported at once and `RAG_FALLBACK=embedded` can step in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import followup
from ..errors import GeneratorUnavailable
from ..generate import GeneratorKind, Prompt
from ..settings import Settings


class OpenAICompatible:
    name = "openai"
    kind = GeneratorKind.CHAT

    def __init__(self, settings: Settings) -> None:
        import openai

        self.settings = settings
        self.base_url = settings.openai_base_url
        self.client = openai.OpenAI(
            base_url=settings.openai_base_url,
            # Local servers ignore the key, but the client refuses to start without one.
            api_key=settings.openai_api_key or "not-needed",
            timeout=settings.openai_timeout_s,
            max_retries=0,
        )
        self._model = settings.openai_model

    @property
    def model(self) -> str:
        """RAG_OPENAI_MODEL, or the server's first model (a local server usually serves exactly one)."""
        if not self._model:
            try:
                served = [m.id for m in self.client.models.list()]
            except Exception as e:
                raise self._unavailable(e) from e
            if not served:
                raise GeneratorUnavailable(f"{self.base_url} serves no model: set RAG_OPENAI_MODEL")
            self._model = served[0]
        return self._model

    @property
    def label(self) -> str:
        return f"{self._model or 'the served model'} at {self.base_url}"

    def _unavailable(self, error: Exception) -> GeneratorUnavailable:
        import openai

        where = f"The OpenAI-compatible server at {self.base_url}"
        if isinstance(error, openai.APITimeoutError):
            return GeneratorUnavailable(
                f"{where} did not answer within {self.settings.openai_timeout_s:g} s (RAG_OPENAI_TIMEOUT)"
            )
        if isinstance(error, openai.APIConnectionError):
            return GeneratorUnavailable(
                f"{where} is not reachable: start it, fix RAG_OPENAI_BASE_URL, or set RAG_LLM=llamacpp "
                "for the embedded model"
            )
        if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
            return GeneratorUnavailable(f"{where} refused the API key: set RAG_OPENAI_API_KEY")
        if isinstance(error, openai.NotFoundError):
            return GeneratorUnavailable(
                f"{where} has no model {self._model!r} (or no /chat/completions): check RAG_OPENAI_MODEL "
                "and that RAG_OPENAI_BASE_URL ends in /v1"
            )
        if isinstance(error, openai.APIStatusError):
            return GeneratorUnavailable(f"{where} returned HTTP {error.status_code}: {error.message}")
        return GeneratorUnavailable(f"{where} failed: {type(error).__name__}: {error}")

    def _chat(self, messages: list[dict[str, str]], max_tokens: int, stream: bool) -> Any:
        return self.client.chat.completions.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            stream=stream,
            temperature=0,
            max_tokens=max_tokens,
        )

    def stream(self, prompt: Prompt, max_tokens: int) -> Iterator[str]:
        try:
            for chunk in self._chat(prompt.chat_messages(), max_tokens, stream=True):
                piece = chunk.choices[0].delta.content if chunk.choices else None
                if piece:
                    yield piece
        except GeneratorUnavailable:
            raise
        except Exception as e:  # the client raises its own errors and httpx's alike
            raise self._unavailable(e) from e

    def rewrite_query(self, question: str, history: list[tuple[str, str]]) -> str:
        try:
            reply = self._chat(followup.chat_messages(question, history), 60, stream=False)
        except GeneratorUnavailable:
            raise
        except Exception as e:
            raise self._unavailable(e) from e
        return str(reply.choices[0].message.content or "")
