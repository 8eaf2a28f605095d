"""Strip the noise scraped articles carry, conservatively: a real sentence of the article must never go.

Hard-wrapped paragraphs are joined first (a wrapped line would look like a pasted headline). Then what
goes, line by line:
- photo captions: a line ending in a credit such as "Photo: AFP" or "(Photo by Jane Doe/Reuters)";
- cookie / consent banners, newsletter sign-up promotions, a video player's clip title and length;
- related-article headlines pasted between paragraphs: a short line with no sentence-ending punctuation;
- exact repeats of an earlier line.

trafilatura does this for HTML pages (it sees the markup); plain text pasted from a page has no markup
left, so these line rules are what remains. Everything dropped is returned so callers can show it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CAPTION_CREDIT = re.compile(
    r"(?:\b(?:photo|photograph|picture|image|file photo|video)s?\s*(?:credit)?\s*:\s*[\w .,&'’/-]{1,60}"
    r"|\((?:photo|picture|image)s?\s+(?:by|:)[^)]{1,80}\))\s*$",
    re.IGNORECASE,
)
_COOKIE_BANNER = re.compile(
    r"\b(?:(?:uses?|use of|accept(?:s|ing)?(?: all)?|these|our|essential|third[- ]party) cookies"
    r"|cookie (?:policy|settings|preferences|consent|notice)"
    r"|manage (?:your )?consent)\b",
    re.IGNORECASE,
)
# A photo caption ending in its credit, "Name/Agency" ("… in Colombo on July 13. Abhishek Chinnappa/Getty
# Images"): its description reads like a sentence of the story but is no part of the report. 58
# paragraphs of realtimeqa-dev's 92 articles end so, every one a caption (some of two sentences).
_NAME_AGENCY_CREDIT = re.compile(
    r"[A-Z][\w.'’-]+\s?/[^.!?]{0,60}?\b(?:AP|AFP|Reuters|Getty Images|EPA|Bloomberg|Shutterstock|Sipa USA|"
    r"NurPhoto|ZUMA Press|Redux|Alamy|SOPA Images|LightRocket)(?:\s+via\s+[\w ]+)?\)?\s*$"
)
_CAPTION_MAX_WORDS = 80
_CREDIT = re.compile(_NAME_AGENCY_CREDIT.pattern.removesuffix(r"\)?\s*$") + r"\b")


def photo_credits(text: str) -> int:
    """How many "Name/Agency" photo credits the text has: a paragraph with several is a photo gallery, a
    run of captions, kept (a caption can carry news: "The magnitude 5.9 quake struck …") but no line of a
    several-sentence answer."""
    return len(_CREDIT.findall(text))


# A newsletter promotion ("Sign up for CNN's Wonder Theory science newsletter.", "To get it in your inbox,
# sign up …") and a video player's leftovers ("Video Ad Feedback <clip title> 02:08 - Source: CNN"): the
# clip title reads like a sentence ("Biden forgave $10K in student debt.") but is no part of the report.
_NEWSLETTER_PROMO = re.compile(r"\bsign(?:ing)?\s+up\b.*\b(?:newsletter|inbox)\b|\b(?:newsletter|inbox)\b.*"
                               r"\bsign(?:ing)?\s+up\b", re.IGNORECASE)  # fmt: skip
_VIDEO_PLAYER = re.compile(r"^Video Ad Feedback\b|\b\d{1,2}:\d{2}\s+-\s+Source:\s+[\w .]{1,40}$")
# A sentence ends in . ! ? or … possibly followed by closing quotes/brackets; so does a line ending in ":"
# that introduces a list, which we keep.
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")
_INNER_SENTENCE_END = re.compile(r"\w{2,} \w+[a-z0-9%)]\.[\"'”’)]*\s+\S")  # "... lasted three weeks. <img"
_HEADLINE_MAX_WORDS = 25
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Cleaned:
    text: str  # paragraphs separated by blank lines
    removed: tuple[str, ...]


def normalize_text(text: str) -> str:
    """Unicode NFC, unified newlines, no control characters, no trailing spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text).replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def why_noise(line: str, headline: str = "") -> str | None:
    """The reason `line` is scraped noise rather than article text, or None to keep it."""
    stripped = line.strip()
    credited = _NAME_AGENCY_CREDIT.search(stripped) and len(stripped.split()) <= _CAPTION_MAX_WORDS
    if credited or _CAPTION_CREDIT.search(stripped):
        return "photo caption"
    if _COOKIE_BANNER.search(stripped) and len(stripped.split()) <= 60:
        return "cookie banner"
    if _NEWSLETTER_PROMO.search(stripped) and len(stripped.split()) <= 60:
        return "newsletter promotion"
    if _VIDEO_PLAYER.search(stripped):
        return "video player"
    if headline and stripped.casefold() == headline.strip().casefold():
        return "repeated headline"
    if (
        not _SENTENCE_END.search(stripped)
        and not _INNER_SENTENCE_END.search(stripped)  # "A sentence. <img ...>" holds a real sentence
        and len(stripped.split()) <= _HEADLINE_MAX_WORDS
    ):
        return "pasted headline"
    return None


