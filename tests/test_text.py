"""Shared text helpers: the kind of answer a question asks for, and sentences that hold one."""

import pytest

from rag.text import answer_kind, holds_kind, names_in


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which wildly popular show was recently green lit for a new season?", "name"),
        ("Who is the vice-president of MM Research Institute?", "name"),
        ("Where did the massive data leak happen?", "name"),
        ("How much did TSMC's first plant in Japan cost?", "figure"),
        ("How many minutes did the violence play out?", "figure"),
        ("When are student loan payments set to resume?", "date"),
        ("How soon could vaccines be available for young children?", "date"),
        ("Why did cities cancel their fireworks?", ""),
    ],
)
def test_answer_kind(question, kind):
    assert answer_kind(question) == kind


def test_a_sentence_holds_a_name_only_when_the_question_lacks_it():
    q = "Which wildly popular show was recently green lit for a new season?"
    assert holds_kind("name", "But it took 12 days for Squid Game to become the most popular series.", q)
    assert not holds_kind("name", "the wildly popular show is green lit for a second season.", q)


def test_figures_and_dates_already_in_the_question_do_not_count():
    q = "Did prices rise 13% this year?"
    assert not holds_kind("figure", "Prices rose 13% in a year.", q)
    assert holds_kind("figure", "Prices rose 13%, and rents 17%.", q)
    assert holds_kind("date", "Payments resume after August 31.", "When do payments resume?")


def test_an_elided_particle_stays_with_the_name_it_opens():
    # "Alene" alone is in no article (they spell "Coeur d’Alene"), so it would read as an unknown name.
    assert names_in("What happened in Coeur d'Alene at the Pride event?") == ["Coeur d'Alene", "Pride"]
    assert names_in("Did O'Brien join L’Oréal?", skip_opening_word=True) == ["O'Brien", "L’Oréal"]
    # An instruction opening the question is no part of the name after it.
    assert names_in("Compare Norrick Bank's rate decisions.", skip_opening_word=True) == ["Norrick Bank's"]


def test_an_acronym_spelling_a_function_word_is_a_term_of_its_own():
    from rag.lexical import lexical_terms
    from rag.text import question_terms

    assert "WHO" in question_terms("What is the WHO doing about monkeypox?")
    assert "WHO" in lexical_terms("WHO’s Emergency Committee met.")
    assert "WHO" not in lexical_terms("Those who have symptoms should isolate.")


def test_a_name_cut_short_is_known_by_the_word_it_shortens_and_a_stem_is_not(tmp_path):
    from rag.lexical import LexicalIndex

    index = LexicalIndex(tmp_path / "lexical")
    index.build(["a", "b"], ["Gronkowski retired again.", "CDC director Rochelle Walensky spoke."])
    assert index.mentions("Gronk")  # a nickname
    assert index.mentions("Walensky") and index.mentions("retired")
    assert not index.mentions("Wales")  # stems to "wale", which starts "walensky": no nickname
    assert not index.mentions("Gro")  # too short to stand for a name
    assert not index.mentions("Pelosi")
