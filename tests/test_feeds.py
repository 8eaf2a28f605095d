"""`rag feeds`: RSS 2.0 and Atom feeds served by a real HTTP server on loopback (with ETag / 304), their
item pages fetched and extracted, stored in the corpus folder and indexed incrementally."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from rag import answer, ingest, list_articles
from rag.cli import main
from rag.feeds import add_feed, load_feeds, remove_feed, update_feeds

PAGE = """<html><head><meta property="og:title" content="{title}"></head><body><article><h1>{title}</h1>
<p>{text}</p><p>The council said the work would be reviewed again next spring, after the first full
season of use, and that residents could send comments until the end of the month.</p></article></body></html>"""

STORIES = {
    "/news/bridge": ("Portvale bridge reopens", "The Harbour Bridge in Portvale reopened on Monday after repairs "
                     "costing 12 million euros, two months later than planned."),
    "/news/mill": ("Ardmore mill closes", "The old mill in Ardmore closed on Wednesday after 90 years; its 140 "
                   "workers were offered jobs at the plant in Kessock."),
}  # fmt: skip


def rss(base: str, paths: list[str]) -> str:
    items = "".join(
        f"<item><title>{STORIES[p][0]}</title><link>{base}{p}</link>"
        f"<pubDate>Mon, 03 Mar 2025 09:00:00 GMT</pubDate><description>{STORIES[p][1]}</description></item>"
        for p in paths
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Portvale Courier</title>{items}</channel></rss>'


def atom(base: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Post</title>'
        f"<entry><title>Ferry fares to Inchmore rise</title><link href='{base}/gone'/><id>{base}/gone</id>"
        "<updated>2025-04-09T10:00:00Z</updated><content type='html'>&lt;p&gt;Ferry fares to Inchmore rose by 4 per "
        "cent on Wednesday, the operator said, blaming the cost of fuel.&lt;/p&gt;</content></entry></feed>"
    )


class Site(BaseHTTPRequestHandler):
    rss_paths: ClassVar[list[str]] = ["/news/bridge"]
    requests: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        self.requests.append((self.path, self.headers.get("If-None-Match", "")))
        if self.path == "/rss":
            body = rss(base, self.rss_paths).encode()
            etag = f'"{len(self.rss_paths)}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self._send(200, "application/rss+xml", body, etag)
        elif self.path == "/atom":
            self._send(200, "application/atom+xml", atom(base).encode())
        elif self.path in STORIES:
            title, text = STORIES[self.path]
            self._send(200, "text/html", PAGE.format(title=title, text=text).encode())
        elif self.path == "/huge":
            self._send(200, "application/rss+xml", b"<rss>" + b" " * (6 * 1024 * 1024))
        elif self.path == "/notxml":
            self._send(200, "text/html", b"<html><body>Not a feed at all</body></html>")
        else:
            self._send(404, "text/html", b"gone")

    def _send(self, status: int, kind: str, body: bytes, etag: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    Site.rss_paths, Site.requests = ["/news/bridge"], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_feeds_bring_new_items_with_date_link_and_source_and_unchanged_feeds_cost_a_304(fresh_settings, site):
    corpus = fresh_settings.corpus_dir
    add_feed(corpus, f"{site}/rss", "courier")
    add_feed(corpus, f"{site}/atom", "valley")
    report = update_feeds(corpus)
    assert report.added == {"courier": 1, "valley": 1} and not report.errors
    assert report.fallbacks == [f"{site}/gone"]  # its page is gone: the feed's own text is stored
    ingest(settings=fresh_settings)
    by_title = {a.title: a for a in list_articles(fresh_settings)}
    bridge = by_title["Portvale bridge reopens"]
    assert (bridge.published_at, bridge.source) == ("2025-03-03", "Portvale Courier")
    assert by_title["Ferry fares to Inchmore rise"].source == "Valley Post"
    a = answer("How much did the Portvale bridge repairs cost?", settings=fresh_settings)
    assert "12 million euros" in a.text and a.citations[0].url == f"{site}/news/bridge"

    assert update_feeds(corpus).added == {"courier": 0, "valley": 0}
    assert ("/rss", '"1"') in Site.requests  # the conditional GET: If-None-Match with the stored ETag
    Site.rss_paths = ["/news/mill", "/news/bridge"]  # a new item at the top of the feed
    assert update_feeds(corpus).added["courier"] == 1
    report = ingest(settings=fresh_settings)
    assert len(report.added) == 1 and report.articles_total == 3  # incremental: only the new item


def test_a_broken_feed_is_reported_and_the_others_still_update(fresh_settings, site):
    corpus = fresh_settings.corpus_dir
    add_feed(corpus, f"{site}/notxml", "bad")
    add_feed(corpus, f"{site}/missing", "gone")
    add_feed(corpus, f"{site}/huge", "huge")
    add_feed(corpus, f"{site}/rss", "courier")
    report = update_feeds(corpus)
    assert "not an RSS or Atom feed" in report.errors["bad"] and "HTTP 404" in report.errors["gone"]
    assert "larger than 5 MB" in report.errors["huge"]
    assert report.added == {"courier": 1}
    feeds = {f.name: f for f in load_feeds(corpus)}
    assert feeds["gone"].last_error and not feeds["courier"].last_error and feeds["courier"].items_added == 1


def test_feeds_command_line(fresh_settings, site, monkeypatch, capsys):
    monkeypatch.setenv("RAG_CORPUS_DIR", str(fresh_settings.corpus_dir))
    monkeypatch.setenv("RAG_INDEX_DIR", str(fresh_settings.index_dir))
    assert main(["feeds", "add", f"{site}/rss", "--name", "courier"]) == 0
    assert main(["feeds", "add", f"{site}/rss", "--name", "courier"]) == 2  # the name is taken
    assert main(["feeds", "update"]) == 0
    out = capsys.readouterr().out
    assert "courier: 1 new item(s)" in out and "1 articles" in out
    assert main(["feeds", "list"]) == 0
    assert "Portvale Courier" in capsys.readouterr().out
    remove_feed(fresh_settings.corpus_dir, "courier")
    assert load_feeds(fresh_settings.corpus_dir) == []
    assert main(["feeds", "remove", "courier"]) == 2


def test_the_corpus_tabs_update_button_fetches_indexes_and_lists_the_feed(fresh_settings, site):
    import app

    add_feed(fresh_settings.corpus_dir, f"{site}/rss", "courier")
    message, feed_rows, article_rows = app.update_feeds_now(fresh_settings, "")
    assert "courier: 1 new item\\(s\\)" in message and "1 articles" in message
    assert feed_rows[0][:2] == ["courier", "Portvale Courier"] and feed_rows[0][4] == 1
    assert any("Portvale bridge reopens" in str(row) for row in article_rows)
