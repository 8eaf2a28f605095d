"""The sides a comparison question compares: "Compare what Microsoft and TSMC are investing in Japan" ->
("Microsoft", "TSMC"). Split from intent.py (which reads the kind of question) to keep both focused.
"""

from __future__ import annotations

import itertools
import re

_I = re.IGNORECASE
_SIDES = re.compile(
    r"(?:compare\s+(?:what\s+|how\s+)?)?(?P<a>.+?)\s+(?:and|with|to|vs\.?|versus|against)\s+(?P<b>.+)", _I
)


_LEAD = re.compile(
    r"^(?:please\s+)?(?:compare|contrast|how\s+(?:do|does|did)|what\s+(?:is|are|was|were)\s+the\s+differences?\s+"
    r"between|the\s+difference\s+between)\s+(?:what\s+|how\s+(?:much\s+)?)?",
    _I,
)
_TAIL = re.compile(
    r"\s+(?:compare|differ|are\s+investing|invested|is\s+investing|say|said)\b.*$|\s+(?:in|on|for|at)\s+"
    r"(?:\w+\s+){0,3}\w+$",
    _I,
)
# "How does A compare with B?", "How did Spain fare compared to Portugal?": the verb is no part of A.
_SIDE_VERB = re.compile(r"\s+(?:compare[sd]?|fare[sd]?|differ[s]?|stack(?:s|ed)?\s+up)(?:\s+compared)?$", _I)
# "A vs B: which costs more?": the question after the sides is no part of B.
_AFTERWORD = re.compile(r"\s*[:;,—–-]\s*(?:which|what|who|how|and\s+which)\b.*$", _I)
# "Which is more expensive, the bridge or the tram?"
_WHICH_OF = re.compile(r"^which\b[^,:]*[,:]\s*(?P<a>.+?)\s+or\s+(?P<b>.+?)\W*$", _I)
ORDINALS = frozenset({"first", "second", "third", "fourth", "initial", "earlier", "later", "latest", "last"})


# "How is A different from B?", "How does A differ from B?": A compared with B.
_DIFFERENT_FROM = re.compile(
    r"^how\s+(?:is|are|was|were|do|does|did)\s+(?P<a>.+?)\s+(?:different|differs?|differed)\s+from\s+"
    r"(?!each\s+other|one\s+another)",
    _I,
)


# A side owned by one name: "June's inflation", "GM's Chevrolet Bolt recall".
OWNED = re.compile(r"^\S+['’]s\s+(?P<rest>.+)$")


def compared_sides(question: str) -> tuple[str, ...]:
    """The things a comparison compares: "Compare what Microsoft and TSMC are investing in Japan" ->
    ("Microsoft", "TSMC"); "Compare US inflation in May and June" -> ("May", "June"); "Compare Spain,
    Portugal and France" -> all three; "Compare the first and second Artemis launch attempts" -> ("first
    Artemis launch attempts", "second Artemis launch attempts")."""
    q = _DIFFERENT_FROM.sub(r"How does \g<a> compare with ", _within_names(question.strip().rstrip("?.!")))
    if m := _WHICH_OF.match(q):
        return _tidy(m.group("a"), m.group("b"))
    if m := EITHER_OR.match(q):
        return _either_sides(m.group("a"), m.group("b"))
    led = _LEAD.match(q)
    q = q[led.end() :] if led else q
    m = _SIDES.search(q)
    if not m:
        return ()
    a, b = m.group("a").strip(), _AFTERWORD.sub("", m.group("b")).strip()
    a, b = _parallel(a, b)
    b = _TAIL.sub("", b).strip() or b
    # "US inflation in May" vs "June": the first side's last words are what is compared.
    if len(b.split()) <= 2 and not re.fullmatch(_NAME_RUN, a):
        a = re.sub(r"^.*\b(?:in|of|for|at|between)\s+", "", a, flags=_I)
    a = re.sub(r"^(?:the|what|how)\s+", "", _SIDE_VERB.sub("", a) if led else a, flags=_I)
    # "Compare the suspension the NFL wanted and the one he got": the one is the first side's thing.
    if one := _THE_ONE.match(b):
        b = f"{_head(a)} {one.group('rest')}".strip()
    # "How did June's inflation compare with May's?": May's inflation, as the first side is June's
    if (owned := OWNED.match(a)) and re.fullmatch(r"\S+['’]s", b):
        b = f"{b} {owned.group('rest')}"
    first, *rest = b.split()
    if a.casefold() in ORDINALS and first.casefold() in ORDINALS and rest:  # "first and second attempts"
        a = " ".join([a, *rest])
    return _tidy(*re.split(r",\s*(?:and\s+)?", a), b)


_THE_ONE = re.compile(r"^(?:the\s+|that\s+)?ones?\b\s*(?P<rest>.*)$", _I)
# Where a side's head noun ends: "suspension | the NFL wanted", "vaccine doses | shipped to states".
_AFTER_HEAD = re.compile(
    r"^(?:the|a|an|that|which|who|whom|in|for|of|on|at|by|from|to|with|he|she|they|it|we|you|i|"
    r"is|are|was|were|has|have|had|\w+ed)$",
    _I,
)


def _head(side: str) -> str:
    """The thing a side names, without what qualifies it: "Watson's suspension the NFL wanted" ->
    "suspension"."""
    words = re.sub(r"^(?:the|a|an)\s+|^\S+['’]s\s+", "", side, flags=_I).split()
    head = list(itertools.takewhile(lambda w: not _AFTER_HEAD.match(w), words))
    return " ".join(head or words[:1])


