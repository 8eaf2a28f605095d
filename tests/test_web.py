"""`rag ingest https://…`: a real HTTP server on loopback serves pages; trafilatura/htmldate extract them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rag import answer, ingest, list_articles
from rag.cli import main
from rag.errors import UnreadableArticle
from rag.web import add_page, fetch

ARTICLE = """<!doctype html><html><head><title>Tram line to Kessock opens | Highland Wire</title>
<meta property="og:title" content="Tram line to Kessock opens after two-year delay">
<meta property="og:site_name" content="Highland Wire">
<meta property="article:published_time" content="2025-07-01T09:30:00Z">
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article><h1>Tram line to Kessock opens after two-year delay</h1>
<p>The tram line between Inverness and Kessock opened to passengers on Tuesday, two years late and
40 million pounds over its original budget of 95 million pounds, the regional transport board said.</p>
<p>Officials expect 41,000 passengers a day once the line runs at full frequency in the autumn, and the
board said fares would be frozen until the end of next year.</p>
<p>The delay was blamed on a shortage of engineers and a dispute over the route through the harbour.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>"""

INDEX = """<html><head><title>Highland Wire</title></head><body><ul>
<li><a href="/a">Tram opens</a></li><li><a href="/b">Ferry fares</a></li></ul></body></html>"""


class Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/tram":
            self._send(200, "text/html; charset=utf-8", ARTICLE.encode())
        elif self.path == "/index":
            self._send(200, "text/html", INDEX.encode())
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, "text/html", ARTICLE.encode())
        elif self.path == "/huge":
            self._send(200, "text/html", b"<p>" + b"x" * 50_000 + b"</p>")
        elif self.path == "/report.pdf":
            self._send(200, "application/pdf", b"%PDF-1.4")
        else:
            self._send(404, "text/html", b"<h1>Not found</h1>")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_fetched_page_becomes_a_corpus_file_with_headline_date_and_site(fresh_settings, site):
    path = add_page(f"{site}/tram", fresh_settings.corpus_dir)
    assert path.parent == fresh_settings.corpus_dir / "web" and path.suffix == ".md"
    ingest(settings=fresh_settings)
    [article] = list_articles(fresh_settings)
    assert article.title == "Tram line to Kessock opens after two-year delay"
    assert (article.published_at, article.source) == ("2025-07-01", "Highland Wire")
    a = answer("How far over budget was the Kessock tram line?", settings=fresh_settings)
    assert "40 million pounds" in a.text and a.citations[0].url == f"{site}/tram"
    # The corpus folder is the source of truth: a rebuild re-reads the saved file, offline.
    assert ingest(settings=fresh_settings, rebuild=True).articles_total == 1


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/index", "no article found"),
        ("/loop", "redirect loop"),
        ("/report.pdf", "not a web page"),
    ],
)
def test_a_page_that_cannot_be_an_article_says_why_and_saves_nothing(fresh_settings, site, page, reason):
    with pytest.raises(UnreadableArticle, match=reason):
        add_page(f"{site}{page}", fresh_settings.corpus_dir)
    assert not (fresh_settings.corpus_dir / "web").exists() or not any(
        (fresh_settings.corpus_dir / "web").iterdir()
    )


def test_a_slow_or_huge_page_is_given_up(site):
    with pytest.raises(UnreadableArticle, match="no answer within"):
        fetch(f"{site}/slow", timeout_s=1)
    with pytest.raises(UnreadableArticle, match="larger than"):
        fetch(f"{site}/huge", max_bytes=10_000)


def test_rag_ingest_with_an_address(fresh_settings, site, monkeypatch, capsys):
    monkeypatch.setenv("RAG_CORPUS_DIR", str(fresh_settings.corpus_dir))
    monkeypatch.setenv("RAG_INDEX_DIR", str(fresh_settings.index_dir))
    assert main(["ingest", f"{site}/tram"]) == 0
    assert "1 articles" in capsys.readouterr().out
    assert main(["ingest", f"{site}/missing"]) == 2
    assert "HTTP 404" in capsys.readouterr().err