_WRAPPED_LINE_MIN_CHARS = 40


def unwrap(text: str) -> str:
    """Join hard-wrapped lines (text saved at a fixed width) back into paragraphs.

    A block of lines with no blank line between them is one wrapped paragraph when most of its lines
    are long and stop mid-sentence; a short unpunctuated line among sentences (a pasted headline) is
    left alone, so the line rules can still see it.
    """
    blocks = re.split(r"\n\s*\n", text)
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        inner = lines[:-1]
        wrapped = [
            line for line in inner if len(line) >= _WRAPPED_LINE_MIN_CHARS and not _SENTENCE_END.search(line)
        ]
        if inner and len(wrapped) * 2 >= len(inner):
            out.append(" ".join(lines))
        else:
            out.append("\n".join(lines))
    return "\n\n".join(out)


def clean_body(body: str, headline: str = "") -> Cleaned:
    """Drop captions, banners, pasted headlines and repeated lines from an article body; keep subheads and
    lists.

    >>> clean_body("Real sentence.\\nRelated story headline\\nMore text. Photo: AFP").text
    'Real sentence.'
    """
    kept: list[str] = []
    removed: list[str] = []
    seen: set[str] = set()
    lines = [line.strip() for line in unwrap(normalize_text(body)).split("\n") if line.strip()]
    first = _first_text(lines)
    if first >= 0 and (dateline := _DATELINE.match(lines[first])):
        removed.append(dateline.group().strip())
        lines[first] = lines[first][dateline.end() :]
    lists = _list_blocks(lines)
    in_list = {n for start, (end, _) in lists.items() for n in range(start, end)}
    for n, stripped in enumerate(lines):
        if n in lists:
            kept.extend(lists[n][1])
        if n in in_list:
            continue
        key = stripped.casefold()
        noise = why_noise(stripped, headline)
        if noise == "pasted headline" and kept and _is_subhead(stripped, kept[-1], _next_text(lines, n)):
            noise = None
        if key in seen or noise:
            removed.append(stripped)
            continue
        seen.add(key)
        kept.append(stripped)
    return Cleaned(text="\n\n".join(kept), removed=tuple(removed))


# A subhead names the section under it ("Partygate", "The flat refurbishment", "Enhanced review process for
# buyers under 21"): kept, so that search finds its words and the sentences under it have it as context
# ("What was Partygate?" found nothing: the word is only in the subhead). 32 of realtimeqa-dev's 92 articles
# have subheads. A pasted headline of another story runs longer ("World's largest contract chip maker TSMC
# inaugurates its first plant in Japan") or does not sit between two paragraphs of text.
SUBHEAD_MAX_WORDS = 8
_PARAGRAPH_MIN_WORDS = 12
_SUBHEAD_START = re.compile(r"^[\"'‘“]?[A-Z0-9]")
# A link or a label ("Related: other tram news", "Read more:"), a photo credit ("NASA/ESA"), a dateline
# ("London CNN —").
_NOT_A_SUBHEAD = re.compile(r"https?:|www\.|@|/|:|[—–-]$")


# A dateline run into the first paragraph ("New York (CNN Business) Most Americans …", "WASHINGTON (AP) —
# The Senate …"): the place and the agency are no part of the lede, which an answer quotes (realtimeqa-dev:
# "New York (CNN Business) Most Americans facing record gas prices cringe …" was a why-answer's line).
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.'’-]*,?\s+){0,4}\((?:CNN(?:\s+\w+)?|AP|AFP|Reuters)\)\s*(?:[—–-]+\s*)?(?=[A-Z“\"])"
)


