"""Time from page load to the first streamed token and to the complete answer, in a real browser.

`python -m bench.ui_latency` starts the app on the seed corpus (embedded backend), opens it in Debian's
Chromium five times and writes the medians to bench/ui_latency.json.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_app import CHROMIUM, start_app  # noqa: E402

QUESTION = "How much did TSMC's new chip factory in southern Japan cost?"


def main(runs: int = 5) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    base = Path(tempfile.mkdtemp())
    (base / "corpus").mkdir()
    shutil.copy(ROOT / "corpus" / "japan-best-partner-in-asia.txt", base / "corpus")
    proc, url = start_app(base / "corpus", base / "index")
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-background-networking"],
            )
            for _ in range(runs):
                page = browser.new_page()
                started = time.perf_counter()
                page.goto(url, wait_until="load")
                page.locator("#question textarea").wait_for()
                loaded = time.perf_counter()
                page.locator("#question textarea").fill(QUESTION)
                page.locator("#ask").click()
                asked = time.perf_counter()
                page.wait_for_function(
                    "() => /Writing|Answered/.test(document.querySelector('#status').innerText)", polling=10
                )
                first = time.perf_counter()
                page.wait_for_function(
                    "() => document.querySelector('#status').innerText.includes('Answered')", polling=10
                )
                done = time.perf_counter()
                assert "8.6 billion" in page.locator("#chat .bot").last.inner_text()
                rows.append({"load_s": loaded - started, "first_token_s": first - asked,
                             "answer_s": done - asked,
                             "load_to_answer_s": done - started})  # fmt: skip
                page.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(base, ignore_errors=True)
    result = {f"median_{k}": statistics.median(r[k] for r in rows) for k in rows[0]}
    result["runs"] = runs
    (ROOT / "bench" / "ui_latency.json").write_text(json.dumps({"summary": result, "runs": rows}, indent=2))
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
