"""The whole answer path (question -> evidence -> policy -> generator -> checks -> Answer) on a real Chroma
index, with a fake embedder and scripted generators behind the real registry: no model, so these run in
`make test-fast`. The real-model tests of the same path stay in test_pipeline.py and test_generate.py."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from rag import (
    BACKENDS,
    AbstainReason,
    Backend,
    GeneratorKind,
    GeneratorUnavailable,
    Settings,
    answer,
    ingest,
)

ARTICLES = {
    "plant.txt": "TSMC opens chip plant in Kumamoto\n\nKUMAMOTO, 24 February 2024 - TSMC opened a US$8.6 billion "
    "chip plant in Kumamoto on Saturday. The government paid subsidies of 476 billion yen for it.",
    "ferry.txt": "Ferry fares to Inchmore rise\n\nPORTVALE, 3 March 2025 - Ferry fares to Inchmore rose by 4 per "
    "cent on Monday, the operator said, blaming the cost of fuel.",
}


class HashingEmbedder:
    """Bag of words hashed into 384 dimensions, unit length: similar wording, similar vectors."""

    name = "hashing-test-embedder"
    dimensions = 384

    def __init__(self) -> None:
        from transformers import AutoTokenizer

        from rag.embed import model_dir

        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))  # the word pieces chunking counts

    def encode(self, texts, *, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word[:6].encode()).hexdigest(), 16) % self.dimensions] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class Scripted:
    """A chat model that says what the test tells it to, or fails the way a dead server does."""

    kind = GeneratorKind.CHAT
    label = "scripted chat model"

    def __init__(self, name: str, reply: str | None) -> None:
        self.name, self.reply = name, reply

    def stream(self, prompt, max_tokens: int) -> Iterator[str]:
        if self.reply is None:
            raise GeneratorUnavailable("the scripted server is down")
        yield from re.findall(r"\S+\s*", self.reply)

    def rewrite_query(self, question: str, history) -> str:
        return question


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Iterator[Settings]:
    base = tmp_path_factory.mktemp("fake-path")
    (base / "corpus").mkdir()
    for name, text in ARTICLES.items():
        (base / "corpus" / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        fake = HashingEmbedder()
        # rag.components is also the name of a function in rag: patch the module itself.
        mp.setattr(sys.modules["rag.components"], "load_embedder", lambda *args: fake)
        s = Settings.from_env(corpus_dir=base / "corpus", index_dir=base / "index", llm="extractive")
        ingest(settings=s)
        yield s


def _with_reply(monkeypatch, settings: Settings, reply: str | None) -> Settings:
    monkeypatch.setitem(
        BACKENDS, "scripted", Backend("scripted", "Scripted", lambda s: Scripted("scripted", reply))
    )
    return settings.with_(llm="scripted")


def test_a_grounded_chat_answer_is_kept_with_its_citation(settings, monkeypatch):
    s = _with_reply(monkeypatch, settings, "TSMC's plant in Kumamoto cost US$8.6 billion [1].")
    a = answer("How much did TSMC's plant in Kumamoto cost?", settings=s)
    assert a.backend == "scripted" and a.model == "scripted chat model"
    assert (
        a.text == "TSMC's plant in Kumamoto cost US$8.6 billion [1]."
        and a.citations[0].article_id == "plant.txt"
    )


def test_an_invented_figure_is_replaced_by_the_quoted_evidence(settings, monkeypatch):
    s = _with_reply(monkeypatch, settings, "TSMC's plant in Kumamoto cost US$9.9 billion [1].")
    a = answer("How much did TSMC's plant in Kumamoto cost?", settings=s)
    assert a.backend == "extractive" and "9.9" not in a.text and "US$8.6 billion" in a.text
    assert any("9.9" in n for n in a.notes)


def test_a_decline_in_the_models_own_words_is_an_abstention(settings, monkeypatch):
    s = _with_reply(monkeypatch, settings, "The passages do not mention how many engineers TSMC hired.")
    a = answer("How many engineers did TSMC hire in Kumamoto?", settings=s)
    assert a.abstained and a.abstain_reason is AbstainReason.MODEL_DECLINED


def test_a_name_no_article_mentions_abstains_before_any_generation(settings, monkeypatch):
    s = _with_reply(monkeypatch, settings, "Samsung's plant cost US$8.6 billion [1].")
    a = answer("How much did Samsung's plant in Kumamoto cost?", settings=s)
    assert a.abstained and a.abstain_reason is AbstainReason.UNKNOWN_NAME and a.model_text == ""


def test_a_dead_backend_with_fallback_hands_over_and_says_so(settings, monkeypatch):
    s = _with_reply(monkeypatch, settings, None).with_(fallback="embedded")
    monkeypatch.setitem(BACKENDS, "llamacpp", Backend("llamacpp", "Embedded", lambda s: Scripted(
        "llamacpp", "Ferry fares to Inchmore rose by 4 per cent [1].")))  # fmt: skip
    a = answer("By how much did ferry fares to Inchmore rise?", settings=s)
    assert a.backend == "llamacpp" and "4 per cent" in a.text
    assert any("scripted server is down" in n and "RAG_FALLBACK" in n for n in a.notes)
    with pytest.raises(GeneratorUnavailable, match="scripted server is down"):
        answer("By how much did ferry fares to Inchmore rise?", settings=s.with_(fallback=""))


def test_a_chat_synthesis_keeps_its_supported_sentences_and_drops_an_invented_one(settings, monkeypatch):
    reply = ("TSMC opened a US$8.6 billion chip plant in Kumamoto [1]. "
             "Ferry fares to Inchmore rose by 4 per cent [2]. "
             "TSMC will also build a US$30 billion plant in Osaka [1].")  # fmt: skip
    s = _with_reply(monkeypatch, settings, reply)
    a = answer("Compare TSMC's plant and the Inchmore ferry fares.", settings=s)
    assert a.backend == "scripted", (a.text, a.notes, a.abstain_reason)
    assert "US$8.6 billion" in a.text and "4 per cent" in a.text and "30 billion" not in a.text
    assert len(a.text.splitlines()) == 2 and any("dropped 1 sentence" in n for n in a.notes)


def test_a_chat_synthesis_with_nothing_supported_falls_back_to_quoted_lines(settings, monkeypatch):
    s = _with_reply(monkeypatch, settings, "TSMC's plant cost US$30 billion [1].")
    a = answer("Compare TSMC's plant and the Inchmore ferry fares.", settings=s)
    assert a.backend == "extractive" and "30 billion" not in a.text, (a.text, a.notes, a.abstain_reason)
    assert "US$8.6 billion" in a.text and "4 per cent" in a.text


class ScriptedSpan(Scripted):
    """A base model continuing the one-shot pattern: a short answer, then whatever it rambles on with."""

    kind = GeneratorKind.SPAN


def test_a_base_models_short_answer_is_its_first_sentence(settings, monkeypatch):
    reply = "US$8.6 billion. The government paid subsidies of 9 trillion yen and Samsung came too."
    monkeypatch.setitem(BACKENDS, "span", Backend("span", "Span", lambda s: ScriptedSpan("span", reply)))
    a = answer("How much did TSMC's plant in Kumamoto cost?", settings=settings.with_(llm="span"))
    assert a.backend == "span" and a.text.startswith("US$8.6 billion — “") and "9 trillion" not in a.text


def test_a_short_answer_that_retells_its_whole_sentence_is_said_once(settings, monkeypatch):
    reply = "TSMC opened a US$8.6 billion chip plant in Kumamoto on Saturday. It employs 1,700 people."
    monkeypatch.setitem(BACKENDS, "span", Backend("span", "Span", lambda s: ScriptedSpan("span", reply)))
    a = answer("How much did TSMC's plant in Kumamoto cost?", settings=settings.with_(llm="span"))
    assert a.backend == "span", (a.text, a.notes, a.abstain_reason)
    assert a.text.startswith("“KUMAMOTO, 24 February 2024 - TSMC opened") and " — " not in a.text


def _ask_beside_a_tram_story(settings, headline: str, body: str, question: str):
    """The answer to `question` from a real index of one article and an unrelated one."""
    (settings.corpus_dir / "article.txt").write_text(f"{headline}\n\n{body}", encoding="utf-8")
    (settings.corpus_dir / "tram.txt").write_text(
        "Norrvik tram opens\n\nThe Harbourview tram line in Norrvik opened on 3 November, carrying 41,000 "
        "passengers on its first day, the transport authority said.",
        encoding="utf-8",
    )
    ingest(settings=settings)
    return answer(question, settings=settings)


def test_a_word_only_a_subhead_holds_is_answered_from_the_section_under_it(fresh_settings):
    """ "What was Partygate?" abstained while cleaning dropped subheads: no sentence says the word."""
    from .test_clean import SUBHEADED

    a = _ask_beside_a_tram_story(fresh_settings, "The mayor's troubles", SUBHEADED, "What was Plumbgate?")
    assert not a.abstained, a.notes
    assert "brother's firm" in a.text


def test_a_list_printed_one_item_a_line_answers_what_it_lists(fresh_settings):
    """The Emmy nominations lost every nominee in cleaning: each line read as a pasted headline."""
    from .test_clean import NOMINEES

    question = "Which shows were nominated for best drama series?"
    a = _ask_beside_a_tram_story(fresh_settings, "Harbour Awards nominations", NOMINEES, question)
    assert not a.abstained, a.notes
    assert all(show in a.text for show in ("Tidewater", "The Lamplighters", "Salt & Iron")), a.text
