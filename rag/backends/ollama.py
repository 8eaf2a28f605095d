"""A chat model served by Ollama (`OLLAMA_HOST`), streamed from `/api/chat` with the official client."""

from __future__ import annotations

from collections.abc import Iterator

from .. import followup
from ..errors import GeneratorUnavailable
from ..generate import GeneratorKind, Prompt
from ..settings import Settings


class Ollama:
    name = "ollama"
    kind = GeneratorKind.CHAT

    def __init__(self, settings: Settings) -> None:
        import ollama

        self.settings = settings
        self.model = settings.ollama_model
        self.host = settings.ollama_host
        self.label = f"{self.model} on Ollama at {self.host}"
        self.client = ollama.Client(host=settings.ollama_host, timeout=settings.ollama_timeout_s)

    def _unavailable(self, error: Exception) -> GeneratorUnavailable:
        import httpx
        import ollama

        if isinstance(error, ollama.ResponseError):
            if error.status_code == 404:
                return GeneratorUnavailable(
                    f"Ollama at {self.host} has no model {self.model!r}: run `ollama pull {self.model}` "
                    "or set RAG_OLLAMA_MODEL"
                )
            return GeneratorUnavailable(f"Ollama at {self.host} returned an error: {error.error}")
        if isinstance(error, httpx.TimeoutException):
            return GeneratorUnavailable(
                f"Ollama at {self.host} did not answer within {self.settings.ollama_timeout_s:g} s "
                "(RAG_OLLAMA_TIMEOUT)"
            )
        if isinstance(error, ConnectionError | httpx.TransportError):
            return GeneratorUnavailable(
                f"Ollama at {self.host} is not reachable: start it with `ollama serve`, set OLLAMA_HOST, "
                "or set RAG_LLM=llamacpp for the embedded model"
            )
        return GeneratorUnavailable(f"Ollama at {self.host} failed: {type(error).__name__}: {error}")

    def stream(self, prompt: Prompt, max_tokens: int) -> Iterator[str]:
        try:
            for part in self.client.chat(
                model=self.model,
                messages=prompt.chat_messages(),
                stream=True,
                options={"temperature": 0, "num_predict": max_tokens},
            ):
                piece = part["message"]["content"]
                if piece:
                    yield piece
        except GeneratorUnavailable:
            raise
        except Exception as e:  # the client raises httpx, ollama and connection errors alike
            raise self._unavailable(e) from e

    def rewrite_query(self, question: str, history: list[tuple[str, str]]) -> str:
        try:
            reply = self.client.chat(
                model=self.model,
                messages=followup.chat_messages(question, history),
                stream=False,
                options={"temperature": 0, "num_predict": 60},
            )
        except Exception as e:
            raise self._unavailable(e) from e
        return str(reply["message"]["content"])
