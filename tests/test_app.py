"""The chat in a real browser: Debian's Chromium driven by Playwright against the app on a loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import SEED

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make test installs it)"
)

NEW_ARTICLE = """Harbourview tram line opens after six-year build

The Harbourview tram line in the city of Norrvik opened on 3 November, carrying 41,000 passengers on its
first day. The 14-kilometre line cost 780 million kroner, the transport authority said.
"""

HOSTILE_ARTICLE = """Glassworks council approves new kiln

<script>window.__pwned = 1</script> The Tollby glassworks council approved a new electric kiln on Monday.
<img src=x onerror="window.__pwned = 2"> The kiln will cut the plant's gas use by 60 percent, the council said.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(corpus: Path, index: Path, **env_extra: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = {
        **os.environ,
        "RAG_CORPUS_DIR": str(corpus),
        "RAG_INDEX_DIR": str(index),
        "RAG_PORT": str(port),
        "RAG_LLM": "llamacpp",
        **env_extra,
    }
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"app exited: {proc.stdout.read() if proc.stdout else ''}") from None
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("app did not start within 180 s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The app on its own copy of the seed corpus (the tests upload into it)."""
    base = tmp_path_factory.mktemp("app")
    (base / "corpus").mkdir()
    shutil.copy(SEED, base / "corpus" / SEED.name)
    proc, url = start_app(base / "corpus", base / "index")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield b
        b.close()


ANSWERED_AFTER = """(n) => document.querySelectorAll('#chat .bot-row').length > n
    && document.querySelector('#status').innerText.includes('Answered')"""


def ask(page, question: str) -> None:
    """Ask and wait for the final answer (a new bot message, and the status line saying who answered)."""
    before = page.locator("#chat .bot-row").count()
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.wait_for_function(ANSWERED_AFTER, arg=before, timeout=90_000)


def last_answer(page) -> str:
    return page.locator("#chat .bot").last.inner_text()


@pytest.mark.slow
@needs_chromium
def test_streamed_cited_answer_with_highlighted_source_and_clickable_marker(app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url)
    page.locator("#question textarea").fill("How much did TSMC's new chip factory in southern Japan cost?")
    page.locator("#ask").click()
    page.wait_for_function(
        "() => document.querySelector('#status').innerText.includes('Writing')", timeout=60_000
    )
    page.wait_for_function(
        "() => document.querySelector('#status').innerText.includes('Answered')", timeout=60_000
    )
    text = last_answer(page)
    assert "8.6 billion" in text and "[1]" in text
    sources = page.locator("#sources")
    assert "Japan hopes to be" in sources.inner_text()  # the source headline
    assert "8.6 billion" in sources.locator("mark").first.inner_text()  # the cited sentence, highlighted
    page.locator("#chat a[href='#src-1-1']").first.click()
    assert "selected" in (page.locator("#src-1-1").get_attribute("class") or "")
    assert "gemma" in page.locator("#status").inner_text()  # which backend answered, and stage times
    # The README's picture is refreshed on request only, so a test run leaves the checkout unchanged.
    shot = ROOT / "docs" if os.environ.get("RAG_UPDATE_SCREENSHOT") else Path(tempfile.mkdtemp())
    os.makedirs(shot, exist_ok=True)
    page.screenshot(path=str(shot / "screenshot.png"), full_page=True)
    assert (shot / "screenshot.png").stat().st_size > 10_000
    page.close()


@pytest.mark.slow
@needs_chromium
def test_a_comparison_is_a_list_with_every_cited_sentence_highlighted(app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url)
    ask(page, "Compare what Microsoft and TSMC are investing in Japan.")
    items = page.locator("#chat .bot").last.locator("li")
    assert items.count() >= 2  # one list item per side
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    assert any(t.startswith("Microsoft:") and "2.9 billion" in t for t in texts)
    assert any(t.startswith("TSMC:") and "8.6 billion" in t for t in texts)
    marks = page.locator("#sources .turn").first.locator("mark")
    highlighted = " ".join(marks.nth(i).inner_text() for i in range(marks.count()))
    assert "2.9 billion" in highlighted and "8.6 billion" in highlighted
    page.close()


@pytest.mark.slow
@needs_chromium
def test_follow_up_uses_the_history_and_shows_what_was_searched(app_url, browser):
    page = browser.new_page()
    page.goto(app_url)
    ask(page, "What did Microsoft pledge to boost Japan's AI prowess?")
    assert "2.9 billion" in last_answer(page)
    ask(page, "How much was it?")
    assert "2.9 billion" in last_answer(page)
    assert "searched for" in page.locator("#status").inner_text().lower()
    page.close()


@pytest.mark.slow
@needs_chromium
def test_uploaded_article_is_answerable_and_hostile_markup_never_runs(app_url, browser, tmp_path):
    good = tmp_path / "norrvik tram ÅÄ.txt"
    good.write_text(NEW_ARTICLE, encoding="utf-8")
    hostile = tmp_path / "glassworks.html.txt"
    hostile.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    rejected = tmp_path / "broken.json"
    rejected.write_text('{"title": "Half a record", "body": ', encoding="utf-8")
    page = browser.new_page()
    page.goto(app_url)
    page.get_by_role("tab", name="Corpus").click()
    assert "Japan hopes to be" in page.locator("#articles").inner_text()
    page.locator("#upload input[type=file]").set_input_files([str(good), str(hostile), str(rejected)])
    page.locator("#add-articles").click()
    page.wait_for_function(
        "() => document.querySelector('#upload-result').innerText.includes('Indexed')", timeout=90_000
    )
    result = page.locator("#upload-result").inner_text()
    assert "broken.json" in result and "invalid JSON" in result  # rejected, and why
    assert "Harbourview" in page.locator("#articles").inner_text()
    page.get_by_role("tab", name="Chat").click()
    ask(page, "How much did the Harbourview tram line in Norrvik cost?")
    assert "780 million kroner" in last_answer(page)
    ask(page, "How much will the new kiln cut the glassworks' gas use?")
    assert "60 percent" in last_answer(page)
    assert "<img" in page.locator("#sources").inner_text()  # shown as text ...
    assert page.evaluate("() => window.__pwned") is None  # ... and never run
    page.close()


@pytest.mark.slow
def test_ask_api_endpoint_answers_with_citations(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    text = client.predict("How much did Microsoft pledge?", api_name="/ask")
    assert "2.9 billion" in text and "[1]" in text and "japan-best-partner-in-asia.txt" in text


@pytest.mark.slow
def test_twenty_sessions_of_five_questions_are_all_answered_and_none_mixed_up(app_url):
    from bench.load import run_load

    result = run_load(app_url, sessions=20, questions=5)
    assert result["answered"] == result["total"] == 100, result


@pytest.fixture(scope="module")
def dated_app_url(tmp_path_factory):
    """The app on eval/qa/dated/corpus: dated stories, revised figures, syndicated copies."""
    from .conftest import DATED_CORPUS

    base = tmp_path_factory.mktemp("dated-app")
    shutil.copytree(DATED_CORPUS, base / "corpus")
    proc, url = start_app(base / "corpus", base / "index", RAG_TODAY="2026-03-31")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _fill(page, elem_id: str, value: str) -> None:
    page.locator(f"#{elem_id} textarea, #{elem_id} input").first.fill(value)


@pytest.mark.slow
@needs_chromium
def test_date_filter_latest_answer_and_syndicated_sources_in_the_browser(dated_app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(dated_app_url)
    page.locator("#filters").get_by_text("Filter by date and source").click()
    _fill(page, "since", "2025-07-01")
    _fill(page, "until", "2025-07-31")
    ask(page, "How much will the Harrowgate Bridge cost?")
    text = last_answer(page)
    assert "97 million" in text and "112 million" not in text
    sources = page.locator("#sources").inner_text()
    assert "only articles published 2025-07-01 to 2025-07-31" in sources and "2025-07-22" in sources

    _fill(page, "since", "")
    _fill(page, "until", "")
    ask(page, "What is the latest cost estimate for the Harrowgate Bridge?")
    text = last_answer(page)
    assert text.startswith("As of 15 January 2026") and "112 million" in text
    sources = page.locator("#sources").inner_text()
    assert "Regional Wire" in sources and "also reported by Lakeside Post (2026-01-16)" in sources

    # The source filter lists every outlet, syndicated copies' included, and matches their stories.
    page.locator("#source-filter input").click()
    page.locator("#source-filter input").fill("Lakeside")
    page.keyboard.press("Enter")
    ask(page, "How much will the Harrowgate Bridge cost?")
    assert "112 million" in last_answer(page)
    sources = page.locator("#sources .turn").first.inner_text()  # newest turn first
    assert "also reported by Lakeside Post" in sources
    assert "Velmora tram line opens" not in sources and "Steel prices" not in sources

    _fill(page, "since", "2025-13-45")
    ask_and_fail = page.locator("#chat .bot-row").count()
    page.locator("#question textarea").fill("How much will the Harrowgate Bridge cost?")
    page.locator("#ask").click()
    page.wait_for_function(
        "(n) => document.querySelectorAll('#chat .bot-row').length > n "
        "&& document.querySelector('#status').innerText.includes('Not answered')",
        arg=ask_and_fail,
        timeout=60_000,
    )
    assert "since must be a date like" in last_answer(page)


def test_corpus_tab_has_the_feeds_panel_with_its_update_button(dated_app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(dated_app_url)
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#feeds").get_by_text("Feeds").first.click()
    page.locator("#update-feeds").click()
    page.wait_for_function(
        "document.querySelector('#update-result').innerText.includes('no feeds')", timeout=30_000
    )
