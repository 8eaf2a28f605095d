"""Stage 1: validation, time words as evidence (relative) or walls (calendar, explicit filters)."""

from datetime import date

import pytest

from rag import InvalidQuestion, Settings
from rag.question import RELATIVE_GRACE_DAYS, parse_question
from rag.timeframe import day_number

SETTINGS = Settings(llm="extractive")
TODAY = "2022-06-16"  # a Thursday


def _parse(question: str, **filters):
    return parse_question(question, SETTINGS, None, today=TODAY, **filters)


def test_this_week_is_a_rolling_window_ending_today_with_a_grace():
    q = _parse("Which show was green lit for a new season this week?")
    assert q.soft_period
    assert q.scope.until == date(2022, 6, 16)
    # A week back from today (not Monday), plus the grace: Sunday's report is still "this week".
    assert q.scope.since == date(2022, 6, 9).replace(day=9 - RELATIVE_GRACE_DAYS)
    assert q.search_filter().since == day_number(q.scope.since)


def test_a_soft_period_widens_to_everything_up_to_today_including_undated_articles():
    wide = _parse("What did the senators agree this week?").wide_filter()
    assert wide.since == 0 and wide.until == 20220616 and wide.keep_undated
    assert not wide.drops_undated


def test_recently_is_a_soft_period_too():
    q = _parse("Which wildly popular show was recently green lit for a new season?")
    assert q.soft_period and q.scope.until == date(2022, 6, 16)
    assert "recently" not in q.scope.query


def test_most_recently_asks_for_the_latest_report_not_a_period():
    q = _parse("What did the company most recently report?")
    assert q.scope.order == "latest" and not q.soft_period


def test_calendar_periods_and_explicit_filters_stay_walls():
    assert not _parse("What did the council decide in April 2022?").soft_period
    q = parse_question("What happened this week?", SETTINGS, None, since="2022-06-01")
    assert q.explicit_dates and not q.soft_period
    assert q.wide_filter().until == 0  # explicit filters never widen to "up to today"


def test_a_question_asked_as_of_a_day_sees_nothing_published_after_it():
    q = _parse("What happened with the gun safety agreement?")
    assert q.as_of and q.search_filter() == q.wide_filter()
    assert q.search_filter().until == 20220616 and q.search_filter().keep_undated
    # A period ending before today keeps its own end; one running past today stops at today.
    assert _parse("What did the council decide in April 2022?").search_filter().until == 20220430
    assert _parse("What did the council decide in 2022?").search_filter().until == 20220616
    # Without a day given, the clock's date is no wall: a report dated tomorrow is a time-zone difference.
    unbounded = parse_question("What happened with the gun safety agreement?", SETTINGS, None)
    assert not unbounded.as_of and unbounded.search_filter().until == 0


def test_bad_questions_raise_one_error_type_with_a_message():
    with pytest.raises(InvalidQuestion, match="empty"):
        _parse("   ")
    with pytest.raises(InvalidQuestion, match="limit"):
        _parse("x" * 5000)
    with pytest.raises(ValueError, match="since"):  # still a ValueError for older callers
        _parse("What happened?", since="not a date")
