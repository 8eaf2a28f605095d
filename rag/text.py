"""Shared text helpers every layer may use: sentences, figures, names, question terms.

A light rule-based toolkit tuned for news English; nothing here knows about passages or answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .lexical import lexical_terms

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
# A lower-case elided particle belongs to the name it opens ("Coeur d'Alene", not a name "Alene" that no
# article spells on its own).
_WORD = r"(?:[a-z]{1,2}['’])?[A-Z][\w'’&.-]*[\w]"
_NAME = re.compile(rf"\b(?:{_WORD}|[A-Z])(?:\s+(?:of\s+)?{_WORD})*")
# Capitalised for grammar, not because they name anything.
_NOT_NAMES = frozenset(
    (
        "the a an and but or if in on at of for to by with as from it its this that these those he "
        "she they we i you his her their our my your there here however meanwhile also yes no not "
        "what where who whom whose when why how which is are was were did does do can could will would "
        "give list show tell first later earlier compare contrast summarize summarise describe explain "
    ).split()
)


# A full stop after these ends an abbreviation, not a sentence: "the banks of the St. Johns River",
# "Nixon named William E. Simon". Single capitals are initials.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:St|Mt|Ft|Mr|Mrs|Ms|Dr|Prof|Sr|Jr|Gen|Gov|Sen|Rep|Rev|Capt|Col|Lt|Sgt|Inc|Corp|Co|"
    r"Ltd|No|Nos|vs|v|approx|est|ca|cf|e\.g|i\.e))\.$"  # "Roe v. Wade"
)


_CLOCK = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
_ZONE = re.compile(r"(?:ET|EDT|EST|CT|CDT|CST|MT|PT|PDT|PST|GMT|UTC|BST|CET|CEST|JST|HKT|AEST|IST)\b")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in `text`; a light rule-based splitter is enough for news."""
    spans = []
    for paragraph in re.finditer(r"[^\n]+", text):
        start = paragraph.start()
        for m in _SENTENCE_END.finditer(paragraph.group()):
            end = paragraph.start() + m.start()
            if _ABBREVIATION.search(text[max(start, end - 8) : end]):
                continue
            if _CLOCK.search(text[max(start, end - 5) : end]) and _ZONE.match(
                text, paragraph.start() + m.end()
            ):
                continue  # "from 8:33 a.m. ET to 10:33 a.m. ET on Monday" is one sentence
            if _opens_a_fragment(text[start:end]):
                continue  # “The Front Man returns. Season 2 is coming.”: too short a piece to quote alone
            if text[start:end].strip():
                spans.append((start, end))
            start = paragraph.start() + m.end()
        if text[start : paragraph.end()].strip():
            spans.append((start, paragraph.end()))
    return spans


# A quotation's first sentence shorter than this runs on into the next: alone it is too short to be an
# answer's line (lines.is_short), and a speaker's short opener ("“The Front Man returns.") was lost.
FRAGMENT_WORDS = 5


def _opens_a_fragment(piece: str) -> bool:
    piece = piece.strip()
    return piece.startswith("“") and "”" not in piece and len(piece.split()) < FRAGMENT_WORDS


def norm(text: str) -> str:
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


def fold(text: str) -> str:
    """Case and accents folded, so "Katyn" finds "Katyń"."""
    decomposed = unicodedata.normalize("NFKD", norm(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def mentions(haystack: str, word: str) -> bool:
    """`word` (or a form of it: "Huguenots" / "Huguenot", "Germany" / "German") starts a word of `haystack`.

    A prefix match on a stem that keeps at least four letters is enough here: names change their endings,
    not their beginnings, and a stemmer for proper names is not something a library does better.
    """
    word = fold(re.sub(r"['’]s$", "", word)).strip(".")
    if len(word) <= 1:
        return True
    stem = word[: max(4, len(word) - 3)] if len(word) > 5 else word
    return re.search(rf"\b{re.escape(stem)}", haystack) is not None


# --- what kind of answer a question wants --------------------------------------------------------------

# Questions that want a figure: a sentence holding one is the likelier answer ("How much did the tram line
# cost?" is answered by the sentence with the price, not the one that repeats the question's names).
_WANTS_FIGURE = re.compile(
    r"\b(how (much|many|long|far|big|large|old|often)|what (percentage|share|proportion|number|amount|"
    r"year|date|price)|in what year|when)\b",
    re.IGNORECASE,
)
# A year a sentence names ("in 2003"): a comparison side's, a history's past.
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Dates in a sentence ("12 March 2025", "March 12", "2025", "Q1"): what a "when" question is answered by.
DATE_WORDS = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d{2})?\b|\b(?:19|20)\d{2}\b|\bQ[1-4]\b",
    re.IGNORECASE,
)

# Times said relative to the report ("next week", "in two weeks", "early to mid-September" is a DATE_WORD):
# how news answers "how soon" and "when will".
_RELATIVE_TIME = re.compile(
    r"\b(?:(?:next|last|this|coming|following)\s+(?:week|month|year|weekend|spring|summer|fall|autumn|winter|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)|tomorrow|tonight|today|yesterday|"
    r"(?:within|in|by|after|over)\s+(?:the\s+)?(?:next\s+)?(?:\d+|a|an|one|two|three|four|five|six|few|several)"
    r"\s+(?:days?|weeks?|months?|years?|hours?)|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?:end|start|beginning|middle)\s+of\s+(?:the\s+)?(?:week|month|year))\b",
    re.I,
)

