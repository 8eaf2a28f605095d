"""A web page -> an article file in the corpus folder (`rag ingest https://…`).

The page is fetched with httpx (size cap, redirect limit, timeout), the article, headline, date and site
name are extracted with trafilatura/htmldate, and the result is saved under `corpus/web/` as a Markdown
file with front matter. The normal ingest reads it, so the corpus folder stays the single source of
truth and a re-index works offline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import UnreadableArticle

MAX_PAGE_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
MIN_ARTICLE_CHARS = 200  # less extracted text than this is an index page, a paywall or an error page
USER_AGENT = "news-rag/0.1 (+local corpus builder)"


@dataclass(frozen=True)
class WebArticle:
    url: str
    title: str
    text: str
    published_at: str
    source: str


@contextmanager
def http_errors(url: str, timeout_s: float) -> Iterator[None]:
    """httpx's failures as UnreadableArticle, each saying what went wrong with `url`."""
    import httpx

    try:
        yield
    except httpx.TooManyRedirects:
        raise UnreadableArticle(f"{url}: more than {MAX_REDIRECTS} redirects (a redirect loop?)") from None
    except httpx.TimeoutException:
        raise UnreadableArticle(f"{url}: no answer within {timeout_s:g} s") from None
    except httpx.HTTPError as e:
        raise UnreadableArticle(f"{url}: cannot be fetched ({type(e).__name__}: {e})") from None


def client(timeout_s: float) -> Any:
    import httpx

    return httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout_s,
                        headers={"User-Agent": USER_AGENT})  # fmt: skip


def read_capped(response: Any, url: str, max_bytes: int, what: str) -> bytes:
    """A streamed body, given up as soon as it passes `max_bytes` (a runaway download stops there)."""
    body = bytearray()
    for piece in response.iter_bytes():
        body += piece
        if len(body) > max_bytes:
            size = f"{max_bytes // 2**20} MB" if max_bytes >= 2**20 else f"{max_bytes:,} bytes"
            raise UnreadableArticle(f"{url}: the {what} is larger than {size}")
    return bytes(body)


def fetch(url: str, timeout_s: float = 20.0, max_bytes: int = MAX_PAGE_BYTES) -> tuple[str, str]:
    """(final URL, HTML) of a page; UnreadableArticle with the reason when it cannot be had."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise UnreadableArticle(f"{url}: only http:// and https:// addresses can be fetched")
    with http_errors(url, timeout_s), client(timeout_s) as http, http.stream("GET", url) as response:
        if response.status_code >= 400:
            raise UnreadableArticle(f"{url}: the server answered HTTP {response.status_code}")
        kind = response.headers.get("content-type", "text/html").split(";")[0].strip().lower()
        if kind not in ("text/html", "application/xhtml+xml"):
            raise UnreadableArticle(f"{url}: not a web page ({kind})")
        body = read_capped(response, url, max_bytes, "page")
        return str(response.url), body.decode(response.encoding or "utf-8", errors="replace")


def extract(url: str, html: str) -> WebArticle:
    """The article a page holds; UnreadableArticle when it holds none (an index page, an error page)."""
    import trafilatura

    found = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    meta = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    text = (meta.get("text") or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        raise UnreadableArticle(f"{url}: no article found on the page (an index or error page?)")
    source = meta.get("sitename") or urlsplit(url).hostname or ""
    return WebArticle(url, (meta.get("title") or "").strip(), text, meta.get("date") or "", source.strip())


def save(article: WebArticle, corpus_dir: Path, path: Path | None = None) -> Path:
    """The article as a Markdown file with front matter, by default `corpus/web/<host>-<path>.md` (fetching
    the same address again replaces it)."""
    if path is None:
        parts = urlsplit(article.url)
        slug = re.sub(r"[^\w]+", "-", f"{parts.hostname or 'page'} {parts.path} {parts.query}")
        path = corpus_dir / "web" / f"{slug.strip('-').lower()[:120] or 'page'}.md"
    path.parent.mkdir(parents=True, exist_ok=True)

    def field(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', "'").replace("\n", " ") + '"'

    front = [
        f"title: {field(article.title)}",
        f"date: {article.published_at}",
        f"source: {field(article.source)}",
        f"url: {article.url}",
    ]
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text("---\n" + "\n".join(front) + "\n---\n" + article.text + "\n", encoding="utf-8")
    tmp.replace(path)  # a kill mid-write never leaves half an article in the corpus
    return path


def add_page(url: str, corpus_dir: Path, timeout_s: float = 20.0) -> Path:
    final_url, html = fetch(url, timeout_s)
    return save(extract(final_url, html), corpus_dir)
