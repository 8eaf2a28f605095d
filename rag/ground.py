"""Keep answers honest: check a generated answer against its passages, and build extractive answers.

- `check_answer`: drops citations to passages that do not exist; a sentence whose figures or names appear
  in none of its cited passages is unsupported. The caller replaces an unsupported or empty answer.
- `extractive_answer`: the passage sentence(s) that best answer the question, quoted, with citations.
- `support_for`: how much of the question the passages cover, for the "the corpus doesn't say" decision.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .schema import Passage
from .sentences import Quote
from .text import (
    CITATION,
    figures_in,
    fold,
    mentions,
    names_in,
    norm,
    split_sentences,
)
from .timeframe import long_date


def unsupported_facts(sentence: str, sources: Sequence[str]) -> list[str]:
    """Figures and names in `sentence` that appear in none of `sources`."""
    haystack = norm(" ".join(sources))
    missing = []
    for fact in figures_in(sentence):
        if norm(fact) not in haystack:
            missing.append(fact)
    for name in names_in(sentence):
        # Every word of a multi-word name must be there (a name can be split across a line in the source).
        if not all(norm(re.sub(r"['’]s$", "", w)) in haystack for w in name.split()):  # TSMC's: TSMC
            missing.append(name)
    return missing


def with_date(text: str, published_at: str, title: str = "") -> str:
    """What a citation says: its headline, text and publication date, all of which every citation shows.
    "As of 15 January 2026, ... [1]" is supported by [1]'s date, "Squid Game — [1]" by its headline."""
    said = f"{title}. {text}" if title else text
    return f"{said} {long_date(published_at)}" if published_at else said


def what_it_says(p: Passage) -> str:
    return with_date(p.chunk.text, p.chunk.published_at, p.chunk.title)


@dataclass(frozen=True)
class CheckedAnswer:
    text: str  # with citations to missing passages removed, and uncited sentences cited where supported
    cited: list[int]  # passage numbers (1-based) in first-cited order
    unsupported: list[str]  # sentences that state something none of their sources say
    removed_citations: list[int]  # [n] markers that pointed at no passage


def check_answer(text: str, passages: Sequence[Passage]) -> CheckedAnswer:
    """Check every sentence of a generated answer against the passages it cites."""
    valid = range(1, len(passages) + 1)
    removed: list[int] = []

    def keep_valid(m: re.Match[str]) -> str:
        numbers = [int(x) for x in re.split(r"\s*[,;]\s*", m.group(1))]
        kept = [n for n in numbers if n in valid]
        removed.extend(n for n in numbers if n not in valid)
        return "".join(f"[{n}]" for n in kept)

    text = CITATION.sub(keep_valid, text).strip()
    spans = split_sentences(text)
    sentences = [text[a:b].strip() for a, b in spans]
    # A sentence without a marker borrows the citations of the next cited sentence (models often cite
    # once at the end of a paragraph); failing that, it is matched against every passage.
    citations: list[list[int]] = [[int(n) for n in re.findall(r"\[(\d+)\]", s)] for s in sentences]
    for i in range(len(sentences) - 2, -1, -1):
        if not citations[i] and citations[i + 1]:
            citations[i] = citations[i + 1]

    out_sentences: list[str] = []
    unsupported: list[str] = []
    cited: list[int] = []
    for sentence, numbers in zip(sentences, citations, strict=True):
        bare = CITATION.sub("", sentence).strip()
        if not re.search(r"\w", bare):
            continue
        if numbers:
            sources = [what_it_says(passages[n - 1]) for n in numbers]
            if unsupported_facts(bare, sources):
                unsupported.append(bare)
        else:
            supporting = [
                n for n, p in enumerate(passages, start=1) if not unsupported_facts(bare, [what_it_says(p)])
            ]
            if not supporting or not (figures_in(bare) or names_in(bare)):
                # Nothing checkable, or nothing supports it: an uncited claim is not allowed.
                unsupported.append(bare)
                numbers = []
            else:
                numbers = supporting[:1]
                sentence = f"{sentence.rstrip()} [{numbers[0]}]"
        for n in numbers:
            if n not in cited:
                cited.append(n)
        out_sentences.append(sentence)
    return CheckedAnswer(
        text=" ".join(out_sentences).strip(),
        cited=cited,
        unsupported=unsupported,
        removed_citations=removed,
    )


# --- extractive answers ----------------------------------------------------------------------------


def pick_quotes(scored: Sequence[Quote], limit: int = 2) -> list[Quote]:
    """The best sentence, and up to `limit - 1` more that score nearly as well."""
    best = list(scored[:1])
    for q in scored[1:]:
        if len(best) >= limit or q.score < best[0].score - 0.08:
            break
        if all(q.text != b.text for b in best):
            best.append(q)
    return best


