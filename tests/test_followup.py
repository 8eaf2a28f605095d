"""Follow-up questions are rewritten with the chat history into standalone searches."""

import pytest

from rag import answer
from rag.followup import acceptable_rewrite, history_terms_query, looks_like_follow_up

from .ollama_wire import FakeOllama

HISTORY = [
    (
        "What did Microsoft pledge to boost Japan's AI prowess?",
        "US$2.9 billion — “Microsoft pledged to invest US$2.9 billion…” [1]",
    )
]


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("How much did it cost?", True),
        ("and the second one?", True),
        ("What about Rapidus?", True),
        ("Who backs them?", True),
        ("How much did TSMC's factory in Kumamoto cost?", False),
    ],
)
def test_follow_up_detection(question, follow_up):
    assert looks_like_follow_up(question) is follow_up


def test_a_rewrite_may_not_bring_in_words_from_outside_the_conversation():
    q = "When was it announced?"
    assert acceptable_rewrite("When was Microsoft's AI pledge to Japan announced?", q, HISTORY)
    assert not acceptable_rewrite("When was Google's AI pledge announced?", q, HISTORY)  # invented
    assert not acceptable_rewrite("When was it announced?", q, HISTORY)  # nothing resolved
    assert "microsoft" in history_terms_query(q, HISTORY)


@pytest.mark.slow
def test_follow_up_is_answered_from_history_with_the_embedded_model(seed_settings):
    first = answer("What did Microsoft pledge to boost Japan's AI prowess?", settings=seed_settings)
    assert "2.9 billion" in first.text
    alone = answer("How much was it?", settings=seed_settings)
    follow = answer("How much was it?", history=[(first.question, first.text)], settings=seed_settings)
    assert follow.search_query != "How much was it?" and "microsoft" in follow.search_query.casefold()
    assert "2.9 billion" in follow.text and not follow.abstained
    assert "2.9 billion" not in alone.text  # without history the same words find nothing definite


def test_follow_up_is_rewritten_by_the_ollama_model_over_the_wire(seed_settings):
    def reply(body):
        if "Rewrite" in body["messages"][0]["content"]:
            return "How much did Microsoft pledge to boost Japan's AI prowess?"
        return "Microsoft pledged to invest US$2.9 billion [1]."

    with FakeOllama(reply) as server:
        settings = seed_settings.with_(llm="ollama", ollama_host=server.url, ollama_timeout_s=10)
        a = answer("How much was it?", history=HISTORY, settings=settings)
    rewrite_request = server.requests[0]
    assert (
        rewrite_request["stream"] is False
        and "How much was it?" in rewrite_request["messages"][-1]["content"]
    )
    assert a.search_query == "How much did Microsoft pledge to boost Japan's AI prowess?"
    assert "2.9 billion" in a.text and a.backend == "ollama"
