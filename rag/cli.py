"""`rag` command line: ingest, status, ask, serve."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from typing import Any

from .settings import Settings


def _print_answer(a: object, as_json: bool) -> None:
    from .schema import Answer

    assert isinstance(a, Answer)
    if as_json:
        print(json.dumps(asdict(a), indent=2, ensure_ascii=False))
        return
    print(a.text)
    print()
    for c in a.citations:
        meta = ", ".join(x for x in (c.source, c.published_at or "undated", c.url) if x)
        print(f"[{c.n}] {c.title} ({meta}) — {c.article_id}")
        if c.copies:
            also = "; ".join(f"{r.source} {r.published_at}".strip() for r in c.copies)
            print(f"    also reported by: {also}")
        print(f"    {(c.quote or c.text)[:300]}")
    timing = ", ".join(f"{k} {v:.0f} ms" for k, v in a.timings.items())
    print(f"\n({a.backend}{'; abstained' if a.abstained else ''}; {timing})")
    if a.search_query != a.question:
        print(f"searched for: {a.search_query}")
    for note in a.notes:
        print(f"note: {note}")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from .corpus import ingest

    path = args.path
    if path and path.startswith(("http://", "https://")):
        from .web import add_page

        saved = add_page(path, settings.corpus_dir)
        print(f"saved {path} as {saved}")
        path = None  # the page is now a corpus file: sync the corpus
    report = ingest(path, settings=settings, rebuild=args.rebuild, progress=True)
    print(report.summary())
    return 0


def cmd_feeds(args: argparse.Namespace, settings: Settings) -> int:
    from . import feeds

    corpus = settings.corpus_dir
    if args.action == "add":
        feed = feeds.add_feed(corpus, args.url, args.name)
        print(f"following {feed.url} as {feed.name}; run `rag feeds update` to fetch it")
    elif args.action == "remove":
        feeds.remove_feed(corpus, args.name)
        print(f"stopped following {args.name}; its articles stay in {corpus / 'feeds' / args.name}")
    elif args.action == "list":
        for f in feeds.load_feeds(corpus):
            state = f"error: {f.last_error}" if f.last_error else f"{f.items_added} added"
            print(f"{f.name}\t{f.url}\t{f.title or '-'}\t{f.last_refresh or 'never'}\t{state}")
    else:
        print(feeds.refresh(settings))
    return 0


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    from .corpus import ingest
    from .watch import watch

    print(ingest(settings=settings, progress=True).summary())
    print(f"watching {settings.corpus_dir} (Ctrl-C to stop)", flush=True)
    watch(settings, on_report=lambda line: print(line, flush=True))
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from .embed import EMBEDDING_MODEL_NAME
    from .generate import BACKENDS
    from .index import Index

    index = Index(settings)
    stored = index.stored_articles()
    undated = sum(1 for a in stored.values() if not a.published_at)
    incomplete = sum(1 for a in stored.values() if not a.complete)
    copies = sum(len(a.copies) for a in stored.values())
    days = sorted(a.published_at for a in stored.values() if a.published_at)
    print(f"index:      {settings.index_dir.resolve()}")
    print(f"corpus:     {settings.corpus_dir.resolve()}")
    print(f"articles:   {len(stored)} ({undated} without a date; {copies} syndicated copies merged in)")
    if days:
        print(f"published:  {days[0]} to {days[-1]}")
    if undated:
        print(
            "undated:    "
            + ", ".join(sorted(a.article_id for a in stored.values() if not a.published_at)[:10])
        )
    print(f"chunks:     {index.count()}")
    print(f"embeddings: {EMBEDDING_MODEL_NAME} (chunks up to {settings.chunk_tokens} word pieces)")
    print(f"generator:  {settings.llm} ({BACKENDS[settings.llm].choice})")
    if incomplete:
        print(f"warning:    {incomplete} articles were half-written (interrupted ingest); run `rag ingest`")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from .pipeline import answer

    a = answer(
        " ".join(args.question),
        k=args.k,
        settings=settings,
        since=args.since,
        until=args.until,
        sources=args.source,
        today=args.today,
    )
    _print_answer(a, args.json)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    _project_import("app").main(settings, watch=args.watch)
    return 0


def _project_import(module: str) -> Any:
    """app.py and eval/ are installed beside the package (pyproject's py-modules and packages)."""
    import importlib

    return importlib.import_module(module)


def _add_feeds_parser(sub: Any) -> None:
    feeds = sub.add_parser("feeds", help="RSS/Atom feeds that keep the corpus current")
    feeds_sub = feeds.add_subparsers(dest="action", required=True)
    p = feeds_sub.add_parser("add", help="follow a feed")
    p.add_argument("url")
    p.add_argument("--name", default="", help="short name (default: the feed's host)")
    feeds_sub.add_parser("list", help="the feeds, with last refresh, items added and errors")
    p = feeds_sub.add_parser("remove", help="stop following a feed (its articles stay)")
    p.add_argument("name")
    feeds_sub.add_parser("update", help="fetch new items of every feed and index them")
    feeds.set_defaults(func=cmd_feeds)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["eval"]:  # `rag eval ...` is the eval harness, with its own options
        return int(_project_import("eval.harness").main(argv[1:]))
    parser = argparse.ArgumentParser(prog="rag", description="Cited answers from a corpus of news articles.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index the corpus (only what changed)")
    p.add_argument(
        "path",
        nargs="?",
        help="corpus folder, single file, or a web page's https:// address (saved under "
        "corpus/web/) (default: RAG_CORPUS_DIR)",
    )
    p.add_argument("--rebuild", action="store_true", help="delete the index and build it again")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("status", help="what is indexed")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question", nargs="+")
    p.add_argument("--k", type=int, default=None, help="passages to retrieve (default: RAG_TOP_K)")
    p.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    p.add_argument(
        "--since", help="only articles published on or after this date (2025-07-01, 2025-07, 2025)"
    )
    p.add_argument(
        "--until", help="only articles published on or before this date (a month or year: its end)"
    )
    p.add_argument("--source", action="append", help="only articles from this outlet (repeatable)")
    p.add_argument("--today", help="the date 'last month' and 'latest' are reckoned from (default RAG_TODAY)")
    p.set_defaults(func=cmd_ask)

    _add_feeds_parser(sub)

    sub.add_parser("eval", help="score answers on a QA file (rag eval --help)")
    p = sub.add_parser("serve", help="start the web chat")
    p.add_argument("--watch", action="store_true", help="re-index when corpus files change")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("watch", help="re-index whenever files under the corpus folder change")
    p.set_defaults(func=cmd_watch)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        settings = Settings.from_env()
        return int(args.func(args, settings))
    except (ValueError, RuntimeError, FileNotFoundError) as e:  # RagError's subclasses are among these
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
