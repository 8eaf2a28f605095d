"""Keep answers honest: check a generated answer against its passages, and build extractive answers.

- `check_answer`: drops citations to passages that do not exist; a sentence whose figures or names appear
  in none of its cited passages is unsupported. The caller replaces an unsupported or empty answer.
- `extractive_answer`: the passage sentence(s) that best answer the question, quoted, with citations.
- `support_for`: how much of the question the passages cover, for the "the corpus doesn't say" decision.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .index import lexical_terms
from .schema import Passage
from .timeframe import long_date

CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_NUMBER = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s*(?:%|per\s?cent|percent|thousand|million|billion|trillion|bn|m)\b)?",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|trillion|dozen)"
)
_NUMBER_WORD = re.compile(rf"\b{_NUMBER_WORDS}(?:[\s-]+{_NUMBER_WORDS})*\b", re.IGNORECASE)
_NAME = re.compile(r"\b(?:[A-Z][\w'’&.-]*[\w]|[A-Z])(?:\s+(?:of\s+)?[A-Z][\w'’&.-]*[\w])*")
# Capitalised for grammar, not because they name anything.
_NOT_NAMES = frozenset(
    (
        "the a an and but or if in on at of for to by with as from it its this that these those he "
        "she they we i you his her their our my your there here however meanwhile also yes no not "
        "what where who whom whose when why how which is are was were did does do can could will would "
        "give list show tell first later earlier "
    ).split()
)


# A full stop after these ends an abbreviation, not a sentence: "the banks of the St. Johns River",
# "Nixon named William E. Simon". Single capitals are initials.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:St|Mt|Ft|Mr|Mrs|Ms|Dr|Prof|Sr|Jr|Gen|Gov|Sen|Rep|Rev|Capt|Col|Lt|Sgt|Inc|Corp|Co|"
    r"Ltd|No|Nos|vs|approx|est|ca|cf|e\.g|i\.e))\.$"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in `text`; a light rule-based splitter is enough for news."""
    spans = []
    for paragraph in re.finditer(r"[^\n]+", text):
        start = paragraph.start()
        for m in _SENTENCE_END.finditer(paragraph.group()):
            end = paragraph.start() + m.start()
            if _ABBREVIATION.search(text[max(start, end - 8) : end]):
                continue
            if text[start:end].strip():
                spans.append((start, end))
            start = paragraph.start() + m.end()
        if text[start : paragraph.end()].strip():
            spans.append((start, paragraph.end()))
    return spans


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(",", "").replace("’", "'")).casefold()


def figures_in(text: str) -> list[str]:
    """Numbers (with their scale word) and number words: the facts an answer must not invent."""
    out = [m.group().strip() for m in _NUMBER.finditer(CITATION.sub(" ", text))]
    out += [m.group().strip() for m in _NUMBER_WORD.finditer(text)]
    return out


def names_in(text: str, skip_opening_word: bool = False) -> list[str]:
    """Capitalised words and phrases, minus sentence-initial function words.

    With `skip_opening_word`, a lone capitalised word that opens `text` is not taken for a name either: in
    a question ("Along with coal, …", "Post 2008, …") it is capitalised because it comes first.
    """
    names = []
    for m in _NAME.finditer(CITATION.sub(" ", text)):
        if skip_opening_word and m.start() == 0 and " " not in m.group():
            continue
        words = [w for w in m.group().split() if w.casefold() not in _NOT_NAMES]
        if words:
            names.append(" ".join(words))
    return names


def unsupported_facts(sentence: str, sources: Sequence[str]) -> list[str]:
    """Figures and names in `sentence` that appear in none of `sources`."""
    haystack = _norm(" ".join(sources))
    missing = []
    for fact in figures_in(sentence):
        if _norm(fact) not in haystack:
            missing.append(fact)
    for name in names_in(sentence):
        # Every word of a multi-word name must be there (a name can be split across a line in the source).
        if not all(_norm(w) in haystack for w in name.split()):
            missing.append(name)
    return missing


def with_date(text: str, published_at: str) -> str:
    """A passage's text and its publication date, which every citation shows: what it says. "As of 15
    January 2026, ... [1]" is supported by [1]'s date."""
    return f"{text} {long_date(published_at)}" if published_at else text


def what_it_says(p: Passage) -> str:
    return with_date(p.chunk.text, p.chunk.published_at)


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


