"""Stage 2 for comparisons ("Compare A and B", "How does A compare with B?"): one search per side, and for
each side its best sentences that name it; a side no passage speaks of is reported, not abstained on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from . import dated
from .components import Components
from .intent import Intent
from .lines import SIDE_K, Line, Synthesis, evidence_of, has_amounts, is_caption, is_short
from .reports import naming_the_story
from .schema import Filter, Passage
from .sentences import Quote, money_asked_and_given
from .sides import ORDINALS, OWNED
from .text import YEAR, names, names_in

_LINK = (
    r"(?:,|\band\b|\bor\b|\bthan\b|\bwith\b|\bto\b|\bvs\.?|\bversus\b)?\s*"
    r"(?:(?:in|at|for|of|on|from|by)\s+)?(?:the\s+|a\s+|an\s+)?"
)


def _side_query(question: str, side: str, others: Sequence[str]) -> str:
    """The question asked of one side: the side where the first side named stands, the other sides and the
    words joining them gone ("Compare the heatwave deaths in Spain and Portugal" -> "the heatwave deaths in
    Portugal", where taking Spain out left "the heatwave deaths in and Portugal"; "How did June's inflation
    compare with May's?" -> "How did May's inflation compare?")."""
    found = {s: m for s in (side, *others) if (m := _named_at(question, s))}
    if len(found) < 1 + len(others):
        return _without(question, others) or side
    first = min(found, key=lambda s: found[s].start())
    at = found[first]
    text = f"{question[: at.start()]}\0{question[at.end() :]}"
    text = _without(text, [m.group(0) for s, m in found.items() if s != first])
    return text.replace("\0", side) or side


def _named_at(question: str, side: str) -> re.Match[str] | None:
    """Where the question names a side: all of it, or its first word ("first Artemis launch attempts" of
    "the first and second Artemis launch attempts"), either with a possessive ("with May's")."""
    for words in (side, side.split()[0]):
        if m := re.search(rf"(?<!\w){re.escape(words)}(?:['’]s)?(?!\w)", question, flags=re.I):
            return m
    return None


def _without(text: str, sides: Sequence[str]) -> str:
    """`text` without the sides and the words joining them to the rest, and without its "Compare"."""
    for side in sides:
        text = re.sub(rf"\s*{_LINK}{re.escape(side)}(?!\w)", " ", text, count=1, flags=re.I)
    text = re.sub(r"^\s*(?:please\s+)?compare\s+(?:what\s+|how\s+)?", "", text, flags=re.I)
    return re.sub(r"\s+(?=[?.!,])", "", " ".join(text.split()))


def _marks(side: str) -> list[str]:
    """The words that name a side: its names' words, years and ordinals ("Orvane revenue in 2024" -> Orvane,
    2024; "second Artemis launch attempt" -> second, Artemis)."""
    # "GM's Chevrolet Bolt recall": the Bolt, whoever the report says owns it ("General Motors"); "June's
    # inflation" is June's
    if (owned := OWNED.match(side)) and (own := _marks(owned.group("rest"))):
        return own
    ordinals = [w for w in side.split() if w.casefold() in ORDINALS]
    marks = names_in(side) + re.findall(r"\b\d{4}\b", side) + ordinals
    return [w for m in marks for w in m.split() if len(w) > 1]


def _speaks_of(side: str, published: Callable[[Quote], str] = lambda s: "") -> Callable[[Quote], bool]:
    """A sentence about one side of a comparison: it names it (a name or a year of the side), or, for a side
    named by common words ("other countries"), any sentence does. A report speaks of its own year without
    naming it: "An anonymous bidder paid a record-breaking $19 million" in a report of June 2022 is the 2022
    bid, so a side's year is also met by a sentence naming no year in a report `published` that year."""
    marks = _marks(side)
    if not marks:
        return lambda s: True
    years = [w for w in marks if YEAR.fullmatch(w)]

    def speaks(s: Quote) -> bool:
        this_year = not YEAR.search(s.text) and published(s)[:4] in years
        return all(names(s.text, w) or (w in years and this_year) for w in marks)

    return speaks


SECOND_LINE_MARGIN = 0.1
# Comparisons are mostly of amounts: a side's sentence with a figure goes ahead of one without, and one
# that also names another side behind ("prices rose 0.7% from May to June" is neither May's figure nor
# June's). Chosen on the synthesis tuning halves: on 28 questions the penalty at 0.1-0.3 gave 0.821 / 0.920
# over 0.786 / 0.902 without ("Compare US inflation in May and June" finds May's 8.6%). On 82 questions
# (session 25), comparisons all key facts / coverage: bonus 0.1, penalty 0.2 (before) 9 of 12 / 0.83;
# 0.2, 0.2: 9 / 0.83; 0.3, 0.2: 10 / 0.88; 0.3, 0.1: 11 / 0.92; 0.4, 0.1: 11 / 0.92; 0.5, 0.2: 11 / 0.92;
# 0.3, 0: 10 / 0.88 (and May's figure lost); 0.2, 0.1: 9 / 0.83. "Compare BA.5's spread in the US and
# Europe" now quotes Europe's "spike in cases of about 25%" over Topol's "as we've seen in Europe".
SIDE_AMOUNT_BONUS = 0.4
BOTH_SIDES_PENALTY = 0.1
# The figure bonus lifts only sentences this close to the side's best: "Compare the price of a can of
# formula in Mexicali and in the US" took "The US national average for gasoline could be close to $6"
# for the US. Tuning halves: 0.768 / 0.874 at 0.3 and 0.4 (as without), 0.756 / 0.868 at 0.2.
AMOUNT_REACH = 0.3
# Asked what was invested, spent or paid, only a sum of money is the side's figure (as for factoids,
# sentences.money_asked_and_given): "Compare what Microsoft and TSMC are investing in Japan" led
# Microsoft's side with "AI training to three million"; now with its US$2.9 billion. Synthesis halves
# unchanged (0.722 / 0.857 tuning, 0.607 / 0.774 test).
# A side named by common words ("other countries") takes a sentence only this close to its search: the
# closest sentence to a vague search is otherwise whatever the article says next.
VAGUE_SIDE_SCORE = 0.65


def _about_side(
    side: str,
    others: Sequence[str],
    sentences: Sequence[Quote],
    used: set[str],
    question: str = "",
    published: Callable[[Quote], str] = lambda s: "",
) -> list[Quote]:
    """The sentences that speak of one side of a comparison, best first: one with a figure ahead
    (comparisons are mostly of amounts), one that also names another side behind ("prices rose 0.7% from
    May to June" is neither May's figure nor June's)."""
    speaks = _speaks_of(side, published)
    elsewhere = [_speaks_of(o, published) for o in others if _marks(o)]
    vague = not _marks(side)
    about = [
        s
        for s in sentences
        if not is_short(s) and speaks(s) and s.text.strip() not in used
        and (not vague or s.score >= VAGUE_SIDE_SCORE)
    ]  # fmt: skip

    best = max((s.score for s in about), default=0.0)

    def rank(s: Quote) -> float:
        both = any(other(s) for other in elsewhere)
        close = s.score >= best - AMOUNT_REACH
        return (
            s.score
            + (
                SIDE_AMOUNT_BONUS
                if close and has_amounts(s.text) and money_asked_and_given(question, s.text)
                else 0.0
            )
            - (BOTH_SIDES_PENALTY if both else 0.0)
        )

    return sorted(about, key=lambda s: -rank(s))


def gather_comparison(
    question: str, intent: Intent, parts: Components, where: Filter, limit: int
) -> Synthesis:
    """One search per side, and for each side its best sentence that names it (one holding a figure
    first: comparisons are mostly of amounts); a side with none is reported missing, not abstained on."""
    searches = []
    for side in intent.sides:
        query = _side_query(question, side, [s for s in intent.sides if s != side])
        # Each side reads as many passages as a summary: half missed the paragraph holding both sides'
        # figures when one article gives both ("Compare BA.5's spread in the US and Europe": 65% and 25%
        # in its 7th-ranked chunk); tuning halves (58 questions) comparison coverage 0.86 -> 0.93.
        found = parts.retriever.retrieve(query, SIDE_K, where)
        searches.append((found.passages, found.sentences))
    passages, merged, per_side = _merge_each(searches)
    per_side = [
        [s for s in side if not is_caption(s, passages[s.passage - 1].chunk.text)] for side in per_side
    ]
    # A side's lines come from the reports on what is compared, the ones naming the question's other names
    # ("Compare the Buffett lunch winning bid in 2022 and 2019" took a monkeypox report's "2022" for 2022).
    common = _without(question, intent.sides)
    per_side = [naming_the_story(common, sentences, passages) for sentences in per_side]

    def published(q: Quote) -> str:
        return dated.published(q, passages)

    lines: list[Line] = []
    missing = []
    used: set[str] = set()  # sentences quoted, by text: overlapping chunks hold the same sentence twice
    for side, sentences in zip(intent.sides, per_side, strict=True):
        chosen = _side_lines(side, intent.sides, sentences, used, question, published)
        if not chosen and not _shares_a_line(side, lines, published):
            missing.append(side)
        for s in chosen:
            used.add(s.text.strip())
            lines.append(Line(s, side))
    picked = [line.quote for line in lines]
    ranked = [p for found, _ in searches for p in found]
    # The sides are what the comparison names ("Compare TSMC's plant and …" is no name "Compare TSMC's").
    subject = ". ".join(f"The {side}" for side in intent.sides)
    evidence = evidence_of(question, where, passages, merged, ranked, picked, parts, subject)
    return Synthesis(evidence, tuple(lines), tuple(missing))


def _shares_a_line(side: str, lines: list[Line], published: Callable[[Quote], str]) -> bool:
    """Whether a line already quoted for another side speaks of this side too, and if so says so in its
    label: "System-wide sales … were $12.3 billion in 2013 … in 2021, sales slumped to $9.4 billion" is both
    years' line, and "2021: the corpus doesn't say" would be false; so is "Solterra: the corpus doesn't
    say" beside "The BZ4X is nearly identical to the Subaru Solterra" (a figure was required until then)."""
    if not _marks(side):
        return False
    speaks = _speaks_of(side, published)
    for i, line in enumerate(lines):
        if speaks(line.quote):
            lines[i] = replace(line, side=f"{line.side} and {side}")
            return True
    return False


def _side_lines(
    side: str, sides: Sequence[str], sentences: Sequence[Quote], used: set[str], question: str,
    published: Callable[[Quote], str],
) -> list[Quote]:  # fmt: skip
    """A side's best sentence, and a second one only when it scores as well (a second figure), or the
    figure the sentence after it gives; none already quoted. `published` gives a sentence's report date."""
    others = [o for o in sides if o != side]
    about = _about_side(side, others, sentences, used, question, published)
    chosen = [q for q in about if q.score >= about[0].score - SECOND_LINE_MARGIN][:2]
    if chosen and not has_amounts(chosen[0].text):
        elsewhere = [_speaks_of(o, published) for o in others if _marks(o)]
        chosen[1:] = _figure_after(chosen[0], sentences, elsewhere)
    return list({s.text.strip(): s for s in chosen if s.text.strip() not in used}.values())


# A sentence that carries on from the one before: "… in Mexicali, across the border." then "It's $13 a can
# there, and $18 a can here."; "… belong to Acrocanthosaurus." then "This was a dinosaur that would stand
# … about 15 feet tall …".
_CARRIES_ON = re.compile(r"^[“\"]?(?:It|It['’]s|This|That|These|Those|They|He|She|Its|Their|There)\b")


def _figure_after(
    line: Quote, sentences: Sequence[Quote], elsewhere: Sequence[Callable[[Quote], bool]]
) -> list[Quote]:
    """The sentence right after `line` in its passage when it carries on about the same thing with a figure
    and names no other side: a side's figure is often given in the next sentence."""
    after = [s for s in sentences if s.passage == line.passage and s.start >= line.end]
    following = min(after, key=lambda s: s.start, default=None)
    if (
        following is None or not _CARRIES_ON.match(following.text) or not has_amounts(following.text)
        or any(other(following) for other in elsewhere)
    ):  # fmt: skip
        return []
    return [following]


def _merge_each(
    searches: Sequence[tuple[list[Passage], list[Quote]]],
) -> tuple[list[Passage], list[Quote], list[list[Quote]]]:
    """Several searches' passages as one numbered list (each passage once), all their sentences best first
    (each once), and each search's own sentences renumbered into that list."""
    passages: list[Passage] = []
    number: dict[str, int] = {}
    each = []
    for found, scored in searches:
        local = {}
        for i, p in enumerate(found, start=1):
            if p.chunk.id not in number:
                passages.append(p)
                number[p.chunk.id] = len(passages)
            local[i] = number[p.chunk.id]
        each.append([replace(q, passage=local[q.passage]) for q in scored if q.passage in local])
    best: dict[tuple[int, int], Quote] = {}
    for q in sorted((q for e in each for q in e), key=lambda q: -q.score):
        best.setdefault((q.passage, q.start), q)
    return passages, list(best.values()), each
