"""RSS/Atom feeds that keep the corpus current (`rag feeds add|list|remove|update`).

The feeds are listed in `corpus/feeds.toml`. An update fetches each feed with a conditional GET (ETag /
Last-Modified: an unchanged feed costs one 304), reads it with feedparser (RSS 0.9x–2.0, Atom), fetches
each new item's page (web.py; the feed's own text when the page cannot be had) and stores it as
`corpus/feeds/<name>/<item>.md` with the item's date and link and the feed's title as its source. The
corpus folder stays the single source of truth: the normal, incremental ingest indexes what was added,
and syndicated copies across feeds merge as for any other file.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import tomllib
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import UnreadableArticle
from .settings import Settings
from .web import WebArticle, client, extract, fetch, http_errors, read_capped, save

log = logging.getLogger(__name__)

FEEDS_FILE = "feeds.toml"
MAX_FEED_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    title: str = ""  # the feed's own title: the source of its articles
    etag: str = ""
    modified: str = ""
    last_refresh: str = ""  # ISO time of the last update that reached the feed
    items_added: int = 0  # by the last update
    last_error: str = ""  # of the last update, "" when it went well


@dataclass
class FeedsReport:
    added: dict[str, int] = field(default_factory=dict)  # feed name -> items stored
    errors: dict[str, str] = field(default_factory=dict)  # feed name -> why it failed
    fallbacks: list[str] = field(default_factory=list)  # items stored from the feed's text (page failed)

    def summary(self) -> str:
        lines = [f"{name}: {n} new item(s)" for name, n in self.added.items()]
        lines += [f"{name}: {error}" for name, error in self.errors.items()]
        lines += [f"stored from the feed's own text (page unavailable): {url}" for url in self.fallbacks]
        return "\n".join(lines) or "no feeds (add one with `rag feeds add URL`)"


def load_feeds(corpus_dir: Path) -> list[Feed]:
    path = corpus_dir / FEEDS_FILE
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UnreadableArticle(f"{path} is not valid TOML ({e}); fix or delete it") from None
    known = set(Feed.__dataclass_fields__)
    return [Feed(**{k: v for k, v in entry.items() if k in known}) for entry in data.get("feed", [])]


def save_feeds(corpus_dir: Path, feeds: list[Feed]) -> None:
    # TOML is written by hand: tomllib only reads it, and these are flat tables of strings and numbers
    # (json.dumps quotes strings the way TOML's basic strings want them).
    blocks = []
    for feed in feeds:
        lines = ["[[feed]]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in asdict(feed).items()]
        blocks.append("\n".join(lines))
    corpus_dir.mkdir(parents=True, exist_ok=True)
    tmp = corpus_dir / f".{FEEDS_FILE}.tmp"
    tmp.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    tmp.replace(corpus_dir / FEEDS_FILE)


def add_feed(corpus_dir: Path, url: str, name: str = "") -> Feed:
    feeds = load_feeds(corpus_dir)
    from urllib.parse import urlsplit

    name = _slug(name or (urlsplit(url).hostname or "feed"))
    if any(f.name == name for f in feeds):
        raise ValueError(f"a feed named {name!r} exists already: choose another with --name")
    feed = Feed(name=name, url=url)
    save_feeds(corpus_dir, [*feeds, feed])
    return feed


def remove_feed(corpus_dir: Path, name: str) -> None:
    """Stop following a feed; the articles it brought stay in the corpus (delete corpus/feeds/<name>/)."""
    feeds = load_feeds(corpus_dir)
    if not any(f.name == name for f in feeds):
        raise ValueError(f"no feed named {name!r} (see `rag feeds list`)")
    save_feeds(corpus_dir, [f for f in feeds if f.name != name])


def update_feeds(corpus_dir: Path, timeout_s: float = 20.0) -> FeedsReport:
    """Fetch every feed and store its new items; the caller ingests the corpus afterwards."""
    report, updated = FeedsReport(), []
    for feed in load_feeds(corpus_dir):
        try:
            feed = _update_one(feed, corpus_dir, timeout_s, report)
        except UnreadableArticle as e:
            report.errors[feed.name] = str(e)
            feed = replace(feed, last_error=str(e), items_added=0)
        updated.append(feed)
    save_feeds(corpus_dir, updated)
    return report


def refresh(settings: Settings) -> str:
    """Update the feeds and index what they brought; the summary for people. Never waits for another
    ingest: when one is running, the items are stored and the next ingest indexes them."""
    from .corpus import ingest
    from .errors import IndexBusy

    report = update_feeds(settings.corpus_dir)
    summary = report.summary()
    if sum(report.added.values()):
        try:
            summary += "\n" + ingest(settings=settings).summary()
        except IndexBusy as e:
            summary += f"\n{e}; the new items are indexed by the next ingest"
    return summary


def refresh_in_background(settings: Settings) -> threading.Thread | None:
    """Every RAG_FEED_INTERVAL minutes, `refresh` on a daemon thread (answers never wait for it)."""
    if settings.feed_interval_min <= 0:
        return None

    def loop() -> None:
        while True:
            time.sleep(settings.feed_interval_min * 60)
            try:
                log.info("feeds: %s", refresh(settings))
            except Exception:  # a bad feed day must not end the refresher
                log.exception("feed refresh failed")

    thread = threading.Thread(target=loop, name="feed-refresh", daemon=True)
    thread.start()
    return thread


def _update_one(feed: Feed, corpus_dir: Path, timeout_s: float, report: FeedsReport) -> Feed:
    import feedparser

    status, headers, body = _conditional_get(feed, timeout_s)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if status == 304:  # unchanged since the last update
        report.added[feed.name] = 0
        return replace(feed, last_refresh=now, items_added=0, last_error="")
    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.version):  # an empty feed still has a version
        problem = type(parsed.bozo_exception).__name__ if parsed.bozo else "no feed elements"
        raise UnreadableArticle(f"{feed.url}: not an RSS or Atom feed ({problem})")
    title = parsed.feed.get("title") or feed.title or feed.name
    folder = corpus_dir / "feeds" / feed.name
    added = sum(_store_item(entry, title, folder, timeout_s, report) for entry in parsed.entries)
    report.added[feed.name] = added
    return replace(feed, title=title, etag=headers.get("etag", ""), modified=headers.get("last-modified", ""),
                   last_refresh=now, items_added=added, last_error="")  # fmt: skip


def _conditional_get(feed: Feed, timeout_s: float) -> tuple[int, dict[str, str], bytes]:
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.modified:
        headers["If-Modified-Since"] = feed.modified
    with (
        http_errors(feed.url, timeout_s),
        client(timeout_s) as http,
        http.stream("GET", feed.url, headers=headers) as response,
    ):
        if response.status_code >= 400:
            raise UnreadableArticle(f"{feed.url}: the server answered HTTP {response.status_code}")
        body = read_capped(response, feed.url, MAX_FEED_BYTES, "feed")
        return response.status_code, {k.lower(): v for k, v in response.headers.items()}, body


def _store_item(entry: Any, feed_title: str, folder: Path, timeout_s: float, report: FeedsReport) -> int:
    """1 when the item is new and stored, 0 when it was stored before or holds nothing to read."""
    link = entry.get("link") or entry.get("id") or ""
    if not link:
        return 0
    path = folder / f"{_slug(link)[:120]}.md"
    if path.exists():
        return 0
    published = _entry_date(entry)
    try:
        article = extract(*fetch(link, timeout_s))
    except UnreadableArticle:
        article = _from_feed_text(entry, link)
        if article is None:
            return 0
        report.fallbacks.append(link)
    title = entry.get("title") or article.title
    save(replace(article, url=link, title=title, published_at=published or article.published_at,
                 source=feed_title), folder, path=path)  # fmt: skip
    return 1


def _from_feed_text(entry: Any, link: str) -> WebArticle | None:
    """The item's text as the feed carries it (often an HTML fragment: lxml, which trafilatura brings,
    reads fragments that trafilatura's page extractor rejects)."""
    from lxml import html as lxml_html

    markup = next((c.get("value", "") for c in entry.get("content", []) if c.get("value")), "")
    markup = markup or entry.get("summary", "")
    if "<" in markup:
        markup = lxml_html.fragment_fromstring(markup, create_parent="div").text_content()
    text = markup.strip()
    return WebArticle(link, entry.get("title", ""), text, "", "") if text else None


def _entry_date(entry: Any) -> str:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}" if stamp else ""


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "feed"
