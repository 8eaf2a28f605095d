"""A bounded load test against the running app through Gradio's API (`gradio_client`).

`python -m bench.load [URL] [--sessions 20] [--questions 5]` (without URL it starts the app on the seed
corpus). Each session is its own client (its own Gradio session) asking its own questions; every answer
must hold the figure its question asks for, so a mixed-up reply is caught. Writes bench/load.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (question, a figure the answer must contain)
QUESTIONS = [
    ("How much did Microsoft pledge to boost Japan's AI prowess?", "2.9 billion"),
    ("How much did TSMC's new chip factory in southern Japan cost?", "8.6 billion"),
    ("How much has Japan spent to revitalise its chip sector?", "3.9 trillion yen"),
    ("Where was Japan ranked in digital competitiveness?", "32nd"),
    ("How many Japanese firms are among the tech unicorns?", "seven"),
]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_load(url: str, sessions: int, questions: int, app_pid: int | None = None) -> dict[str, object]:
    from gradio_client import Client

    def session(s: int) -> list[dict[str, object]]:
        client = Client(url, verbose=False)
        rows = []
        for i in range(questions):
            question, figure = QUESTIONS[(s + i) % len(QUESTIONS)]
            started = time.perf_counter()
            try:
                text = client.predict(question, api_name="/ask")
                error = ""
            except Exception as e:  # counted, not raised: the report says how many failed
                text, error = "", f"{type(e).__name__}: {e}"
            rows.append({"session": s, "question": question, "ok": figure in text and not error,
                         "error": error, "seconds": time.perf_counter() - started})  # fmt: skip
        return rows

    rss = [_rss_mb(app_pid)] if app_pid else []
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        futures = [pool.submit(session, s) for s in range(sessions)]
        while not all(f.done() for f in futures):
            time.sleep(1)
            if app_pid:
                rss.append(_rss_mb(app_pid))
        rows = [r for f in futures for r in f.result()]
    wall = time.perf_counter() - started
    latencies = sorted(float(r["seconds"]) for r in rows)
    return {
        "sessions": sessions,
        "questions_per_session": questions,
        "answered": sum(bool(r["ok"]) for r in rows),
        "total": len(rows),
        "errors": [r["error"] for r in rows if r["error"]][:5],
        "wrong": [r["question"] for r in rows if not r["ok"] and not r["error"]][:5],
        "wall_s": wall,
        "throughput_qps": len(rows) / wall,
        "p50_s": statistics.median(latencies),
        "p95_s": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
        "rss_mb_start": rss[0] if rss else None,
        "rss_mb_peak": max(rss) if rss else None,
        "rss_mb_end": rss[-1] if rss else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("url", nargs="?")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--questions", type=int, default=5)
    args = parser.parse_args(argv)
    proc = None
    if args.url is None:
        sys.path.insert(0, str(ROOT))
        from tests.test_app import start_app

        base = Path(tempfile.mkdtemp())
        (base / "corpus").mkdir()
        shutil.copy(ROOT / "corpus" / "japan-best-partner-in-asia.txt", base / "corpus")
        proc, args.url = start_app(base / "corpus", base / "index")
    try:
        result = run_load(args.url, args.sessions, args.questions, proc.pid if proc else None)
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=20)
    (ROOT / "bench" / "load.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if result["answered"] == result["total"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
