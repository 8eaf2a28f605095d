"""The lexical side of search: stemmed terms and a bm25s index over the chunks, with the same filters as
the Chroma side (dates, sources) applied as a mask.

The BM25 index is derived from Chroma's documents and fingerprinted by the chunk ids (see index.py), so
the two never disagree for long.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .schema import NO_FILTER, Filter

log = logging.getLogger(__name__)

_WORD = re.compile(r"[\w][\w'’.-]*\w|\w", re.UNICODE)


@cache
def _stemmer() -> Any:
    import Stemmer  # PyStemmer: Snowball stemmers, the one bm25s recommends

    return Stemmer.Stemmer("english")


@cache
def english_stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


@cache
def _function_words() -> frozenset[str]:
    return english_stopwords() | {"who", "what", "when", "where", "why", "how", "which"}


def _without_acronym_possessive(word: str) -> str:
    """ "WHO's" -> "WHO" (an acronym's possessive is still the acronym); other words as they are."""
    return word[:-2] if word.endswith("'s") and word[-3:-2].isupper() else word


def lexical_terms(text: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed terms; shared by indexing and querying so they match."""
    stop = english_stopwords()
    words = [_without_acronym_possessive(w.replace("’", "'")) for w in _WORD.findall(text)]
    # An acronym spelling a function word names something: "WHO", "US", "IT" stay as a term of their own
    # ("What is the WHO doing about monkeypox?" searched by "monkeypox" alone, and "who" is every relative
    # clause).
    acronyms = [w for w in words if len(w) > 1 and w.isupper() and w.lower() in _function_words()]
    kept = [w.lower() for w in words if w.lower() not in stop and w not in acronyms]
    return list(_stemmer().stemWords(kept)) + acronyms


# A name this long that no chunk has is known when a chunk's word starts with it.
NICKNAME_MIN_CHARS = 4


class LexicalIndex:
    """BM25 over chunk texts (bm25s), persisted in a folder with the chunk ids it was built from."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ids: list[str] = []
        self.fingerprint = ""
        self.doc_freq: dict[str, int] = {}  # term -> chunks containing it, for IDF weights elsewhere
        # Per chunk, aligned with ids: publication day (YYYYMMDD, 0 undated) and outlets, so a date or
        # source filter applies to the lexical side exactly as Chroma's `where` applies to the dense side.
        self.days = np.zeros(0, dtype=np.int64)
        self.sources: list[list[str]] = []
        self._bm25: Any = None
        # doc_freq and its terms sorted, to find the word a nickname shortens
        self._vocabulary: tuple[dict[str, int], list[str]] = ({}, [])

    def mentions(self, word: str) -> bool:
        """Whether some chunk has the word, or a word it shortens: a nickname is often a name cut short
        ("Gronk" is Gronkowski). The word as written, not its stem: "Wales" stems to "wale", which starts
        "walensky" (a realtimeqa-dev question about England and Wales lost its unknown-name abstention)."""
        terms = lexical_terms(word)
        if all(self.doc_freq.get(t, 0) for t in terms):
            return True
        cut = word.casefold()
        if len(terms) != 1 or len(cut) < NICKNAME_MIN_CHARS:
            return False
        if self._vocabulary[0] is not self.doc_freq:
            self._vocabulary = (self.doc_freq, sorted(self.doc_freq))
        vocabulary = self._vocabulary[1]
        at = bisect.bisect_left(vocabulary, cut)
        return at < len(vocabulary) and vocabulary[at].startswith(cut)

    @staticmethod
    def fingerprint_of(ids: Iterable[str]) -> str:
        return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()

    def build(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        days: Sequence[int] | None = None,
        sources: Sequence[list[str]] | None = None,
    ) -> None:
        import bm25s

        self.ids = list(ids)
        self.days = np.asarray(days if days is not None else [0] * len(self.ids), dtype=np.int64)
        self.sources = [list(s) for s in sources] if sources is not None else [[] for _ in self.ids]
        self.fingerprint = self.fingerprint_of(self.ids)
        corpus_terms = [lexical_terms(t) or ["\u2205"] for t in texts]
        self.doc_freq = dict(Counter(term for terms in corpus_terms for term in set(terms)))
        if self.ids:
            model = bm25s.BM25()
            model.index(corpus_terms, show_progress=False)
            self._bm25 = model
        else:
            self._bm25 = None
        self._save()

    def _save(self) -> None:
        # Written to a temp folder and swapped in, so a kill never leaves half an index behind.
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.save(str(tmp / "bm25"))
        (tmp / "state.json").write_text(
            json.dumps(
                {
                    "fingerprint": self.fingerprint,
                    "ids": self.ids,
                    "doc_freq": self.doc_freq,
                    "days": self.days.tolist(),
                    "sources": self.sources,
                }
            )
        )
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            self.folder.rename(old)
        tmp.rename(self.folder)
        shutil.rmtree(old, ignore_errors=True)

    def load(self) -> bool:
        """Read the saved index; False when there is none or it cannot be read."""
        import bm25s

        state_file = self.folder / "state.json"
        if not state_file.exists():
            return False
        try:
            state = json.loads(state_file.read_text())
            self.ids = list(state["ids"])
            self.fingerprint = str(state["fingerprint"])
            self.doc_freq = {str(k): int(v) for k, v in state["doc_freq"].items()}
            self.days = np.asarray(state["days"], dtype=np.int64)
            self.sources = [list(s) for s in state["sources"]]
            if len(self.days) != len(self.ids) or len(self.sources) != len(self.ids):
                raise ValueError("dates and sources do not match the chunk ids")
            self._bm25 = bm25s.BM25.load(str(self.folder / "bm25")) if self.ids else None
        except Exception as e:  # any damage means "rebuild", which the caller does
            log.warning("lexical index at %s is unreadable (%s); it will be rebuilt", self.folder, e)
            self.ids, self.fingerprint, self._bm25 = [], "", None
            return False
        return True

    def search(self, query: str, n: int, where: Filter = NO_FILTER) -> list[tuple[str, float]]:
        """Top `n` (chunk id, BM25 score) with score > 0 among the chunks `where` admits, best first."""
        if self._bm25 is None or not self.ids:
            return []
        vocab = self._bm25.vocab_dict
        terms = [t for t in lexical_terms(query) if t in vocab]
        if not terms:
            return []
        scores = self._bm25.get_scores(terms)
        if where.active:
            scores = np.where(self._mask(where), scores, 0.0)
        n = min(n, len(self.ids))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def _mask(self, where: Filter) -> np.ndarray:
        mask = np.ones(len(self.ids), dtype=bool)
        if where.drops_undated:
            mask &= self.days >= max(where.since, 1)
        if where.until:
            mask &= self.days <= where.until
        if where.sources:
            wanted = set(where.sources)
            mask &= np.fromiter((bool(wanted.intersection(s)) for s in self.sources), bool, len(self.ids))
        return mask