def _first_text(lines: list[str]) -> int:
    """The first line with a sentence in it (a dateline runs into the lede, not into a headline)."""
    return next((n for n, line in enumerate(lines) if _SENTENCE_END.search(line)), -1)


def _next_text(lines: list[str], n: int) -> list[str]:
    """The line after line `n`, past photo captions: a subhead can sit above its section's photo
    ("Artisans make colorful sugar skulls", a caption, then the section's text)."""
    return next(([line] for line in lines[n + 1 :] if why_noise(line) != "photo caption"), [])


def reads_as_subhead(text: str) -> bool:
    """A few words with no sentence end: a subhead kept by clean_body, context for the sentences under it
    but no sentence of an answer."""
    return len(text.split()) <= SUBHEAD_MAX_WORDS and not _SENTENCE_END.search(text)


def _is_subhead(line: str, before: str, after: list[str]) -> bool:
    """Whether an unpunctuated short line is a subhead: a few words, not shouted, not a dateline or a link,
    after a paragraph of text and before one."""
    words = line.split()
    return (
        len(words) <= SUBHEAD_MAX_WORDS
        and bool(_SUBHEAD_START.match(line))
        and not line.isupper()
        and not _NOT_A_SUBHEAD.search(line)
        and bool(_SENTENCE_END.search(before))
        and bool(after)
        and len(after[0].split()) >= _PARAGRAPH_MIN_WORDS
        and bool(_SENTENCE_END.search(after[0]))
    )


# A list printed one item a line ("Outstanding drama series" / "“Better Call Saul”" / "“Euphoria”" …, the
# Emmy nominations by category): a run of short unpunctuated lines after a paragraph of text. Each line
# alone reads as a pasted headline, and the whole list went: 130 lines of realtimeqa-dev's Emmy article.
# Pasted headlines of other stories run longer (12-15 words in the seed article) and stand alone.
LIST_MIN_LINES = 3
LIST_ITEM_MAX_WORDS = 10


def _is_list_line(line: str) -> bool:
    """A few words, no sentence, or a quoted title ("“The Marvelous Mrs. Maisel”", "“Nailed It!”")."""
    noise = why_noise(line)
    return (
        (noise == "pasted headline" or (noise is None and line.endswith(("”", '"'))))
        and len(line.split()) <= LIST_ITEM_MAX_WORDS
        and bool(_SUBHEAD_START.match(line))
        and not _NOT_A_LIST_LINE.search(line)
    )


# A link, a photo credit ("NASA/ESA"), a label ("Related: …"). "reality/competition" and a colon inside
# a title ("“Impeachment: American Crime Story”") are still items.
_NOT_A_LIST_LINE = re.compile(r"https?:|www\.|@|[A-Z][\w.]*/[A-Z]|^[^“\"]{1,25}:\s|[—–-]$")


def _list_blocks(lines: list[str]) -> dict[int, tuple[int, list[str]]]:
    """Where each list block starts among `lines`: (where it ends, its paragraphs). A block is a run of at
    least LIST_MIN_LINES list lines right after a line of text."""
    blocks: dict[int, tuple[int, list[str]]] = {}
    n = 1
    while n < len(lines):
        end = n
        while end < len(lines) and _is_list_line(lines[end]):
            end += 1
        if end - n >= LIST_MIN_LINES and _SENTENCE_END.search(lines[n - 1]):
            blocks[n] = (end, _as_paragraphs(lines[n:end]))
        n = max(end, n + 1)
    return blocks


def _as_paragraphs(run: list[str]) -> list[str]:
    """A list's lines as sentences, one per heading: "Outstanding drama series: “Better Call Saul”;
    “Euphoria”; … ." A heading is a line shaped unlike the two after it, which are shaped alike (quoted
    titles, "Name, “Show”"); a list with no heading is one sentence."""

    def shape(line: str) -> tuple[bool, bool]:
        return (bool(re.search(r"[“\"]", line)), "," in line)

    paragraphs: list[str] = []
    heading, items = "", list[str]()
    for i, line in enumerate(run):
        if i + 2 < len(run) and shape(line) != shape(run[i + 1]) == shape(run[i + 2]):
            if items:
                paragraphs.append(_list_sentence(heading, items))
            heading, items = line, []
        else:
            items.append(line)
    if items:
        paragraphs.append(_list_sentence(heading, items))
    return paragraphs


def _list_sentence(heading: str, items: list[str]) -> str:
    return (f"{heading}: " if heading else "") + "; ".join(items) + "."
