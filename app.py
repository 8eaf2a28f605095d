"""Gradio web chat over the news corpus: streamed answers with clickable [n] citations and their sources,
follow-up questions, a corpus panel with search and upload, and per-session settings.

Run: `python app.py` (or `rag serve`). Binds RAG_HOST:RAG_PORT (127.0.0.1:7860 by default);
RAG_AUTH=user:password turns on a login. Article text is always shown as escaped text, never as markup.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from rag import (
    BACKENDS,
    Answer,
    IngestBusy,
    RagError,
    Settings,
    add_uploads,
    feeds,
    ingest,
    list_articles,
    make_generator,
    stream_answer,
)
from rag.ingest import MAX_UPLOAD_BYTES, SUPPORTED_SUFFIXES
from rag.render import CSS, HEAD, answer_markdown, escape_markdown, sources_panel, status_line

log = logging.getLogger("app")

EXAMPLES = [
    "How much did TSMC's first plant in Japan cost?",
    "Where does Japan rank in digital competitiveness?",
    "What did Microsoft pledge to Japan?",
    "What is Rapidus?",
]

MODEL_CHOICES = {b.choice: b.name for b in BACKENDS.values()}  # the picker's label -> RAG_LLM

UPLOAD_PROGRESS = gr.Progress()  # Gradio fills in a per-request tracker for a parameter defaulting to one


def _history_pairs(answers: list[Answer]) -> list[tuple[str, str]]:
    return [(a.question, a.text) for a in answers]


def _articles_table(query: str = "", settings: Settings | None = None) -> list[list[Any]]:
    q = query.casefold().strip()
    rows = []
    for a in list_articles(settings):
        if q and q not in f"{a.title} {a.source} {a.article_id} {a.published_at}".casefold():
            continue
        also = ", ".join(r.source for r in a.copies)
        rows.append([a.title, a.published_at or "undated", a.source, also, a.chunks_found, a.article_id])
    return rows


def _source_choices(settings: Settings | None = None) -> list[str]:
    """Every outlet in the index, syndicated copies' included, for the source filter."""
    names = {s for a in list_articles(settings) for s in [a.source, *(r.source for r in a.copies)] if s}
    return sorted(names, key=str.casefold)


def respond(
    settings: Settings,
    message: str,
    chat: list[dict[str, Any]],
    answers: list[Answer],
    backend_label: str,
    ollama_model: str,
    top_k: int,
    show_scores: bool,
    since: str,
    until: str,
    sources: list[str] | None,
) -> Iterator[tuple[Any, ...]]:
    """The chat's send handler: streams (chat, box, answers, sources panel, status) as the answer grows."""
    chat, answers = list(chat or []), list(answers or [])
    run = settings.with_(
        llm=MODEL_CHOICES.get(backend_label, settings.llm),
        ollama_model=(ollama_model or settings.ollama_model).strip(),
        top_k=int(top_k),
    )
    turn = len(answers) + 1
    chat.append({"role": "user", "content": escape_markdown(message)})
    chat.append({"role": "assistant", "content": "…"})
    yield chat, "", answers, gr.update(), "Searching the corpus…"
    streamed = ""
    try:
        for event in stream_answer(
            message,
            history=_history_pairs(answers),
            settings=run,
            since=(since or "").strip() or None,
            until=(until or "").strip() or None,
            sources=sources or None,
        ):
            if isinstance(event, Answer):
                answers.append(event)
                chat[-1] = {"role": "assistant", "content": answer_markdown(event.text, turn)}
                yield chat, "", answers, sources_panel(answers, show_scores), status_line(event, run)
            else:
                streamed += event
                chat[-1] = {"role": "assistant", "content": escape_markdown(streamed)}
                yield chat, "", answers, gr.update(), "Writing the answer…"
    except Exception as e:
        chat[-1] = {"role": "assistant", "content": _failure_message(message, e)}
        yield chat, message, answers, gr.update(), "Not answered"


def _failure_message(message: str, error: Exception) -> str:
    """What the chat shows instead of an answer: our errors say what to do; anything else is logged and
    never shown as a traceback."""
    if isinstance(error, ValueError | RagError):
        return f"⚠️ {escape_markdown(str(error))}"
    log.error("answering %r failed", message, exc_info=error)
    return (
        f"⚠️ Something went wrong while answering ({escape_markdown(type(error).__name__)}). "
        "Try again; if it persists, check the server log."
    )


def clear() -> tuple[Any, ...]:
    return [], [], sources_panel([]), ""


def ask(settings: Settings, question: str) -> str:
    """The `/ask` API: one question; the cited answer text followed by its numbered sources."""
    final = None
    for event in stream_answer(question, settings=settings):
        if isinstance(event, Answer):
            final = event
    assert final is not None
    lines = [final.text, ""] + [
        f"[{c.n}] {c.title} — {c.article_id}" + (f" ({c.published_at})" if c.published_at else "")
        for c in final.citations
    ]
    return "\n".join(lines)


