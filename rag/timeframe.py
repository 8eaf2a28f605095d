"""Time in questions: "in April 2025", "last month", "since March", "latest", "how has X changed?".

`read_time(question, today)` finds the question's time expression and resolves it against `today` into
a date range, and notices whether the question wants the newest report, the first one, or the history.
dateparser does the resolving (month names, relative dates, and the period each one spans); the small
patterns here only locate the expression and the preposition that says how to use it ("since" opens the
range at its start, "before" closes it at the day before).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?!-\w)"
)  # not the start of a hyphenated name: "the search of Mar-a-Lago" names no month
_YEAR = r"(?:19|20)\d{2}"
# One point or period of time, as dateparser reads it. A bare month name needs a preposition before it
# (handled by _BOUNDED and _WITHIN below): "may" alone is usually the verb.
_DATED = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}|"
    rf"{_MONTH},?\s+{_YEAR}|q[1-4]\s+{_YEAR}|{_YEAR})"
)
_RELATIVE = (
    r"(?:(?:last|this|previous|past)\s+(?:week|month|year|quarter)|yesterday|"
    r"(?:a|one|two|three|four|five|six|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago)"
)
_POINT = rf"(?:{_DATED}|{_RELATIVE}|{_MONTH})"
_STANDALONE = rf"(?:{_DATED}|{_RELATIVE})"

_BETWEEN = re.compile(
    rf"\b(?:between|from)\s+(?P<a>{_POINT})\s+(?:and|to|until|till|through)\s+(?P<b>{_POINT})\b", re.I
)
_BOUNDED = re.compile(
    rf"\b(?P<op>since|after|from|starting|before|until|till|prior to|by|as of)\s+(?:the\s+)?"
    rf"(?:end\s+of\s+|start\s+of\s+|beginning\s+of\s+)?(?P<a>{_POINT})\b",
    re.I,
)
_WITHIN_LAST = re.compile(
    r"\b(?:in|during|over|within)\s+the\s+(?:last|past)\s+(?P<n>\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve)?\s*(?P<unit>days?|weeks?|months?|years?)\b",
    re.I,
)
# A dated period needs its preposition ("in 2025"): "the 2022 World Cup" or "post 2008 students" name an
# event, not when it was reported. Relative periods ("last month") stand alone.
_WITHIN = re.compile(
    rf"\b(?:(?:in|during|on|for|of|throughout)\s+(?:the\s+)?(?P<a>{_DATED})|(?P<r>{_RELATIVE}))\b", re.I
)
_IN_MONTH = re.compile(rf"\b(?:in|during|for|of|throughout)\s+(?P<a>{_MONTH})\b(?!\s*\d)", re.I)

_LATEST = re.compile(
    r"\b(?:latest|most\s+recent(?:ly)?|newest|(?:right\s+)?now|currently|current|so\s+far|to\s+date|"
    r"today|at\s+present|presently|these\s+days|still)\b",
    re.I,
)
_FIRST = re.compile(
    r"\b(?:originally|initially|at\s+first|earliest|original|first\s+(?:reported|announced|estimated|"
    r"said|put|expected|planned|forecast|given|quoted|set)|when\s+(?:it|they|this|that|the\s+\w+)\s+"
    r"(?:was|were)\s+(?:first\s+)?announced)\b",
    re.I,
)
_TIMELINE = re.compile(
    r"\b(?:how\s+(?:has|have|did)\b.{0,80}?\b(?:change[ds]?|evolve[ds]?|develop(?:ed)?|grow[n]?|grew|"
    r"rise[n]?|rose|fall(?:en)?|fell|move[ds]?|shift(?:ed)?)|"
    r"(?:(?:give|show|list)\s+(?:me\s+)?)?(?:a\s+|the\s+)?timeline(?:\s+(?:of|for))?|"
    r"(?:the\s+)?(?:history|evolution)\s+of|"
    r"over\s+time|every\s+(?:estimate|figure|report)|all\s+(?:the\s+)?(?:estimates|figures|reports)|"
    r"changes?\s+(?:in|to)\s+the)\b",
    re.I,
)
# "recently" names no period; a month back is what a news reader means by it (a soft window: see
# question.Question.soft_period).
_RECENTLY = re.compile(r"(?<!most )\b(?:recently|lately|in\s+recent\s+(?:days|weeks))\b", re.I)
RECENT_DAYS = 30
# "this weekend", "over the weekend": the last Saturday up to today (Monday's reports tell the weekend).
_WEEKEND = re.compile(r"\b(?:this|last|over\s+the|this\s+past|the\s+past)\s+weekend\b", re.I)
# "Biden on Wednesday announced …": news names the day of this week's events; the week before today is
# the soft window (a report outside it still answers, saying its date).
_WEEKDAY = re.compile(
    r"\b(?:on\s+|last\s+|this\s+(?:past\s+)?)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"
)
WEEKDAY_DAYS = 7
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_NUMBER_WORDS |= {"nine": 9, "ten": 10, "twelve": 12}


@dataclass(frozen=True)
class TimeScope:
    """What a question says about time."""

    since: date | None = None
    until: date | None = None
    order: str = ""  # "latest" | "first" | "timeline" | ""
    phrase: str = ""  # the words that set the range ("in April 2025"), "" when none
    query: str = ""  # the question without its time words: what retrieval and grounding look for
    # Years and month names of a named period ("in April 2025" -> "2025", "april"): a report from another
    # time that speaks of that period explicitly can still answer ("What was the population in 1901?").
    named: tuple[str, ...] = ()
    relative: bool = False  # "last month", "in the past three years": a period relative to today

    def speaks_of(self, text: str, *, undated: bool) -> bool:
        """Whether `text` names this period: every year of it, and one of its months if it has any. A
        relative period can only be matched in an undated article, in its own words ("in the past three
        years"): in a dated one it would mean another period."""
        if self.relative and undated:
            words = re.sub(r"^(?:in|during|over|within)\s+", "", self.phrase.casefold())
            said = " ".join(re.findall(r"\w+", text.casefold()))
            return f" {words} " in f" {said} "
        if not self.named:
            return False
        words = set(re.findall(r"\w+", text.casefold()))
        years = [w for w in self.named if w.isdigit()]
        months = [w for w in self.named if not w.isdigit()]
        has_month = not months or any(m in words or m[:3] in words for m in months)
        return all(y in words for y in years) and has_month

    @property
    def scoped(self) -> bool:
        return self.since is not None or self.until is not None

    def describe(self) -> str:
        """The range for people: "between 1 April 2025 and 30 April 2025", "since 1 March 2026"."""
        if self.since and self.until:
            if self.since == self.until:
                return f"on {long_date(self.since)}"
            return f"between {long_date(self.since)} and {long_date(self.until)}"
        if self.since:
            return f"since {long_date(self.since)}"
        if self.until:
            return f"up to {long_date(self.until)}"
        return ""


def long_date(day: date | str) -> str:
    """30 March 2026."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def day_number(day: date | str) -> int:
    """A date as a sortable whole number, 20260330, the form the index filters on (0: undated)."""
    if not day:
        return 0
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return day.year * 10000 + day.month * 100 + day.day


@cache
def _parser(today: date) -> Any:
    from dateparser.date import DateDataParser  # a maintained parser for dates and relative dates

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            "PREFER_DATES_FROM": "past",  # "in March" asked in January means last March
            "PREFER_DAY_OF_MONTH": "first",
        },
    )


def period_of(expression: str, today: date) -> tuple[date, date] | None:
    """The first and last day of the period an expression names ("April 2025" -> 1-30 April 2025)."""
    data = _parser(today).get_date_data(expression)
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        first, last = date(day.year, 1, 1), date(day.year, 12, 31)
    elif period == "quarter":
        q_start = 3 * ((day.month - 1) // 3) + 1
        first = date(day.year, q_start, 1)
        last = date(day.year, q_start + 2, calendar.monthrange(day.year, q_start + 2)[1])
    elif period == "month":
        first = date(day.year, day.month, 1)
        last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    elif period == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
    else:
        first = last = day
    if re.search(r"\bthis\s+(?:week|month|year|quarter)\b", expression, re.I):
        last = min(last, today)  # "this year" runs to today, not to December
    return first, last


def _with_year_of(expression: str, other: str) -> str:
    """ "June" in "between June and September 2025" takes its year from "September 2025"."""
    if re.search(_YEAR, expression) or not re.fullmatch(_MONTH, expression.strip(), re.I):
        return expression
    year = re.search(_YEAR, other)
    return f"{expression} {year.group()}" if year else expression


def _remove(text: str, span: tuple[int, int]) -> str:
    joined = " ".join((text[: span[0]] + " " + text[span[1] :]).split())
    return re.sub(r"\s+([?.!,;:])", r"\1", joined)


def _soft_window(question: str, today: date) -> tuple[date, re.Match[str]] | None:
    """The start of the window up to today that words like "recently", "this weekend" or "on Monday" open,
    and where those words are."""
    for pattern, start in (
        (_RECENTLY, today - timedelta(days=RECENT_DAYS)),
        (_WEEKEND, today - timedelta(days=(today.weekday() - 5) % 7)),  # the last Saturday
        (_WEEKDAY, today - timedelta(days=WEEKDAY_DAYS)),
    ):
        if m := pattern.search(question):
            return start, m
    return None


def read_time(question: str, today: date) -> TimeScope:
    """The date range, ordering wish and time-free query of a question, resolved against `today`."""
    since = until = None
    phrase, order = "", ""
    named: tuple[str, ...] = ()
    relative = False
    query = question
    if m := _BETWEEN.search(question):
        b = period_of(m["b"], today)
        a = period_of(_with_year_of(m["a"], m["b"]), today)
        if a and b:
            since, until = min(a[0], b[0]), max(a[1], b[1])
            phrase, query = m.group(), _remove(question, m.span())
            named = _named(phrase)
    elif m := _WITHIN_LAST.search(question):
        n = int(m["n"]) if m["n"] and m["n"].isdigit() else _NUMBER_WORDS.get((m["n"] or "").lower(), 1)
        unit = m["unit"].lower().rstrip("s")
        if not m["n"] and m["unit"].lower().endswith("s"):
            unit = ""  # "over the past years" names no period
        if unit:
            days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
            since, until = today - timedelta(days=days), today
            phrase, query, relative = m.group(), _remove(question, m.span()), True
    elif m := _BOUNDED.search(question):
        period = period_of(m["a"], today)
        if period:
            op = m["op"].lower()
            if op in ("since", "from", "starting"):
                since = period[0]
            elif op == "after":
                since = period[1] + timedelta(days=1)
            elif op in ("before", "prior to"):
                until = period[0] - timedelta(days=1)
            else:  # until, till, by, as of: the named period is included
                until = period[1]
                order = "latest" if op == "as of" else ""  # "as of May 2025": the newest report by then
            phrase, query = m.group(), _remove(question, m.span())
    else:
        for pattern in (_WITHIN, _IN_MONTH):
            m = pattern.search(question)
            expression = m and (m["a"] or m.groupdict().get("r"))
            if expression and (period := period_of(expression, today)):
                since, until = period
                phrase, query = m.group(), _remove(question, m.span())
                named = _named(phrase) if m["a"] else ()
                relative = not m["a"]
                break
    if not phrase and (soft := _soft_window(question, today)):
        since, m = soft
        until, relative, phrase, query = today, True, m.group(), _remove(question, m.span())
    if since and since > today:
        since = until = None  # a date in the future names no report yet; leave the question unscoped
        phrase, query, named, relative = "", question, (), False
    wished, query = _time_order(query)
    return TimeScope(since, until, wished or order, phrase, query.strip() or question, named, relative)


def _time_order(query: str) -> tuple[str, str]:
    """("timeline" / "first" / "latest" / "", the query without those words)."""
    if m := _TIMELINE.search(query):
        if m.group().lower().startswith("how"):  # "how has X changed" keeps its X
            return "timeline", query
        return "timeline", _remove(query, m.span())
    for order, pattern in (("first", _FIRST), ("latest", _LATEST)):
        if m := pattern.search(query):
            return order, _remove(query, m.span())
    return "", query


_MONTH_NAMES = [m.casefold() for m in calendar.month_name[1:]]


def _named(phrase: str) -> tuple[str, ...]:
    """The years and (full) month names a period phrase names."""
    years = re.findall(_YEAR, phrase)
    months = []
    for word in re.findall(r"[a-z]+", phrase.casefold()):
        full = next((m for m in _MONTH_NAMES if len(word) >= 3 and m.startswith(word)), None)
        if full:
            months.append(full)
    return tuple(dict.fromkeys(years + months))