# "and" between two capitalised words, inside a title or a name ("Thor: Love and Thunder", "Bosnia and
# Herzegovina"), when the question has another "and" to split the sides at.
_NAME_AND = re.compile(r"\b(?P<left>[A-Z][\w'’]*)\s+and\s+(?=[A-Z])")
_JOINED = "\u2060and\u2060"  # a word joiner: the regexes below read "Love⁠and⁠Thunder" as one word


def _within_names(q: str) -> str:
    """`q` with the first "and"s inside names joined, while another "and" is left to split the sides at."""
    while len(re.findall(r"\s+and\s+", q, flags=_I)) > 1 and (m := _NAME_AND.search(q)):
        q = q[: m.end("left")] + _JOINED + q[m.end() :]
    return q


_PREPOSITION = re.compile(r"^(in|at|for|of|on|from|by|among|before|after|during)\s+", _I)
_NAME_RUN = r"[A-Z][\w.'’&-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w.'’&-]*)*"


def _parallel(a: str, b: str) -> tuple[str, str]:
    """What "and" joins: the same preposition on both sides ("a can of formula in Mexicali and in the US"
    -> "Mexicali", "the US"), or two names, where a verb follows the second ("how Democrats and Republicans
    view the attack" -> "Democrats", "Republicans"; "how many Americans say Pence and Trump acted …" ->
    "Pence", "Trump"; but "the Harrowgate Bridge and the Velmora tram line" is left as it is)."""
    if (p := _PREPOSITION.match(b)) and (at := re.search(rf"^.*\b{p.group(1)}\s+(?P<rest>.+)$", a, flags=_I)):
        return at.group("rest"), b[p.end() :]
    after = re.match(rf"(?:the\s+)?(?P<name>{_NAME_RUN})(?P<rest>\s+.*)?$", b)
    if not after or "," in a:  # "Spain, Portugal and France": the list is split later
        return a, b
    if after.group("rest") and not _VERB_NEXT.match(after.group("rest")):
        return a, b
    return _last_name(a) or a, after.group("name")


# A word followed by an article or possessive, or ending in -ed, taken for a verb: no POS tagger here
# without a model download, and the sides' shapes are few.
_VERB_NEXT = re.compile(r"^\s+(?:[a-z]+\s+(?:the|a|an|his|her|their|its|this|that|these|those)\b|[a-z]+ed\b)")


def _last_name(text: str) -> str:
    """The name `text` ends with ("how many Americans say Pence" -> "Pence"), or ""."""
    found = re.search(rf"(?:^|\s)(?P<name>{_NAME_RUN})$", text)
    return found.group("name") if found else ""


# "Is inflation worse in the UK or the US?", "Did Succession or Ted Lasso get more nominations?", "Is Thor
# bigger than Doctor Strange?": a yes/no question weighing two named things against each other. The
# comparative word keeps "Did the NFL appeal or accept the ruling?" a factoid.
EITHER_OR = re.compile(
    r"^(?:is|are|was|were|did|does|do|has|have|will|would|can|could)\s+(?P<a>.+?)\s+(?:or|than)\s+(?P<b>.+?)\W*$",
    _I,
)
_MORE = re.compile(
    r"\b(?:more|less|fewer|most|least|worse|better|bigger|biggest|larger|smaller|higher|lower|faster|"
    r"slower|harder|cheaper|costlier|deadlier|stronger|weaker|longer|shorter|greater|earlier|later)\b",
    _I,
)


def _either_sides(a: str, b: str) -> tuple[str, ...]:
    """The two named sides of "Is <something> <more> in A or B?" / "Did A or B <do> more?": A is what
    follows the first side's last preposition, or the first side itself when it is a name, or the name it
    ends with ("more Americans say Pence"); B is the name the second side opens with. () when either side
    names nothing or the question weighs nothing ("Is the bridge open or closed?")."""
    if not _MORE.search(f"{a} {b}"):
        return ()
    a = re.sub(rf"\s+(?:(?:more|less)\s+\w+|{_MORE.pattern})$", "", a, flags=_I)  # "Thor bigger" -> "Thor"
    at = re.search(r"^.*\b(?:in|at|for|among|from|by|between|of)\s+(?P<rest>.+)$", a, flags=_I)
    named_a = re.match(rf"(?:the\s+)?{_NAME_RUN}", a)
    # "rents in Miami rising faster than …": the place, not the verb after it
    side_a = (re.sub(r"(?:\s+[a-z]\w*)+$", "", at.group("rest")) or at.group("rest")) if at else a
    side_a = side_a if at or named_a else _last_name(a)
    named_b = re.match(rf"(?:the\s+)?{_NAME_RUN}", _PREPOSITION.sub("", b))
    if not side_a or not named_b or not re.search(r"[A-Z0-9]", side_a):
        return ()
    return _tidy(side_a, named_b.group(0))


def _tidy(*sides: str) -> tuple[str, ...]:
    """The sides without leading articles, and a bare possessive ("with TSMC's") as its owner."""
    sides = tuple(s.replace(_JOINED, " and ") for s in sides)
    cleaned = [re.sub(r"^(?:the|what|how|those\s+of|that\s+of)\s+", "", s.strip(), flags=_I) for s in sides]
    cleaned = [re.sub(r"^(\S+)['’]s$", r"\1", s) for s in cleaned]
    kept = tuple(s for s in cleaned if s and len(s.split()) <= 6)
    return kept if len(kept) == len(sides) and len(kept) >= 2 else ()
