"""Gradio web chat over the news corpus: streamed answers with [n] citations and their sources.

Run: `python app.py` (or `rag serve`). Binds RAG_HOST:RAG_PORT (127.0.0.1:7860 by default);
RAG_AUTH=user:password turns on a login.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Iterator
from typing import Any

import gradio as gr

from rag import Answer, Settings, ingest, stream_answer
from rag.generate import GeneratorUnavailable, make_generator

log = logging.getLogger("app")

EXAMPLES = [
    "How much did TSMC's first plant in Japan cost?",
    "Where does Japan rank in digital competitiveness?",
    "What did Microsoft pledge to Japan?",
    "What is Rapidus?",
]

CSS = """
.sources mark { background: #fde68a; padding: 0 2px; }
.sources .source { border-left: 3px solid #94a3b8; padding: 4px 10px; margin: 8px 0; }
.sources .meta { color: #64748b; font-size: 0.85em; }
"""


def sources_html(a: Answer) -> str:
    """The cited passages as HTML built from escaped text: article text is never markup."""
    if not a.citations:
        return "<div class='sources'><p>No sources.</p></div>"
    heading = "Closest passages (none answers the question)" if a.abstained else "Sources"
    parts = [f"<div class='sources'><h4>{heading}</h4>"]
    for c in a.citations:
        passage = html.escape(c.text)
        if c.quote and c.quote in c.text:
            passage = passage.replace(html.escape(c.quote), f"<mark>{html.escape(c.quote)}</mark>", 1)
        meta = " · ".join(html.escape(x) for x in (c.source, c.published_at or "undated") if x)
        link = ""
        if c.url.startswith(("http://", "https://")):
            href = html.escape(c.url, quote=True)
            link = f" · <a href='{href}' target='_blank' rel='noopener noreferrer'>link</a>"
        parts.append(
            f"<div class='source' id='source-{c.n}'><b>[{c.n}] {html.escape(c.title)}</b>"
            f"<div class='meta'>{meta}{link} · {html.escape(c.article_id)}</div><p>{passage}</p></div>"
        )
    parts.append("</div>")
    return "".join(parts)


def status_line(a: Answer, settings: Settings) -> str:
    model = (
        settings.ollama_model if a.backend == "ollama" else "gemma-3-270m" if a.backend == "llamacpp" else ""
    )
    backend = f"{a.backend} ({model})" if model else a.backend
    stages = " · ".join(f"{k.removesuffix('_ms')} {v / 1000:.2f} s" for k, v in a.timings.items())
    notes = f" · {a.notes[0]}" if a.notes else ""
    return f"Answered by {backend} · {stages}{notes}"


def _history_pairs(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    user = None
    for m in messages:
        content = m.get("content")
        text = content if isinstance(content, str) else str(content)
        if m.get("role") == "user":
            user = text
        elif m.get("role") == "assistant" and user is not None:
            pairs.append((user, text))
            user = None
    return pairs


def _escape_markdown(text: str) -> str:
    # The chat renders Markdown; article-derived text must not become links, images or tags.
    return html.escape(text, quote=False).replace("*", "\\*").replace("_", "\\_")


def build_app(settings: Settings) -> gr.Blocks:
    def respond(message: str, chat: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
        chat = list(chat or [])
        history = _history_pairs(chat)
        chat.append({"role": "user", "content": message})
        chat.append({"role": "assistant", "content": "…"})
        yield chat, "", gr.update(), "Searching the corpus…"
        streamed = ""
        try:
            for event in stream_answer(message, history=history, settings=settings):
                if isinstance(event, Answer):
                    chat[-1] = {"role": "assistant", "content": _escape_markdown(event.text)}
                    yield chat, "", sources_html(event), status_line(event, settings)
                else:
                    streamed += event
                    chat[-1] = {"role": "assistant", "content": _escape_markdown(streamed)}
                    yield chat, "", gr.update(), "Writing the answer…"
        except (ValueError, GeneratorUnavailable) as e:
            chat[-1] = {"role": "assistant", "content": f"⚠️ {_escape_markdown(str(e))}"}
            yield chat, "", gr.update(), "Not answered"

    def ask(question: str) -> str:
        """Answer one question; returns the cited answer text followed by its numbered sources."""
        final = None
        for event in stream_answer(question, settings=settings):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        lines = [final.text, ""] + [f"[{c.n}] {c.title} — {c.article_id}" for c in final.citations]
        return "\n".join(lines)

    with gr.Blocks(title="News RAG") as demo:
        gr.Markdown("## Ask the news corpus\nAnswers cite the passages they come from as [n].")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", height=480, sanitize_html=True, elem_id="chat")
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask a question about the articles…",
                        show_label=False,
                        scale=5,
                        elem_id="question",
                        max_length=settings.max_question_chars,
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                gr.Examples(EXAMPLES, inputs=box)
                status = gr.Markdown("", elem_id="status")
            with gr.Column(scale=2):
                sources = gr.HTML("<div class='sources'><p>Sources appear here.</p></div>", elem_id="sources")
        for trigger in (box.submit, send.click):
            trigger(respond, [box, chatbot], [chatbot, box, sources, status], api_name=False)
        hidden_q = gr.Textbox(visible=False)
        hidden_a = gr.Textbox(visible=False)
        hidden_q.submit(ask, hidden_q, hidden_a, api_name="ask")
    demo.queue(default_concurrency_limit=2, max_size=64)
    return demo


def main(settings: Settings | None = None) -> None:
    settings = settings or Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = ingest(settings=settings, progress=True)
    print(report.summary(), flush=True)
    make_generator(settings)  # load the model now, so the first question does not wait for it
    auth = None
    if os.environ.get("RAG_AUTH"):
        user, _, password = os.environ["RAG_AUTH"].partition(":")
        if not user or not password:
            raise ValueError("RAG_AUTH must be user:password")
        auth = (user, password)
    build_app(settings).launch(
        server_name=settings.host, server_port=settings.port, auth=auth, share=False, css=CSS
    )


if __name__ == "__main__":
    main()
