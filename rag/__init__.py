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

from .pipeline import IngestReport, answer, ingest, stream_answer
from .schema import Answer, Citation
from .settings import Settings

__all__ = ["Answer", "Citation", "IngestReport", "Settings", "answer", "ingest", "stream_answer"]
