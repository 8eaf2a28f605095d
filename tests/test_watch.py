"""`rag watch`: a real watcher (watchfiles, inotify) on a real corpus folder re-indexes what changes."""

from __future__ import annotations

import threading
import time

from rag import list_articles
from rag.watch import watch


def _wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_a_file_dropped_into_the_corpus_is_indexed_and_a_deleted_one_removed(fresh_settings):
    stop, lines = threading.Event(), []
    watcher = threading.Thread(target=watch, args=(fresh_settings, lines.append, stop, 300), daemon=True)
    watcher.start()
    time.sleep(1.0)  # the watcher is set up
    try:
        (fresh_settings.corpus_dir / "mill.txt").write_text(
            "Ardmore mill closes\n\nThe old mill in Ardmore closed after 90 years.", encoding="utf-8"
        )
        (fresh_settings.corpus_dir / ".draft.txt").write_text("hidden", encoding="utf-8")
        assert _wait_for(lambda: [a.title for a in list_articles(fresh_settings)] == ["Ardmore mill closes"])
        assert "mill.txt changed" in lines[0] and ".draft" not in "".join(lines)
        (fresh_settings.corpus_dir / "mill.txt").unlink()
        assert _wait_for(lambda: list_articles(fresh_settings) == [])
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()
