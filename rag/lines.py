"""What a several-sentence answer is made of, shared by its two gatherers (synthesis.py for summaries,
lists, why/how, "said" and "what happened"; comparison.py for comparisons): its lines, the sentences that
may be lines, and the evidence record they cite.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .clean import photo_credits
from .components import Components
from .evidence import Evidence, Trace
from .schema import Filter, Passage
from .sentences import Quote
from .text import DATE_WORDS, figures_in, names_in

# Passages read for a several-sentence answer (a factoid reads 4): a summary draws on more of the story.
# On the synthesis tuning halves (82 questions, session 25; comparisons kept at 8), all key facts /
# coverage: 6: 0.744 / 0.866; 8: 0.744 / 0.862; 10: 0.756 / 0.866; 12: 0.768 / 0.874; 14: 0.756 / 0.870;
# 16 and 20: 0.756 / 0.866; p95 0.94 -> 1.1 s.
SYNTHESIS_K = 12
# Each side of a comparison: 12 lost one comparison and abstained on one (0.768 -> 0.756, 1 abstention).
SIDE_K = 8


@dataclass(frozen=True)
class Line:
    """One sentence of a several-sentence answer; `side` names what it stands for in a comparison."""

    quote: Quote
    side: str = ""


@dataclass(frozen=True)
class Synthesis:
    evidence: Evidence
    lines: tuple[Line, ...]
    missing: tuple[str, ...] = ()  # comparison sides no passage speaks of


# Photo captions and their credits run into the text of scraped news ("… Ebrahim Noroozi/AP An injured
# victim receives treatment …"): not sentences of the story. An agency credited after a slash only: "…
# 659 mainly elderly people had died in the previous seven days, Reuters reported." is news (8 such
# sentences of realtimeqa-dev were dropped as captions).
_CAPTION = re.compile(
    r"^(?:AP|AFP|Reuters|Getty Images|EPA|Bloomberg)\b|"
    r"/\s*(?:AFP|Reuters|AP Photo|Anadolu Agency)\b|\bGetty Images\b|\bPhoto(?:graph)?:\s"
)


def is_short(s: Quote) -> bool:
    """Too short to stand as a line (a heading, a credit), a headline, a photo caption, or a question the
    article asks ("So why don't New Jersey and Oregon let you pump your own gas?" states nothing), or a
    lead-in to what follows ("Here are some key questions and answers about the 187 minutes:")."""
    return (
        len(s.text.split()) < 5 or s.headline or bool(_CAPTION.search(s.text)) or s.text.endswith(("?", ":"))
    )


# Scraped news keeps a photo's caption as its own paragraph, ended by the credit with no full stop:
# "A damaged building lies on its side after an earthquake in Abra province on July 27. AP",
# "KFC is testing out new chicken nuggets for a limited time. KFC".
# (A paragraph break, not the end of the passage: a chunk can end inside the next sentence.)
_CREDIT_AFTER = re.compile(r"[ \t]+(?P<credit>[A-Z][^\n.!?:;\"“”]{0,60}?)[ \t]*\n")
CREDIT_WORDS = 6


# A paragraph with this many credits is a photo gallery ("People protest outside the prime minister's
# office … on Wednesday, July 13. AFP/Getty Images A man sits in a chair …", 46 captions in one paragraph
# of a report from the Saturday before): 3 paragraphs of realtimeqa-dev's 92 articles, each a gallery.
GALLERY_CREDITS = 3


def is_caption(s: Quote, passage_text: str) -> bool:
    """Whether the sentence is a photo caption: its paragraph ends right after it with a credit, or is a
    photo gallery."""
    credit = _CREDIT_AFTER.match(passage_text, s.end)
    if credit and len(credit.group("credit").split()) <= CREDIT_WORDS:
        return True
    start, end = passage_text.rfind("\n", 0, s.start) + 1, passage_text.find("\n", s.end)
    return photo_credits(passage_text[start : end if end >= 0 else None]) >= GALLERY_CREDITS


def has_amounts(text: str) -> bool:
    """A figure that is not a date ("magnitude 7.0", "8.6%", not "on July 27")."""
    return bool(figures_in(DATE_WORDS.sub(" ", text)))


def evidence_of(query: str, where: Filter, passages: Sequence[Passage], sentences: Sequence[Quote],
              ranked: Sequence[Passage], picked: Sequence[Quote], parts: Components,
              subject: str = "") -> Evidence:  # fmt: skip
    return Evidence(
        tuple(passages),
        tuple(sentences),
        sentences[0] if sentences else None,
        tuple(picked),
        Trace(query, where, tuple(ranked)),
        reading=tuple(sentences[:1]),
        unknown_names=tuple(parts.index.unknown_names(names_in(subject or query, skip_opening_word=True))),
    )