_ASKS_DATE = re.compile(
    r"\b(?:when|what\s+(?:date|day|month|year|time)|which\s+(?:date|day|month|year)|how\s+soon|by\s+when)\b",
    re.I,
)
_ASKS_NAME = re.compile(
    r"\b(?:who|whom|whose|where|which|what\s+(?:is|was|are|were)\s+\w+\s+called|name)\b", re.I
)


def wants_figure(question: str) -> bool:
    return bool(_WANTS_FIGURE.search(question))


def answer_kind(question: str) -> str:
    """ "date", "figure", "name" or "" (anything else: why, how, what happened)."""
    if _ASKS_DATE.search(question):
        return "date"
    if wants_figure(question):
        return "figure"
    if _ASKS_NAME.search(question):
        return "name"
    return ""


def holds_kind(kind: str, sentence: str, question: str) -> bool:
    """Whether `sentence` holds something of `kind` that the question does not already say: a candidate
    answer ("Which show …?" -> a name the question lacks)."""
    asked = fold(question)
    if kind == "figure":
        return any(norm(f) not in norm(question) for f in figures_in(sentence))
    if kind == "date":
        return any(fold(m.group()) not in asked for m in _times_in(sentence))
    if kind == "name":
        return any(not all(mentions(asked, w) for w in n.split()) for n in names_in(sentence, True))
    return False


def headline_adds_answer(question: str, headline: str, quoted: str) -> bool:
    """Whether a headline holds a candidate of the kind asked that neither the question nor the quoted
    sentence has: news headlines often name what the quoted sentence only refers to ("Which country
    declared victory against Covid?": the sentence says "the authoritarian North", the headline "North
    Korea's Kim Jong Un declares victory against Covid")."""
    kind, asked, said = answer_kind(question), fold(question), fold(quoted)
    if kind == "name":
        # The fuller name of what the sentence or the question only partly names ("the authoritarian
        # North", "the river", "the Biden administration"); a headline's other names ("Japan hopes to be
        # 'best partner in Asia' …") are context, not answers.
        return any(
            not all(mentions(asked, w) or mentions(said, w) for w in n.split())
            and any(mentions(asked, w) or mentions(said, w) for w in n.split() if len(w) > 2)
            for n in names_in(headline)  # a headline's first word is a name as often as not
        )
    if kind == "figure":
        found = [f for f in figures_in(headline) if any(c.isdigit() for c in f)]
    elif kind == "date":
        found = [m.group() for m in _times_in(headline)]
    else:
        return False
    return any(not all(mentions(asked, w) or mentions(said, w) for w in f.split()) for f in found)


def _times_in(text: str) -> list[re.Match[str]]:
    return [*DATE_WORDS.finditer(text), *_RELATIVE_TIME.finditer(text)]


_ASKS_TIME_FIRST = re.compile(
    r"^\W*(?:when|how\s+soon|by\s+when|in\s+what\s+year|(?:what|which)\s+(?:date|day|month|year|time))\b",
    re.I,
)


def asks_time(question: str) -> bool:
    """The asking sentence opens with a time question ("When will …", "How soon …"); "How far below normal
    was it when first reported?" asks a distance."""
    return bool(_ASKS_TIME_FIRST.match(asked_clause(question)))


def states_kind(kind: str, span: str) -> bool:
    """Whether a short answer is of the kind asked at all: a time for "when"/"how soon", a number for
    "how much/many". Names and open questions are not checked (any words may name or explain)."""
    if kind == "date":  # "1562", "the 10th century", "next week"
        return bool(_times_in(span)) or bool(re.search(r"\d|\bcentur", span, re.I))
    if kind == "figure":
        return bool(figures_in(span))
    return True


def asked_clause(question: str) -> str:
    """The sentence that asks: the last one of a quiz-style question whose earlier sentences set the scene
    ("A bipartisan group … announced a deal, but a few reforms were not included. Which measure did
    lawmakers leave out?"). The scene's "not" or "more than" is no part of what is asked."""
    spans = split_sentences(question.strip())
    return question.strip()[spans[-1][0] :].strip() if spans else question


_CHOICE = r"[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*)*"
_CHOICES = re.compile(rf"{_CHOICE}(?:, {_CHOICE})*,? or {_CHOICE}")


def listed_choices(question: str) -> list[str]:
    """The names a multiple-choice question offers ("… Miami, Nashville, Los Angeles or Seattle?"): each is
    a candidate answer, not the question's subject."""
    found = [m.group() for m in _CHOICES.finditer(question)]
    return [c.strip() for group in found for c in re.split(r",? or |, ", group) if c.strip()]


# News names the big places both ways ("inflation in the US" / "in the United States").
_SAME_PLACE = {
    "US": ("U.S.", "United States", "America"),
    "UK": ("U.K.", "United Kingdom", "Britain"),
    "EU": ("European Union",),
    "UN": ("United Nations",),
}


def names(text: str, mark: str) -> bool:
    """`text` names `mark`: an acronym as a word of its own or in its long form ("US" is not the start of
    "used"), any other word as `mentions` finds it."""
    if not (mark.isupper() and len(mark) <= 4):
        return mentions(fold(text), mark)
    return any(
        re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) for form in (mark, *_SAME_PLACE.get(mark, ()))
    )