# --- what the question asks, and how much of it the passages hold -----------------------------------

# Words that shape a question but carry no content to look for.
_QUESTION_WORDS = frozenset(
    lexical_terms(
        "what which who whom whose when where why how much many did does do is are was were "
        "name called according kind type tell say said happen happened"
    )
)


def question_terms(question: str) -> list[str]:
    return [t for t in dict.fromkeys(lexical_terms(question)) if t not in _QUESTION_WORDS]


def support_for(question: str, text: str, idf: Callable[[str], float]) -> float:
    """IDF-weighted share of the question's content terms that occur in `text` (0..1)."""
    terms = question_terms(question)
    if not terms:
        return 0.0
    present = set(lexical_terms(text))
    total = sum(idf(t) for t in terms)
    return sum(idf(t) for t in terms if t in present) / total if total else 0.0


# --- extractive answers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    passage: int  # 1-based passage number
    start: int  # offsets in the passage text
    end: int
    text: str
    score: float
    previous: str = ""  # headline and the two sentences before it ("..., he said." needs its subject)


# Questions that want a figure: a sentence holding one is the likelier answer ("How much did the tram line
# cost?" is answered by the sentence with the price, not the one that repeats the question's names).
_WANTS_FIGURE = re.compile(
    r"\b(how (much|many|long|far|big|large|old|often)|what (percentage|share|proportion|number|amount|"
    r"year|date|price)|in what year|when)\b",
    re.IGNORECASE,
)
_WANTS_MONEY = re.compile(
    r"\b(cost|costs|price|pay|paid|spend|spent|worth|invest\w*|fund\w*|pledge\w*)\b", re.I
)
_MONEY = re.compile(
    r"[$€£¥]|\b(dollars?|euros?|pounds?|yen|yuan|kroner|krona|kronor|crowns?|francs?|rupees?|won|usd|eur|gbp)\b",
    re.IGNORECASE,
)
FIGURE_BONUS = 0.1


def wants_figure(question: str) -> bool:
    return bool(_WANTS_FIGURE.search(question))


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
        before = [p.chunk.title]
        for a, b in split_sentences(p.chunk.text):
            sentence = p.chunk.text[a:b].strip()
            if len(sentence.split()) >= 3:
                candidates.append(Quote(n, a, b, sentence, 0.0, " ".join(before[:1] + before[-2:])))
            before.append(sentence)
    if not candidates:
        return []
    vectors = encode([question] + [c.text for c in candidates])
    similarity = vectors[1:] @ vectors[0]
    scored = []
    for c, sim in zip(candidates, similarity, strict=True):
        # Terms found only in the headline or the sentences just before count half: the context names
        # the subject, the sentence itself must carry the answer.
        overlap = 0.5 * (
            support_for(question, c.text, idf) + support_for(question, f"{c.previous} {c.text}", idf)
        )
        rank_prior = 0.02 * (len(passages) - c.passage) / max(1, len(passages))
        total = float(sim) + 0.6 * overlap + rank_prior + figure_bonus(question, c.text)
        scored.append(Quote(c.passage, c.start, c.end, c.text, total, c.previous))
    scored.sort(key=lambda q: -q.score)
    return scored


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
    haystack = _fold(f"{quote.previous} {quote.text}")
    missing = []
    for name in names_in(question, skip_opening_word=True):
        if not all(_mentions(haystack, w) for w in name.split()):
            missing.append(name)
    return missing


def _fold(text: str) -> str:
    """Case and accents folded, so "Katyn" finds "Katyń"."""
    decomposed = unicodedata.normalize("NFKD", _norm(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _mentions(haystack: str, word: str) -> bool:
    """`word` (or a form of it: "Huguenots" / "Huguenot", "Germany" / "German") starts a word of `haystack`.

    A prefix match on a stem that keeps at least four letters is enough here: names change their endings,
    not their beginnings, and a stemmer for proper names is not something a library does better.
    """
    word = _fold(re.sub(r"['’]s$", "", word)).strip(".")
    if len(word) <= 1:
        return True
    stem = word[: max(4, len(word) - 3)] if len(word) > 5 else word
    return re.search(rf"\b{re.escape(stem)}", haystack) is not None


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
        asked = {m.casefold() for m in kind.findall(question)}
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
