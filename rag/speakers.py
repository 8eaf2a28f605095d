"""Whose words a sentence gives: the sentences a "What did X say?" answer may quote.

A sentence is the speaker's when it names them beside a verb of saying or a quotation mark, or quotes
someone just after they were named, or carries on a quotation of theirs ("…,” he said"). Proximity is the
coreference here: a pronoun resolver (spaCy's coreferee, fastcoref) needs model weights this machine
cannot download.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .sentences import Quote
from .text import fold, mentions

# News reports speech with many verbs besides "said": "Modi on Monday pledged to transform India into a
# developed country" is his.
_VERBS_OF_SAYING = (
    r"said|says|told|tells|warned|warns|added|adds|wrote|writes|argued|argues|according to|tweeted|"
    r"stated|noted|explained|claimed|insisted|vowed|pledged|promised|urged|declared|acknowledged|admitted|"
    r"confirmed|denied|stressed|emphasi[sz]ed|asked|replied|responded|announced|testified"
)
_VERB_OF_SAYING = re.compile(rf"\b({_VERBS_OF_SAYING})\b", re.I)
_SAID = re.compile(rf"{_VERB_OF_SAYING.pattern}|[“\"]", re.I)


# "…,” he said": words given to whoever was named last.
_PRONOUN_SAID = re.compile(
    r"\b(?:he|she|they)\s+(?:said|says|added|told|warned|wrote|argued)\b|\b(?:said|added)\s+(?:he|she)\b",
    re.I,
)


_OWNER = re.compile(r"\b[\w-]+['’]s\b")
# One word of saying, for where the sayer stands: before it ("Hernandez also said"), or right after it
# ("said Commissioner Camille Touton", "according to Touton").
_SAYING_WORD = re.compile(rf"(?:{_VERBS_OF_SAYING}|saying|telling|according)", re.I)
_EDGE = ".,;:!?\"“”'’()[]—–-"
TITLE_WORDS = 5

# Who speaks for someone. News names one role by several words ("Christina Bobb, Trump's attorney" answers
# "What did Trump's lawyer say?"), a team, camp or side speaks through its spokespeople and lawyers
# ("said Cosby spokesperson Andrew Wyatt" is how Cosby's team reacted to the verdict), and anyone through
# their spokesperson ("Taliban spokesman Zabiullah Mujahid said" is the Taliban reacting).
_COLLECTIVE = ("team", "camp", "side", "representatives", "people")
_SPOKESPEOPLE = (
    "spokesperson", "spokesman", "spokeswoman", "attorney", "lawyer", "representative", "publicist",
)  # fmt: skip
_SAME_ROLE = {
    "lawyer": ("lawyer", "attorney"),
    "attorney": ("lawyer", "attorney"),
    **{w: _SPOKESPEOPLE[:3] for w in _SPOKESPEOPLE[:3]},
    **{w: _SPOKESPEOPLE for w in (*_COLLECTIVE, "lawyers", "attorneys")},
}
_OWNED_ROLE = re.compile(r"^(?:the\s+)?(?P<owner>.+?)(?:['’]s)?\s+(?:legal\s+)?(?P<role>[a-z]+)$")
# What someone wrote speaks in their words: "Gray wrote that … “must bear responsibility”" is what Sue Gray's
# report said.
_WRITINGS = ("report", "letter", "statement", "memo", "ruling", "opinion", "book", "speech", "testimony")


def _speaker_marks(speaker: str) -> list[tuple[str, ...]]:
    """What names a speaker, as alternatives of words that must all appear: any word of a name ("Yokota"
    is Hideaki Yokota); every word of a role, its owner dropped ("Sri Lanka's energy minister" -> energy
    and minister: a sentence naming Sri Lanka is not the minister's); what someone wrote, its writer ("Sue
    Gray's report" -> Sue or Gray)."""
    if (m := _OWNED_ROLE.match(speaker)) and m["role"] in _WRITINGS and m["owner"].casefold() != "the":
        return _speaker_marks(m["owner"])  # "Sue Gray's report", "the Sue Gray report": Sue Gray's words
    words = [w for w in _role_words(speaker) if len(w) > 2]
    if len(words) == 1 and words[0].casefold() in _COLLECTIVE and (m := _OWNED_ROLE.match(speaker)):
        words = [m["owner"].split()[-1], *words]  # "Cosby's team": any team is not his
    if not words:
        return [(w,) for w in speaker.split()]
    return [(w,) for w in words] if all(w[0].isupper() for w in words) else [tuple(words)]


def _role_words(speaker: str) -> list[str]:
    """The words of a speaker after a possessive owner and without "the": "Sri Lanka's energy minister" ->
    energy, minister."""
    return [w for w in re.sub(r"^.*['’]s\s+", "", speaker).split() if w.casefold() != "the"]


def _owner_words(speaker: str) -> list[str]:
    """The capitalised words before a role, which say whose role it is ("Saudi" in "the Saudi commerce
    official"): a report seldom repeats them where it quotes the role ("…,” said an official from the
    Ministry of Commerce), but names them in its headline or just before."""
    words = _role_words(speaker)
    if not words or not words[-1][0].islower():
        return []
    return [w for w in words if w[0].isupper()]


def said_by(speaker: str) -> Callable[[Quote, str | None], bool]:
    """Whether a sentence is the speaker's: it names them, or quotes someone just after they were named.
    A role whose owner the sentence leaves out is named by its own words where the headline or the
    sentences just before name the owner ("the Saudi commerce official"); the owner's word stays one of
    the marks elsewhere ("Webb scientists" are named as "Webb deputy project scientist")."""
    marks = _speaker_marks(speaker)
    owners = _owner_words(speaker)
    role = [tuple(w for w in marks[0] if w[0].islower())] if owners and len(marks) == 1 else []

    def named(text: str, marks: list[tuple[str, ...]]) -> bool:
        return any(all(mentions(text, w) for w in mark) for mark in marks)

    def theirs(text: str, context: str = "") -> bool:
        plain = _OWNER.sub(" ", fold(text))
        owned = role if all(mentions(fold(f"{context} {text}"), w) for w in owners) else []
        return any(named(plain, m) and _gives_words_to(text, m) for m in (marks, owned) if m)

    def said(s: Quote, before: str | None = None) -> bool:
        """`before`: the sentence before it in its passage ("" for the first: a headline naming the speaker
        gives them no words); by default the last sentence of `s.previous`."""
        # Named as an owner is not named as the speaker: "… told CNN that … would get the basin to Touton's
        # target" is John Entsminger's.
        if not _SAID.search(s.text):
            return False
        if theirs(s.text, s.previous):
            return True
        # Named just before, and the sentence gives its words to no one else ("According to government
        # estimates, …" after one of Treviño-Sauceda's quotes is the government's).
        before = s.previous.split(". ", 1)[-1] if before is None else before
        return theirs(before, s.previous) and (
            not _VERB_OF_SAYING.search(s.text) or bool(_PRONOUN_SAID.search(s.text))
        )

    return said


def _gives_words_to(text: str, marks: list[tuple[str, ...]]) -> bool:
    """Whether a sentence naming the speaker gives the words to them: it names them before a word of
    saying, or right after one with only a title between ("…,” said Colorado River Commissioner Camille
    Touton"), or has no word of saying (a quotation after their name). "During his victory speech, Petro
    said he is open to dialogue with Hernandez" gives Petro's words, not Hernandez's."""
    plain = _OWNER.sub(" ", text)  # an owner is not the sayer: "Touton's target" names no one speaking
    words = plain.split()
    folded = [w.strip(_EDGE) for w in fold(plain).split()]
    if len(folded) != len(words):
        return True
    verbs = [i for i, w in enumerate(folded) if _SAYING_WORD.fullmatch(w)]
    named = [i for i, w in enumerate(folded) if w and any(mentions(w, m) for mark in marks for m in mark)]
    if not verbs or not named or min(named) < max(verbs):
        return True
    return any(_titled(words[v + 1 : n]) for v in verbs for n in named if 0 < n - v <= TITLE_WORDS + 1)


def _titled(between: list[str]) -> bool:
    """Only a title stands between a word of saying and a name: capitalised words (a brand too: "said eBay
    CEO Jamie Iannone"), "the", "to" after "according", an article before a role ("said an official from
    the Ministry of Commerce"), or the role of one who speaks for someone ("said Cosby's spokesperson Andrew
    Wyatt")."""
    allowed = ("to", "the", "a", "an", *_SPOKESPEOPLE)
    return all(any(c.isupper() for c in w) or w.casefold() in allowed for w in between)


def _full_name(speaker: str) -> tuple[str, ...]:
    """The words of a speaker's full name ("Kyle Johnson"), or () for a one-word name or a role."""
    marks = _speaker_marks(speaker)
    return tuple(m[0] for m in marks) if len(marks) > 1 and all(len(m) == 1 for m in marks) else ()


def spoken_by(
    speaker: str,
    sentences: Sequence[Quote],
    article_of: Callable[[int], str] = str,
    offset_of: Callable[[int], int] = lambda n: 0,
) -> set[tuple[int, int]]:
    """(passage, start) of the speaker's sentences, named as the question names them or, for a role, by
    the name a report gives that role ("Nichelle Nichols's son" is "her son, Kyle Johnson", whose later
    lines say "Johnson said"). `offset_of` maps a passage number to where its text starts in its article."""
    theirs = _spoken_by(speaker, sentences, article_of, offset_of)
    for name in _names_of(speaker, sentences):
        theirs |= _spoken_by(name, sentences, article_of, offset_of)
    return theirs


def _names_of(speaker: str, sentences: Sequence[Quote]) -> list[str]:
    """The names reports give a speaker asked for by role (the role's own word anywhere), and of those
    who speak for the one whose role it is, or for a speaker asked for by name: their spokespeople."""
    names = [named_as(speaker, sentences)]
    if (m := _OWNED_ROLE.match(speaker)) and (roles := _SAME_ROLE.get(m["role"])):
        names += _speaking_for(m["owner"], roles, sentences)
    elif all(len(mark) == 1 for mark in _speaker_marks(speaker)):
        names += _speaking_for(speaker, _SPOKESPEOPLE[:3], sentences) + _officials_of(speaker, sentences)
    return list(dict.fromkeys(n for n in names if n))


# An office whose holder speaks for a country or a body: "Japan's Defense Minister Nobuo Kishi said …" is
# Japan's reaction, "Taiwan's President Tsai Ing-wen" speaks for Taiwan.
_OFFICES = r"(?:President|Premier|Minister|Secretary|Chancellor|Ambassador|Envoy|Spokes(?:person|man|woman))"


def _officials_of(owner: str, sentences: Sequence[Quote]) -> list[str]:
    """The names set right after `owner`'s office: "Japan's Defense Minister Nobuo Kishi" -> Nobuo Kishi
    (a two-word name, so "Taiwan's Central News Agency" names no one)."""
    who = re.escape(owner.split()[-1])
    titled = re.compile(
        rf"\b{who}['’]s\s+(?:[A-Z][\w-]*\s+){{0,3}}{_OFFICES}\s+(?P<name>[A-Z][\w'’.-]*\s+[A-Z][\w'’-]+)"
        rf"(?!\s+[A-Z])"
    )
    return [m["name"] for s in sentences for m in titled.finditer(s.text)]


def _speaking_for(owner: str, roles: Sequence[str], sentences: Sequence[Quote]) -> list[str]:
    """The names set right beside `owner` and one of the roles: "Cosby's spokesperson Andrew Wyatt",
    "Taliban spokesman Zabiullah Mujahid", "Christina Bobb, Trump's attorney", "Jane Roe, a spokeswoman
    for Kia" (a spokesman beside someone else's name is not theirs)."""
    who = re.escape(owner.split()[-1])
    role = rf"(?:{'|'.join(roles)})s?"
    beside = re.compile(
        rf"\b{who}(?:['’]s)?\s+{role},?\s+(?P<after>{_NAME})|"
        rf"(?P<before>{_NAME}),\s+(?:a\s+|the\s+)?(?:{who}(?:['’]s)?\s+{role}|{role}\s+(?:for|to)\s+"
        rf"(?:the\s+)?{who})\b"
    )
    return [m["after"] or m["before"] for s in sentences for m in beside.finditer(s.text)]


_NAME = r"(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’-]+"


def named_as(role: str, sentences: Sequence[Quote]) -> str:
    """The name the reports give a speaker the question names by role, the one given most often: news
    sets a name beside its role on first mention ("her son, Kyle Johnson", "Cosby's spokesperson Andrew
    Wyatt", "Tom Kloza, global head of energy analysis"); "" for a name or a role no report names."""
    marks = _speaker_marks(role)
    if len(marks) != 1 or any(w[:1].isupper() for w in marks[0]):
        return ""
    head = re.escape(marks[0][-1])
    beside = re.compile(
        rf"\b{head},?\s+(?P<after>{_NAME})|(?P<before>{_NAME}),\s+(?:[\w'’-]+\s+){{0,5}}{head}\b"
    )
    found = [m["after"] or m["before"] for s in sentences for m in beside.finditer(s.text)]
    return max(found, key=found.count, default="")


def _spoken_by(
    speaker: str,
    sentences: Sequence[Quote],
    article_of: Callable[[int], str] = str,
    offset_of: Callable[[int], int] = lambda n: 0,
) -> set[tuple[int, int]]:
    """(passage, start) of the speaker's sentences: those that name them, and after one of those, each
    next sentence of a quotation still open or attributed to "he"/"she" (“In terms of fuel … Fuel was
    scarce. Food prices went up,” he said, adding …). Any other sentence ends the run. A surname alone
    counts only in an article that gives the full name somewhere (Dustin Johnson is not Kyle Johnson).
    Sentences are read in their article's order, a run going on into the next passage when it starts where
    the last one ended: Gronkowski's retirement statement runs on across two chunks, its second paragraph
    opening with a quotation mark and no name."""
    said = said_by(speaker)
    full = _full_name(speaker)
    named_in = {article_of(s.passage) for s in sentences if all(mentions(fold(s.text), w) for w in full)}
    theirs: set[tuple[int, int]] = set()
    current, in_quote, opened_by, before = False, False, list[tuple[int, int]](), ""
    read: dict[int, bool] = {}  # by offset in the article: overlapping passages hold a sentence twice
    last: tuple[str, int, int] = ("", 0, -1)  # article, passage, where the text read so far ends
    for s in sorted(sentences, key=lambda q: (article_of(q.passage), offset_of(q.passage) + q.start)):
        article, at = article_of(s.passage), offset_of(s.passage) + s.start
        if (article, s.passage) != last[:2] and (article != last[0] or at > last[2] + PASSAGE_GAP):
            current, in_quote, opened_by, before, read = False, False, [], "", {}
        last = (
            article,
            s.passage,
            max(last[2], at + len(s.text)) if article == last[0] else at + len(s.text),
        )
        if at in read:
            if read[at]:
                theirs.add((s.passage, s.start))
            continue
        if full and article not in named_in:
            continue
        if said(s, before):
            current = True
            if in_quote:  # “Our information … July. It's unclear …,” Sullivan told reporters: all his
                theirs.update(opened_by)
        elif current and not in_quote and not _PRONOUN_SAID.search(s.text):
            # The run ends unless a quotation follows, and not one given to someone else ("“It's unlikely
            # Iran has that many drones,” said a think-tank founder").
            current = _opens_quote(s.text) and not _VERB_OF_SAYING.search(s.text)
        if current:
            theirs.add((s.passage, s.start))
        read[at] = current
        in_quote, before = _still_open(s.text, in_quote), s.text
        opened_by = [*opened_by, (s.passage, s.start)] if in_quote else []
    return theirs


# The next passage carries a run on when it starts this close after the text read so far ends (the blank
# line between two paragraphs).
PASSAGE_GAP = 4


def _opens_quote(text: str) -> bool:
    """A quotation opens the sentence, or follows the writer's lead-in and a colon ("Their home lives
    aren't any easier, either: “Many women live together, three to four in one household …")."""
    text = text.lstrip()
    if _TITLE_FIRST.match(text):  # “Squid Game” is a fictional drama …: a title in quotes, not speech
        return False
    return text.startswith(("“", '"')) or bool(re.search(r":\s*[“\"]", text))


# Speech in quotation marks ends with its punctuation inside them (“Yes,” he said); a title does not.
_TITLE_FIRST = re.compile(r"“[^”]*[^”,.!?…]”\s")


def within_quotation(sentence: str, before: str) -> str:
    """`sentence` as a line of its own, with the quotation marks it stands inside: a sentence that carries on
    a quotation opened before it ("They still are, and it's been impossible to finish the show." after
    Adele's "“Half my crew … is down with Covid.") read as the reporter's own words, and one that opens a
    quotation it does not close lost its end. `before`: its paragraph's text before it."""
    inside = _still_open(before, False)
    # The marks the quotation opened with: straight ones stay straight ("Our information … July. It's …,")
    straight = max(before.rfind('"'), sentence.find('"')) > max(before.rfind("“"), sentence.find("“"))
    opened = "" if not inside or sentence.startswith(("“", '"')) else '"' if straight else "“"
    still_open = _still_open(sentence, inside) and not sentence.endswith(("”", '"'))
    closed = ('"' if straight else "”") if still_open else ""
    return f"{opened}{sentence}{closed}"


def _still_open(text: str, was_open: bool) -> bool:
    """Whether a quotation is open after `text`: as its last curly mark leaves it (a closing mark can be
    split off onto the next sentence, "brutal.” Biden added, “The people … Ukraine.”", and counting them
    then left the quotation open over the next paragraphs), and each straight one toggles it."""
    last = max(text.rfind("“"), text.rfind("”"))
    if last >= 0:
        return text[last] == "“"
    return was_open != (text.count('"') % 2 == 1)
