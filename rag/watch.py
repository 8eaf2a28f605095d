"""Re-index when files under the corpus folder change (`rag watch`, `rag serve --watch`).

watchfiles (Rust `notify`: inotify here) reports changes; a burst of them (a folder copied in, an editor
saving twice) is debounced into one incremental ingest.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from .errors import IndexBusy
from .ingest import SUPPORTED_SUFFIXES
from .settings import Settings

log = logging.getLogger(__name__)

DEBOUNCE_MS = 1500


def _is_article_file(change: object, path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and name.lower().endswith(SUPPORTED_SUFFIXES)


def watch(
    settings: Settings,
    on_report: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    debounce_ms: int = DEBOUNCE_MS,
) -> None:
    """Ingest after every (debounced) change of an article file, until `stop` is set."""
    from watchfiles import watch as changes_of

    from .corpus import ingest

    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    for changes in changes_of(settings.corpus_dir, watch_filter=_is_article_file, debounce=debounce_ms,
                              stop_event=stop, yield_on_timeout=False):  # fmt: skip
        names = sorted({Path(p).name for _, p in changes})
        try:
            report = ingest(settings=settings, lock_timeout_s=60)
            on_report(f"{', '.join(names)} changed: {report.summary()}")
        except IndexBusy as e:
            on_report(f"{', '.join(names)} changed, not indexed yet: {e}")


def watch_in_background(settings: Settings) -> threading.Thread:
    thread = threading.Thread(target=watch, args=(settings, log.info), name="corpus-watch", daemon=True)
    thread.start()
    return thread
