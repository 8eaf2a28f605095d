import socket

import pytest

from rag import answer
from rag.generate import GeneratorUnavailable

from .ollama_wire import FakeOllama


def _ollama(settings, url, model="llama3.2"):
    return settings.with_(llm="ollama", ollama_host=url, ollama_model=model, ollama_timeout_s=10)


def test_ollama_answer_streams_over_the_wire_and_keeps_its_grounded_text(seed_settings):
    reply = "TSMC opened a new US$8.6 billion chip factory in southern Japan in February [1]."
    with FakeOllama(reply) as server:
        a = answer(
            "How much did TSMC's new factory in Japan cost?", settings=_ollama(seed_settings, server.url)
        )
    assert a.backend == "ollama" and "8.6 billion" in a.text and a.text.endswith("[1].")
    request = server.requests[0]
    assert request["path"] == "/api/chat" and request["stream"] is True
    user = request["messages"][-1]["content"]
    assert "<passages>" in user and "[1]" in user and "How much did TSMC" in user
    assert request["messages"][0]["role"] == "system"


def test_ollama_answer_with_an_invented_figure_is_replaced_by_a_quote(seed_settings):
    with FakeOllama("The factory cost US$9.9 billion [1].") as server:
        a = answer(
            "How much did TSMC's new factory in Japan cost?", settings=_ollama(seed_settings, server.url)
        )
    assert a.backend == "extractive" and "9.9" not in a.text and "8.6 billion" in a.text
    assert any("9.9" in n for n in a.notes)


def test_ollama_citation_to_a_missing_passage_is_removed(seed_settings):
    with FakeOllama("TSMC opened a new US$8.6 billion chip factory [1][9].") as server:
        a = answer(
            "How much did TSMC's new factory in Japan cost?", settings=_ollama(seed_settings, server.url)
        )
    assert "[9]" not in a.text and "[2]" not in a.text and len(a.citations) == 1


def test_unknown_ollama_model_says_how_to_pull_it(seed_settings):
    with (
        FakeOllama("x", model="llama3.2") as server,
        pytest.raises(GeneratorUnavailable, match="ollama pull"),
    ):
        answer("How much did TSMC's new factory cost?", settings=_ollama(seed_settings, server.url, "nope"))


def test_unreachable_ollama_gives_a_clear_error(seed_settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket closes
    with pytest.raises(GeneratorUnavailable, match=r"not reachable.*ollama serve"):
        answer(
            "How much did TSMC's new factory cost?",
            settings=_ollama(seed_settings, f"http://127.0.0.1:{port}"),
        )


@pytest.mark.parametrize(
    ("failure", "message"),
    [("stall", "did not answer within"), ("drop", "Ollama at"), ("error", "returned an error")],
)
def test_ollama_failing_mid_answer_gives_a_clear_error(seed_settings, failure, message):
    reply = "TSMC opened a new US$8.6 billion chip factory in southern Japan [1]."
    with FakeOllama(reply, failure=failure, stall_s=5) as server:
        settings = _ollama(seed_settings, server.url).with_(ollama_timeout_s=1.5)
        with pytest.raises(GeneratorUnavailable, match=message):
            answer("How much did TSMC's new factory in Japan cost?", settings=settings)


@pytest.mark.slow
@pytest.mark.parametrize("failure", ["stall", "drop"])
def test_with_fallback_the_embedded_model_answers_when_ollama_fails(seed_settings, failure):
    with FakeOllama("TSMC opened a US$8.6 billion factory [1].", failure=failure, stall_s=5) as server:
        settings = _ollama(seed_settings, server.url).with_(ollama_timeout_s=1.5, fallback="embedded")
        a = answer("How much did TSMC's new factory in Japan cost?", settings=settings)
    assert "8.6 billion" in a.text and a.backend in {"llamacpp", "extractive"}
    assert any("RAG_FALLBACK" in n for n in a.notes)


def test_unreachable_ollama_with_fallback_is_answered_by_the_embedded_model(seed_settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = _ollama(seed_settings, f"http://127.0.0.1:{port}").with_(fallback="embedded")
    a = answer(
        "How much did Microsoft pledge?",
        history=[("What is Rapidus?", "A chip venture [1]")],
        settings=settings,
    )
    assert "2.9 billion" in a.text and any("not reachable" in n for n in a.notes)