_QUOTE_MARKS = "“”\"'"


def quote_answer(quotes: Sequence[Quote]) -> str:
    """Quoted sentences with their citations: the answer that cannot state anything its source doesn't."""
    return " ".join(f"“{q.text.strip().strip(_QUOTE_MARKS)}” [{q.passage}]" for q in quotes)


def missing_names(question: str, quote: Quote) -> list[str]:
    """Names the question asks about that neither the quote, its headline nor the sentences before it mention.

    "Where did South Korea rank?" answered from a sentence about Japan's rank is the classic wrong answer.
    """
    haystack = fold(f"{quote.previous} {quote.text}")
    missing = []
    for name in names_in(question, skip_opening_word=True):
        if not all(mentions(haystack, w) for w in name.split()):
            missing.append(name)
    return missing


# SQuAD 2.0's unanswerable questions are often a real sentence turned around: "What does vaccination not
# exploit?" asked of "… later exploited by Louis Pasteur …", "It is always possible to model forces as
# being due to what?" asked of "… it is impossible to model forces as …". The evidence then answers
# another question. A negation the evidence does not make, or a word whose opposite the evidence uses
# instead, shows it.
_NEGATION = re.compile(
    r"\b(?:not|never|no|none|neither|nor|without|cannot|lacks?|lacked|lacking)\b|n['’]t\b", re.I
)
# ("first" / "last" and "earliest" / "latest" are not here: in news they mostly say when, "last week".)
_OPPOSITES = (
    ("largest", "smallest"), ("most", "least"), ("more", "less"), ("before", "after"),
    ("increase", "decrease"), ("increases", "decreases"), ("positive", "negative"),
    ("possible", "impossible"), ("always", "never"), ("maximum", "minimum"), ("higher", "lower"),
    ("best", "worst"), ("inside", "outside"), ("direct", "indirect"),
)  # fmt: skip
_OPPOSITE = {a: b for a, b in _OPPOSITES} | {b: a for a, b in _OPPOSITES}
# "In the 19th century, … led to what?" asked of "In the 20th century, …": a count, rank or year the
# evidence gives differently. ("one" is left out: it is as often a pronoun as a count.)
_COUNTED = (
    re.compile(
        r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b", re.I
    ),
    re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", re.I),
    re.compile(r"\b(?:1[0-9]|20)\d\ds?\b"),
)

_NTH_TIME = re.compile(r"\b(\w+)\s+time\b", re.I)


def turned_around(question: str, evidence: Sequence[str]) -> str:
    """Why the evidence answers a turned-around question ("the question says “not”; …"), or "" when it
    does not look turned around."""
    said = " ".join(evidence)
    if (negation := _NEGATION.search(question)) and not _NEGATION.search(said):
        return f"the question says “{negation.group()}”; the passages do not"
    words = set(re.findall(r"[a-z]+", said.casefold()))
    for word in re.findall(r"[a-z]+", question.casefold()):
        if word in _OPPOSITE and word not in words and _OPPOSITE[word] in words:
            return f"the question says “{word}”; the passages say “{_OPPOSITE[word]}”"
    for kind in _COUNTED:
        # A question's "first" is mostly not a rank it could get wrong: "TSMC's first plant in Japan" is
        # answered by "a new … factory …, and is planning a second".
        # "For the second time" counts occurrences, which news says as "again" or "a rebound case".
        repeats = {m.casefold() for m in _NTH_TIME.findall(question)}
        asked = {m.casefold() for m in kind.findall(question)} - {"first"} - repeats
        given = {m.casefold() for m in kind.findall(said)}
        if asked and given and not asked & given:
            return f"the question says “{min(asked)}”; the passages say “{min(given)}”"
    return ""


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def span_in(span: str, text: str) -> bool:
    """True when `span` (a short answer) occurs in `text`, ignoring case, spacing and quote marks."""
    needle = _squash(span)
    return bool(needle) and f" {needle} " in f" {_squash(text)} "


def short_answer_is_grounded(span: str, evidence: str, question: str) -> bool:
    """A model's short answer is kept when every word of it comes from the evidence or the question,
    and it adds at least one word of the evidence that the question does not already say.

    "The vice-president of MM Research Institute is Hideaki Yokota" passes; "in 2020" against evidence
    that never says 2020 does not; "Microsoft" for "Which company is Microsoft a partner of?" does not.
    """
    words = _squash(span).split()
    evidence_words = set(_squash(evidence).split())
    question_words = set(_squash(question).split())
    if not words or len(words) > 40:
        return False
    if any(w not in evidence_words and w not in question_words for w in words):
        return False
    if unsupported_facts(span, [evidence]):
        return False  # a name or figure stitched from question words ("the Corliss Award") is not evidence
    return any(w in evidence_words and w not in question_words for w in words)
