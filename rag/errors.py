"""One error family: catch `RagError` and show its message; each subclass says what to do about it."""

from __future__ import annotations


class RagError(Exception):
    """Base of every error this package raises on purpose; the message is for people."""


class InvalidQuestion(RagError, ValueError):
    """The question (or a date or filter that came with it) cannot be asked: empty, too long, malformed."""


class IndexEmpty(RagError, RuntimeError):
    """Nothing is indexed yet, so there is nothing to answer from."""


class IndexBusy(RagError, RuntimeError):
    """Another ingest holds the index lock."""


class IndexProblem(RagError, RuntimeError):
    """The index is missing, corrupt or out of step; the message says how to fix it."""


class GeneratorUnavailable(RagError, RuntimeError):
    """The backend cannot answer (server down, model missing, timeout)."""


class UnreadableArticle(RagError, ValueError):
    """A file or record that cannot become an article."""
