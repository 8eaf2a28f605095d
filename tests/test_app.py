"""The chat in a real browser: Debian's Chromium driven by Playwright against the app on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(seed_settings):
    port = _free_port()
    env = {
        **os.environ,
        "RAG_CORPUS_DIR": str(seed_settings.corpus_dir),
        "RAG_INDEX_DIR": str(seed_settings.index_dir),
        "RAG_PORT": str(port),
        "RAG_LLM": "llamacpp",
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
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"app exited: {proc.stdout.read() if proc.stdout else ''}") from None
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("app did not start within 120 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.slow
@pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make test installs it)"
)
def test_question_in_the_browser_gets_a_streamed_cited_answer_with_sources(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        page = browser.new_page()
        page.goto(app_url)
        page.locator("#question textarea").fill(
            "How much did TSMC's new chip factory in southern Japan cost?"
        )
        page.locator("#ask").click()
        page.wait_for_function(
            "() => document.querySelector('#status') && document.querySelector('#status').innerText.includes('Answered')",
            timeout=60_000,
        )
        chat = page.locator("#chat").inner_text()
        assert "8.6 billion" in chat and "[1]" in chat
        sources = page.locator("#sources")
        assert "Japan hopes to be" in sources.inner_text()
        assert (
            "8.6 billion" in sources.locator("mark").first.inner_text()
        )  # the cited sentence is highlighted
        os.makedirs(ROOT / "docs", exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(ROOT / "docs" / "screenshot.png"), full_page=True)
        browser.close()


@pytest.mark.slow
def test_ask_api_endpoint_answers_with_citations(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    text = client.predict("How much did Microsoft pledge?", api_name="/ask")
    assert "2.9 billion" in text and "[1]" in text and "japan-best-partner-in-asia.txt" in text
