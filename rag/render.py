"""How an answer looks in the web chat: escaped Markdown whose [n] markers link to their passages, the
sources panel's HTML (article text always escaped, the quoted sentence highlighted), and the status line.
Pure functions of an `Answer`: tested without a browser, used by app.py.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .schema import Answer
from .settings import Settings
from .text import CITATION

CSS = """
.sources mark { background: #fde68a; padding: 0 2px; }
.sources .source { border-left: 3px solid #94a3b8; padding: 4px 10px; margin: 8px 0; scroll-margin: 12px; }
.sources .source.selected { border-left-color: #f59e0b; background: #fffbeb; }
.sources .meta { color: #64748b; font-size: 0.85em; }
.sources .abstained { color: #b45309; }
.sources summary { cursor: pointer; font-weight: 600; }
"""

# Clicking a [n] marker in an answer opens that turn's sources and scrolls to passage n. Links in the
# chat would otherwise open in a new tab, so the click is handled here.
HEAD = """
<script>
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[href^='#src-']");
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const target = document.getElementById(link.getAttribute("href").slice(1));
  if (!target) return;
  const turn = target.closest("details");
  if (turn) turn.open = true;
  document.querySelectorAll(".sources .source.selected").forEach((el) => el.classList.remove("selected"));
  target.classList.add("selected");
  target.scrollIntoView({ behavior: "smooth", block: "center" });
}, true);
</script>
"""


def escape_markdown(text: str) -> str:
    """Article-derived text for the Markdown chat: no links, images, tags or emphasis can come from it."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]()!#|~])", r"\\\1", text)


def answer_markdown(text: str, turn: int) -> str:
    """Escaped answer text whose [n] markers link to passage n of this turn's sources."""
    parts, last = [], 0
    for m in CITATION.finditer(text):
        parts.append(escape_markdown(text[last : m.start()]))
        numbers = re.findall(r"\d+", m.group(1))
        parts.append("".join(f"[\\[{n}\\]](#src-{turn}-{n})" for n in numbers))
        last = m.end()
    parts.append(escape_markdown(text[last:]))
    return "".join(parts)


def _passage_html(c: Any, turn: int, show_scores: bool) -> str:
    passage = html.escape(c.text)
    for quote in c.quotes or ((c.quote,) if c.quote else ()):  # every sentence the answer cites
        if quote in c.text:
            passage = passage.replace(html.escape(quote), f"<mark>{html.escape(quote)}</mark>", 1)
    meta = [html.escape(c.published_at or "undated")]
    if c.source:
        meta.insert(0, html.escape(c.source))
    if c.url.startswith(("http://", "https://")):
        href = html.escape(c.url, quote=True)
        meta.append(f"<a href='{href}' target='_blank' rel='noopener noreferrer nofollow'>link</a>")
    meta.append(html.escape(c.article_id))
    if c.copies:
        also = ", ".join(f"{r.source} ({r.published_at or 'undated'})" for r in c.copies)
        meta.append(f"also reported by {html.escape(also)}")
    if show_scores:
        meta.append(f"score {c.score:.3f}")
    return (
        f"<div class='source' id='src-{turn}-{c.n}'><b>[{c.n}] {html.escape(c.title)}</b>"
        f"<div class='meta'>{' · '.join(meta)}</div><p>{passage}</p></div>"
    )


def turn_sources_html(a: Answer, turn: int, show_scores: bool = False, unfolded: bool = True) -> str:
    """One answer's sources as HTML built from escaped text: article text is never markup."""
    question = html.escape(a.question)
    opened = " open" if unfolded else ""
    parts = [f"<details class='turn' id='turn-{turn}'{opened}><summary>Q{turn}: {question}</summary>"]
    if a.search_query and a.search_query != a.question:
        parts.append(f"<div class='meta'>searched for: {html.escape(a.search_query)}</div>")
    if a.since or a.until:
        period = " to ".join([a.since or "the first article", a.until or "today"])
        parts.append(f"<div class='meta'>only articles published {html.escape(period)}</div>")
    if a.abstained:
        parts.append("<p class='abstained'>The corpus doesn't answer this. Closest passages:</p>")
    parts += [_passage_html(c, turn, show_scores) for c in a.citations] or ["<p>No passages.</p>"]
    return "".join(parts) + "</details>"


def sources_panel(answers: list[Answer], show_scores: bool = False) -> str:
    """Every turn's sources, newest first and unfolded; earlier turns folded."""
    if not answers:
        return "<div class='sources'><p>Sources appear here.</p></div>"
    turns = [
        turn_sources_html(a, turn, show_scores, unfolded=turn == len(answers))
        for turn, a in reversed(list(enumerate(answers, start=1)))
    ]
    return "<div class='sources'><h4>Sources</h4>" + "".join(turns) + "</div>"


def status_line(a: Answer, settings: Settings) -> str:
    backend = f"{a.backend} ({a.model})" if a.model else a.backend
    stages = " · ".join(f"{k.removesuffix('_ms')} {v / 1000:.2f} s" for k, v in a.timings.items())
    searched = f" · searched for: {escape_markdown(a.search_query)}" if a.search_query != a.question else ""
    tail = f" · {escape_markdown(a.notes[0])}" if a.notes else ""
    return f"Answered by {backend} · {stages}{searched}{tail}"