def upload(
    settings: Settings, files: list[str] | None, query: str, progress: gr.Progress = UPLOAD_PROGRESS
) -> tuple[Any, ...]:
    """The Corpus tab's "Add to corpus": (report, article table, cleared file box, source choices)."""
    if not files:
        return "Choose one or more article files first.", gr.update(), None, gr.update()

    def on_progress(done: int, total: int, name: str) -> None:
        progress(done / max(total, 1), desc=f"indexing {name}" if name else "done")

    try:
        report = add_uploads(
            [(Path(f), Path(f).name) for f in files], settings=settings, on_progress=on_progress
        )
    except IngestBusy as e:
        return f"⚠️ {e}", gr.update(), None, gr.update()
    lines = []
    if report.indexed:
        lines.append(f"Indexed {len(report.indexed)} article(s), answerable now: {', '.join(report.indexed)}")
    lines += [f"- merged: {m}" for m in report.merged]
    lines += [f"- rejected: {r}" for r in report.rejected]
    message = "\n".join(escape_markdown(line) for line in lines) or "Nothing new to index."
    return message, _articles_table(query, settings), None, gr.update(choices=_source_choices(settings))


def feeds_table(settings: Settings) -> list[list[Any]]:
    return [
        [f.name, f.title, f.url, f.last_refresh or "never", f.items_added, f.last_error]
        for f in feeds.load_feeds(settings.corpus_dir)
    ]


def update_feeds_now(settings: Settings, query: str) -> tuple[Any, ...]:
    """The Corpus tab's "Update feeds now": (what happened, feeds table, article table)."""
    try:
        summary = feeds.refresh(settings)
    except RagError as e:
        summary = f"⚠️ {e}"
    message = "\n".join(escape_markdown(line) for line in summary.splitlines())
    return message, feeds_table(settings), _articles_table(query, settings)


@dataclass
class _ChatTab:
    chatbot: Any
    box: Any
    send: Any
    new_chat: Any
    status: Any
    since: Any
    until: Any
    source_filter: Any
    backend: Any
    ollama_model: Any
    top_k: Any
    show_scores: Any
    sources: Any


def _filters(settings: Settings) -> tuple[Any, Any, Any]:
    with gr.Accordion("Filter by date and source", open=False, elem_id="filters"):
        gr.Markdown(
            "Dates in the question (“in April 2025”, “last month”) filter too; "
            "these narrow every question further."
        )
        with gr.Row():
            since = gr.Textbox(
                label="From", placeholder="2025-07-01, 2025-07 or July 2025", elem_id="since", max_length=40
            )
            until = gr.Textbox(
                label="To", placeholder="2025-12-31, 2025 or December 2025", elem_id="until", max_length=40
            )
        source_filter = gr.Dropdown(
            choices=_source_choices(settings),
            multiselect=True,
            label="Only these sources",
            elem_id="source-filter",
        )
    return since, until, source_filter


def _model_settings(settings: Settings) -> tuple[Any, Any, Any, Any]:
    with gr.Accordion("Settings", open=False, elem_id="settings"):
        backend = gr.Dropdown(
            list(MODEL_CHOICES), value=BACKENDS[settings.llm].choice, label="Answer with", elem_id="backend"
        )
        ollama_model = gr.Textbox(
            value=settings.ollama_model,
            label=f"Ollama model (server: {settings.ollama_host})",
            elem_id="ollama-model",
        )
        top_k = gr.Slider(1, 10, value=settings.top_k, step=1, label="Passages per answer (top-k)")
        show_scores = gr.Checkbox(False, label="Show retrieval scores", elem_id="show-scores")
    return backend, ollama_model, top_k, show_scores


def _chat_tab(settings: Settings) -> _ChatTab:
    with gr.Tab("Chat", id="chat-tab"), gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="Chat", height=480, sanitize_html=True, elem_id="chat", buttons=["copy"]
            )
            with gr.Row():
                box = gr.Textbox(
                    placeholder="Ask a question about the articles…",
                    show_label=False,
                    scale=5,
                    elem_id="question",
                    max_length=settings.max_question_chars,
                )
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                new_chat = gr.Button("New chat", scale=1, elem_id="new-chat")
            gr.Examples(EXAMPLES, inputs=box)
            status = gr.Markdown("", elem_id="status")
            since, until, source_filter = _filters(settings)
            backend, ollama_model, top_k, show_scores = _model_settings(settings)
        with gr.Column(scale=2):
            sources = gr.HTML(sources_panel([]), elem_id="sources")
    return _ChatTab(chatbot, box, send, new_chat, status, since, until, source_filter, backend, ollama_model,
                    top_k, show_scores, sources)  # fmt: skip


