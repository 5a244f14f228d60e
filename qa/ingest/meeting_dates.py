"""Dates of reported events, resolved against the report's own publication date.

"2月17日" in a report published 2020-02-18 is 2020-02-17; "昨天" is the day before the
publication date. Without a publication date the date stays as written: a year is never
invented.
"""

from __future__ import annotations

import datetime as dt
import re

#: A date as a report writes it at the head of an event: "2020年2月17日", "2月17日上午", "昨天".
EVENT_DATE = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:上午|下午|晚上|晚)?"
    r"|(昨天|昨日|前天|今天|今日|日前|近日)"
)
_RELATIVE = {"昨天": -1, "昨日": -1, "前天": -2, "今天": 0, "今日": 0}


def last_date(text: str) -> re.Match[str] | None:
    """The last event date written in ``text`` (the one nearest to what follows it)."""
    found = None
    for found in EVENT_DATE.finditer(text):
        pass
    return found


def resolve(match: re.Match[str], published: str | None) -> str:
    """ISO date where the text and the publication date determine it; else the text as written."""
    written = match.group(0)
    pub = _parse_iso(published)
    year, month, day, word = match.groups()
    if word:
        if word in _RELATIVE and pub is not None:
            return (pub + dt.timedelta(days=_RELATIVE[word])).isoformat()
        if word in _RELATIVE and (md := _month_day(published or "")):
            # a dateline without its year ("本报5月17日讯"): the day before is still a month and day
            day = dt.date(2000, *md) + dt.timedelta(days=_RELATIVE[word])  # a leap year: 2月29日 exists
            return f"{day.month}月{day.day}日"
        return word
    if year:
        return _iso(int(year), int(month), int(day)) or written
    if pub is None:
        return re.sub(r"(上午|下午|晚上|晚)$", "", written)
    guess = _iso(pub.year, int(month), int(day))
    if guess is not None and guess > pub.isoformat():  # "12月30日" in a report of 1月2日: last year
        guess = _iso(pub.year - 1, int(month), int(day))
    return guess or written


def same_month(date: str | None, day: int) -> str | None:
    """"28日" in a report of an event that began on 2025-12-26: that month's 28th (None if unknown)."""
    if (iso := _parse_iso(date)) is not None:
        return _iso(iso.year, iso.month, day)
    if date and (md := _month_day(date)):
        return f"{md[0]}月{day}日"
    return None


def same_day(a: str | None, b: str | None) -> bool:
    """Could two dates (ISO or as written) name the same day? Unknown dates match anything."""
    if not a or not b or a == b:
        return True
    ka, kb = _month_day(a), _month_day(b)
    if ka is None or kb is None:
        return not (_parse_iso(a) and _parse_iso(b))  # two different ISO dates never match
    return ka == kb


def on_day(date: str | None, asked: str) -> bool:
    """Is an event ``date`` the day ``asked`` ("2月17日" or ISO)? Stricter than :func:`same_day`:
    a date left as written ("昨天") or missing is no day at all."""
    if not date:
        return False
    if _parse_iso(date) and _parse_iso(asked):
        return date == asked
    a, b = _month_day(date), _month_day(asked)
    return a is not None and a == b


def better(a: str | None, b: str | None) -> str | None:
    """Of two dates of one event, the one that says more (an ISO date over "2月17日" or "昨天")."""
    if not a:
        return b
    if not b:
        return a
    return b if _parse_iso(b) and not _parse_iso(a) else a


def _month_day(text: str) -> tuple[int, int] | None:
    iso = _parse_iso(text)
    if iso:
        return iso.month, iso.day
    m = re.fullmatch(r"(?:\d{4}年)?(\d{1,2})月(\d{1,2})日(?:上午|下午|晚上|晚)?", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _parse_iso(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
