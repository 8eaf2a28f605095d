"""Time expressions in questions resolved into date ranges, with the real dateparser."""

from datetime import date

import pytest

from rag.timeframe import day_number, read_time

TODAY = date(2026, 3, 31)  # a Tuesday


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("What did Acme earn in April 2025?", date(2025, 4, 1), date(2025, 4, 30)),
        ("What happened in 2025?", date(2025, 1, 1), date(2025, 12, 31)),
        ("What did the council decide last month?", date(2026, 2, 1), date(2026, 2, 28)),
        ("What was announced last week?", date(2026, 3, 23), date(2026, 3, 29)),
        ("What has happened since March?", date(2026, 3, 1), None),
        ("What was the estimate before 2026?", None, date(2025, 12, 31)),
        ("What changed after May 2025?", date(2025, 6, 1), None),
        ("How did prices move between June and September 2025?", date(2025, 6, 1), date(2025, 9, 30)),
        ("What did Orvane report in the past 3 months?", date(2025, 12, 31), TODAY),
        ("What did Kestrel say on 12 March 2026?", date(2026, 3, 12), date(2026, 3, 12)),
        ("What happened this year?", date(2026, 1, 1), TODAY),
        ("What did it cost in Q1 2025?", date(2025, 1, 1), date(2025, 3, 31)),
        ("Sales in December?", date(2025, 12, 1), date(2025, 12, 31)),  # the last December, not the next
        # The weekend just gone, up to today: Monday's reports tell what happened at it.
        ("What happened at the box office this weekend?", date(2026, 3, 28), TODAY),
        ("Who won over the weekend?", date(2026, 3, 28), TODAY),
    ],
)
def test_time_expressions_become_date_ranges(question, since, until):
    scope = read_time(question, TODAY)
    assert (scope.since, scope.until) == (since, until), scope
    assert scope.phrase and scope.phrase.casefold() in question.casefold()
    assert scope.phrase not in scope.query  # retrieval looks for the subject, not the date words


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("What is the latest cost estimate for the bridge?", "latest"),
        ("How many people does Orvane employ now?", "latest"),
        ("Who is the current mayor?", "latest"),
        ("What is the most recent figure?", "latest"),
        ("How much was the bridge originally expected to cost?", "first"),
        ("What was the figure when it was first reported?", "first"),
        ("How has the cost of the bridge changed?", "timeline"),
        ("Give a timeline of the strike.", "timeline"),
        ("How much did TSMC's first plant in Japan cost?", ""),  # "first plant" is not about reports
        ("What may happen to the company?", ""),  # "may" the verb is not the month
    ],
)
def test_ordering_words(question, order):
    assert read_time(question, TODAY).order == order


def test_no_time_words_leave_the_question_alone():
    scope = read_time("Who is the CEO of AND Global?", TODAY)
    assert not scope.scoped and scope.order == "" and scope.query == "Who is the CEO of AND Global?"


def test_as_of_means_the_newest_report_up_to_then():
    scope = read_time("How much did the bridge cost as of August 2025?", TODAY)
    assert scope.until == date(2025, 8, 31) and scope.since is None and scope.order == "latest"


def test_describe():
    scope = read_time("What happened in April 2025?", TODAY)
    assert scope.describe() == "between 1 April 2025 and 30 April 2025"


def test_day_numbers_sort_like_dates():
    assert day_number("2025-12-31") < day_number("2026-01-01") == 20260101
    assert day_number("") == 0


@pytest.mark.parametrize(
    "question",
    [
        "Who won the 2022 World Cup?",  # a year naming an event, not when it was reported
        "Post 2008 undergraduates must take how many classes?",
        "What has the infrastructure done over the past years?",  # no period named
        "What museum specializes in cultural history?",  # "history" alone asks for no timeline
        "Summarize the FBI search of Mar-a-Lago.",  # a hyphenated name, not the month
    ],
)
def test_words_that_look_like_time_but_set_no_period(question):
    scope = read_time(question, TODAY)
    assert not scope.scoped and scope.order == "" and scope.query == question


def test_a_named_period_can_be_recognised_in_text():
    scope = read_time("What was Warsaw's population in 1901?", TODAY)
    assert scope.named == ("1901",) and scope.speaks_of("In 1901 Warsaw had 711,988 people.", undated=False)
    assert not scope.speaks_of("In 1910 Warsaw had 781,179 people.", undated=False)
    month = read_time("What happened in April 2025?", TODAY)
    assert month.speaks_of("in April 2025 the plant opened", undated=False)
    assert not month.speaks_of("in May 2025 the plant opened", undated=False)
    # A relative period in an article's own words only counts when the article has no date of its own.
    relative = read_time("How much was spent in the past three years?", TODAY)
    assert relative.relative and relative.speaks_of(
        "spent 3.9 trillion yen in the past three years", undated=True
    )
    assert not relative.speaks_of("spent 3.9 trillion yen in the past three years", undated=False)


def test_a_weekday_means_this_weeks_news_as_a_soft_window():
    scope = read_time(
        "Biden on Wednesday announced student loan relief. How much will borrowers get?", date(2022, 8, 25)
    )
    assert (scope.since, scope.until, scope.relative) == (date(2022, 8, 18), date(2022, 8, 25), True)
    assert "Wednesday" not in scope.query
    assert read_time("What happened this week on Monday?", date(2022, 8, 25)).phrase == "this week"
