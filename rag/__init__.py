"""Cited answers from a local corpus of news articles.

from rag import answer
a = answer("How much did TSMC's first plant in Japan cost?")
print(a.text, [c.title for c in a.citations])
"""

from __future__ import annotations

import os

# Every model comes from a local package; never let a library reach for a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from . import feeds
from .components import components, reset_components
from .corpus import IngestBusy, IngestReport, UploadReport, add_uploads, ingest, list_articles
from .errors import (
    GeneratorUnavailable,
    IndexBusy,
    IndexEmpty,
    IndexProblem,
    InvalidQuestion,
    RagError,
    UnreadableArticle,
)
from .generate import BACKENDS, Backend, GeneratorKind, make_generator
from .pipeline import answer, stream_answer
from .policy import DEFAULT_POLICY, Policy
from .schema import AbstainReason, Answer, Citation, Passage
from .settings import Settings

__all__ = [
    "BACKENDS",
    "DEFAULT_POLICY",
    "AbstainReason",
    "Answer",
    "Backend",
    "Citation",
    "GeneratorKind",
    "GeneratorUnavailable",
    "IndexBusy",
    "IndexEmpty",
    "IndexProblem",
    "IngestBusy",
    "IngestReport",
    "InvalidQuestion",
    "Passage",
    "Policy",
    "RagError",
    "Settings",
    "UnreadableArticle",
    "UploadReport",
    "add_uploads",
    "answer",
    "components",
    "feeds",
    "ingest",
    "list_articles",
    "make_generator",
    "reset_components",
    "stream_answer",
]