def _corpus_tab(settings: Settings) -> tuple[Any, ...]:
    with gr.Tab("Corpus", id="corpus-tab", elem_id="corpus-tab"):
        with gr.Row():
            search = gr.Textbox(
                placeholder="Filter by headline, source, date or file", show_label=False, scale=4
            )
            refresh = gr.Button("Refresh", scale=1)
        table = gr.Dataframe(
            headers=["Headline", "Date", "Source", "Also reported by", "Chunks", "File"],
            # Fixed shares, so long headlines and file names cannot squeeze a column to a letter's width
            # (reported at 1280 px on a real-news corpus; not reproduced on the test corpus).
            column_widths=["32%", "11%", "14%", "20%", "7%", "16%"],
            value=lambda: _articles_table("", settings),
            interactive=False,
            elem_id="articles",
            wrap=True,
        )
        files = gr.File(
            file_count="multiple",
            file_types=list(SUPPORTED_SUFFIXES),
            label=f"Add articles ({', '.join(SUPPORTED_SUFFIXES)}; "
            f"up to {MAX_UPLOAD_BYTES // 2**20} MB each)",
            elem_id="upload",
        )
        add = gr.Button("Add to corpus", variant="primary", elem_id="add-articles")
        upload_result = gr.Markdown("", elem_id="upload-result")
        with gr.Accordion("Feeds", open=False, elem_id="feeds"):
            gr.Markdown(
                "Add feeds with `rag feeds add URL`; `RAG_FEED_INTERVAL` updates them in the background."
            )
            feed_table = gr.Dataframe(
                headers=["Feed", "Title", "Address", "Last refresh", "Added", "Error"],
                value=lambda: feeds_table(settings),
                interactive=False,
                elem_id="feed-table",
                wrap=True,
            )
            update = gr.Button("Update feeds now", elem_id="update-feeds")
            update_result = gr.Markdown("", elem_id="update-result")
    update.click(functools.partial(update_feeds_now, settings), search, [update_result, feed_table, table],
                 api_name=False)  # fmt: skip
    return search, refresh, table, files, add, upload_result


def build_app(settings: Settings) -> gr.Blocks:
    """The chat and corpus tabs, wired to the module-level handlers above (bound to `settings`)."""
    with gr.Blocks(title="News RAG") as demo:
        answers_state = gr.State([])
        gr.Markdown(
            "## Ask the news corpus\n"
            "Every answer cites the passages it comes from as [n]; click one to see it."
        )
        with gr.Tabs():
            c = _chat_tab(settings)
            search, refresh, table, files, add, upload_result = _corpus_tab(settings)
        inputs = [c.box, c.chatbot, answers_state, c.backend, c.ollama_model, c.top_k, c.show_scores,
                  c.since, c.until, c.source_filter]  # fmt: skip
        outputs = [c.chatbot, c.box, answers_state, c.sources, c.status]
        for trigger in (c.box.submit, c.send.click):
            trigger(functools.partial(respond, settings), inputs, outputs, api_name=False)
        c.new_chat.click(clear, None, [c.chatbot, answers_state, c.sources, c.status], api_name=False)
        c.show_scores.change(sources_panel, [answers_state, c.show_scores], c.sources, api_name=False)
        articles = functools.partial(_articles_table, settings=settings)
        search.change(articles, search, table, api_name=False)
        refresh.click(articles, search, table, api_name=False)
        add_outputs = [upload_result, table, files, c.source_filter]
        add.click(functools.partial(upload, settings), [files, search], add_outputs, api_name=False)
        hidden_q = gr.Textbox(visible=False)
        hidden_a = gr.Textbox(visible=False)
        hidden_q.submit(functools.partial(ask, settings), hidden_q, hidden_a, api_name="ask")
    demo.queue(default_concurrency_limit=2, max_size=64)
    return demo


def launch_options(settings: Settings) -> dict[str, Any]:
    auth = None
    if os.environ.get("RAG_AUTH"):
        user, _, password = os.environ["RAG_AUTH"].partition(":")
        if not user or not password:
            raise ValueError("RAG_AUTH must be user:password")
        auth = (user, password)
    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "auth": auth,
        "share": False,
        "css": CSS,
        "head": HEAD,
        "max_file_size": MAX_UPLOAD_BYTES,
        "show_error": False,
    }


def main(settings: Settings | None = None, watch: bool = False) -> None:
    """Index what changed, then serve the chat; `watch` re-indexes when corpus files change."""
    settings = settings or Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # Load the model while the index is brought up to date, so the first question does not wait for it.
    loading = threading.Thread(target=make_generator, args=(settings,), daemon=True)
    loading.start()
    report = ingest(settings=settings, progress=True)
    print(report.summary(), flush=True)
    loading.join()
    feeds.refresh_in_background(settings)
    if watch:
        from rag.watch import watch_in_background

        watch_in_background(settings)
    build_app(settings).launch(**launch_options(settings))


if __name__ == "__main__":
    main()
