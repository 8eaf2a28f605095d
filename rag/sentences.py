"""Every sentence of the retrieved passages scored as an answer to the question: the one measure the
search rerank (retrieve.py) and the evidence (evidence.py) share. Search code needs it, so it lives
below both and imports no answering code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .clean import reads_as_subhead
from .schema import Passage
from .text import figures_in, split_sentences, support_for, wants_figure


@dataclass(frozen=True)
class Quote:
    passage: int  # 1-based passage number
    start: int  # offsets in the passage text
    end: int
    text: str
    score: float
    previous: str = ""  # headline and the two sentences before it ("..., he said." needs its subject)
    headline: bool = False  # the passage's headline rather than a sentence of its text
    subhead: str = ""  # the subhead right above it, which names what the sentence is about ("Partygate")


_WANTS_MONEY = re.compile(
    r"\b(cost|costs|price|pay|paid|spend|spent|worth|invest\w*|fund\w*|pledge\w*)\b", re.I
)
# An amount of money, not a currency named: "the yen's value at a 34-year low" gives no sum, and with its
# "34-year" it outranked "Microsoft … pledge US$2.9 billion" for "How much is Microsoft investing in Japan?".
_CURRENCY = (
    r"(?:dollars?|euros?|pounds?|yen|yuan|kroner|krona|kronor|crowns?|francs?|rupees?|won|usd|eur|gbp)"
)
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b(?:usd|eur|gbp|jpy)\s?\d|"
    rf"\d(?:[\d,.]*\d)?\s*(?:[mb]n|million|billion|trillion)?\s+{_CURRENCY}\b",
    re.IGNORECASE,
)
FIGURE_BONUS = 0.1


def money_asked_and_given(question: str, sentence: str) -> bool:
    """False when the question asks what something cost and the sentence names no money."""
    return not _WANTS_MONEY.search(question) or bool(_MONEY.search(sentence))


def figure_bonus(question: str, sentence: str) -> float:
    """FIGURE_BONUS for a sentence holding the kind of figure the question asks for (twice for money)."""
    if not wants_figure(question) or not figures_in(sentence):
        return 0.0
    if _WANTS_MONEY.search(question) and _MONEY.search(sentence):
        return 2 * FIGURE_BONUS
    return FIGURE_BONUS


def score_sentences(
    question: str,
    passages: Sequence[Passage],
    encode: Callable[[list[str]], np.ndarray],
    idf: Callable[[str], float],
) -> list[Quote]:
    """Every sentence of the passages scored as an answer to `question`, best first.

    A sentence scores by meaning (cosine with the question) plus 0.6 x the IDF-weighted share of question
    terms it contains; a sentence holding the question's rare words and meaning the same thing wins.
    """
    candidates: list[Quote] = []
    for n, p in enumerate(passages, start=1):
        before, subhead = [p.chunk.title], ""
        for a, b in split_sentences(p.chunk.text):
            sentence = p.chunk.text[a:b].strip()
            if reads_as_subhead(sentence):
                subhead = sentence
            elif len(sentence.split()) >= 3:
                candidates.append(
                    Quote(n, a, b, sentence, 0.0, " ".join(before[:1] + before[-2:]), subhead=subhead)
                )
                subhead = ""
            before.append(sentence)
    if not candidates:
        return []
    vectors = encode([question] + [c.text for c in candidates])
    similarity = vectors[1:] @ vectors[0]
    scored = []
    for c, sim in zip(candidates, similarity, strict=True):
        # Terms found only in the headline or the sentences just before count half: the context names
        # the subject, the sentence itself must carry the answer. A subhead right above counts as the
        # sentence's own words: it names what the section says ("Partygate" over "Johnson has faced months
        # of damaging revelations of parties held at Downing Street …").
        overlap = 0.5 * (
            support_for(question, f"{c.subhead} {c.text}", idf)
            + support_for(question, f"{c.previous} {c.text}", idf)
        )
        rank_prior = 0.02 * (len(passages) - c.passage) / max(1, len(passages))
        total = float(sim) + 0.6 * overlap + rank_prior + figure_bonus(question, c.text)
        scored.append(replace(c, score=total))
    scored.sort(key=lambda q: -q.score)
    return scored
