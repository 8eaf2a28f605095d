"""The checks that decide whether evidence answers a question (rag/ground.py), on sentences of the kind
that fooled them in squad2-dev."""

import pytest

from rag.ground import missing_names, split_sentences, turned_around
from rag.sentences import Quote


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = (
        "In 1973, Nixon named William E. Simon as the first Administrator. "
        "The colony stood on the banks of the St. Johns River. Prices rose 3.5% in 2024. It grew. "
        "Polls since the ruling overturning Roe v. Wade find that majorities disapprove."
    )
    assert _sentences(text) == [
        "In 1973, Nixon named William E. Simon as the first Administrator.",
        "The colony stood on the banks of the St. Johns River.",
        "Prices rose 3.5% in 2024.",
        "It grew.",
        "Polls since the ruling overturning Roe v. Wade find that majorities disapprove.",
    ]


def test_a_quotation_opening_too_short_to_stand_runs_on_into_the_next_sentence():
    text = (
        "“And now, Gi-hun returns,” Hwang said in a letter to fans. “The Front Man returns. Season 2 is "
        "coming.” “It took twelve long years. It took 12 days,” he said. It grew."
    )
    assert _sentences(text) == [
        "“And now, Gi-hun returns,” Hwang said in a letter to fans.",
        "“The Front Man returns. Season 2 is coming.",
        "“It took twelve long years.",  # a quotation's first sentence of five words stands
        "It took 12 days,” he said.",
        "It grew.",  # outside a quotation a short sentence is still one
    ]


def _quote(text: str, previous: str = "") -> Quote:
    return Quote(1, 0, len(text), text, 1.0, previous)


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        # accents: the question spells the name without them
        ("Where can a tribute to Katyn be found?", "A tribute can be found in the Katyń Museum."),
        # another form of the name
        ("When did the Huguenots settle in Germany?", "Many a Huguenot settled among the Germans in 1685."),
        # a common word capitalised only because it opens the question
        ("Along with coal, what plants use the Rankine cycle?", "Solar and coal plants use Rankine cycles."),
    ],
)
def test_names_the_evidence_does_mention_are_not_missing(question, evidence):
    assert missing_names(question, _quote(evidence)) == []


def test_a_name_the_evidence_never_mentions_is_missing():
    quote = _quote("Japan was ranked 32nd in digital competitiveness.", previous="Japan's tech sector")
    assert missing_names("Where did South Korea rank in digital competitiveness?", quote) == ["South Korea"]
    # the headline and the sentences before the quote count: they name its subject
    assert missing_names("Where did Japan rank?", _quote("It was ranked 32nd.", previous="Japan")) == []


@pytest.mark.parametrize(
    ("question", "evidence", "word"),
    [
        ("What does vaccination not exploit?", "Acquired immunity was later exploited by Pasteur.", "not"),
        (
            "What are antibodies never generated to fight?",
            "Antibodies are generated against tumours.",
            "never",
        ),
        (
            "It is always possible to model forces as due to what?",
            "It is impossible to model them so.",
            "possible",
        ),
        ("What are the less complex mechanisms used for?", "The mechanisms are more complicated.", "less"),
        (
            "In the 19th century, quantum mechanics led to what?",
            "In the 20th century, it led to QED.",
            "19th",
        ),
        ("All forces are based on three interactions of what?", "All forces are based on four.", "three"),
        ("Who was President of Radcliffe from 1869-1909?", "Radcliffe merged in 1977.", "1869"),
    ],
)
def test_a_turned_around_question_is_noticed(question, evidence, word):
    assert f"“{word}”" in turned_around(question, [evidence])


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("Why did the plant not open on time?", "The plant did not open on time because of a strike."),
        ("What did the firm lack?", "The firm had no engineers."),
        ("What is the largest trade show?", "It is Japan's largest trade show."),
        ("How much did TSMC's factory cost?", "The factory cost US$8.6 billion."),
        ("What did the second law contradict?", "The second law contradicts the first law."),
        ("Which year did the plant open?", "The plant opened in 2024."),  # no year asked: none to contradict
        # in news "last" says when, not an order to contradict "first"
        ("What was the first estimate?", "It will cost 50 million euros, the council said last week."),
    ],
)
def test_a_question_the_evidence_says_the_same_way_is_not_turned_around(question, evidence):
    assert turned_around(question, [evidence]) == ""


def test_a_questions_first_is_not_a_rank_the_evidence_contradicts():
    evidence = ["TSMC opened a new US$8.6 billion chip factory in southern Japan, and is planning a second."]
    assert turned_around("How much did TSMC's first plant in Japan cost?", evidence) == ""
    assert turned_around("What does the second law say?", ["The first law says energy is conserved."])
