"""Phrases in Chinese news text: people, titles, meeting names, numbers, dates.

Shared by the reader's short answers (qa.answer) and the meeting table built at index time;
every function works on folded (simplified) text and returns spans into it.
"""

from __future__ import annotations

import re

from .tokens import tagged

Span = tuple[int, int]

TITLES = (
    "总书记|书记|副书记|省长|副省长|代省长|市长|副市长|代市长|县长|区长|镇长|主任|副主任|主席|副主席|组长|副组长"
    "|部长|厅长|局长|总理|秘书长|委员|常委|经理|董事长|主管|院长|校长"
)
BOUNDARY = set("，,。、；;：:！？!?“”\"‘’'《》「」\n\t 　")
#: Characters that may stand between a name and 主持 without being part of the name.
NOT_NAME = set("在于等也还亲并正曾又再将已来去同和与及、，, ")
MEETING_END = re.compile(r"会议|例会|全会|调度会|座谈会|推进会|专题会|联席会|大会|常委会|视频会|续会|见面会|报告会")
VERBS = re.compile(r"(主持召开|召开了|召开|主持|出席|参加了|参加|举行了|举行|列席|传达学习了|传达学习|传达了|学习了|审议|听取|在|于|暨)")
NUMBER = re.compile(
    r"(?:\d+(?:[.,]\d+)*|[一二三四五六七八九十百千万两]+)\s*(?:%|％|‰|万亿|亿元|万元|亿|万|千|百)?"
    r"(?:[个家人次天张项名位岁条件台辆种批所户元座倍平方米公里吨]|万人)?"
)
DATE = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚上|晚)?|\d{4}年\d{1,2}月|\d{4}年|\d{4}-\d{1,2}-\d{1,2}"
    r"|昨天|昨日|今天|今日|日前|近日|前天"
)
CLAUSE = re.compile(r"[^，,；;。！？!?]+")


def tokens_with(text: str, start: int, end: int, flag: str) -> list[tuple[int, int, str]]:
    out, pos = [], start
    for word, tag in tagged(text[start:end]):
        if tag == flag and len(word) >= 2:
            out.append((pos, pos + len(word), word))
        pos += len(word)
    return out


def people(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, name) of every person jieba tags between start and end."""
    return tokens_with(text, start, end, "nr")


def named_phrases(text: str, start: int, end: int, suffix: re.Pattern[str]) -> list[Span]:
    """Noun phrases ending in ``suffix``: from the last boundary or verb before it."""
    spans: list[Span] = []
    for m in suffix.finditer(text, start, end):
        left = m.start()
        while left > start and text[left - 1] not in BOUNDARY:
            left -= 1
        verbs = list(VERBS.finditer(text, left, m.start()))
        if verbs:
            left = verbs[-1].end()
        if spans and spans[-1][1] == m.end():
            continue
        if spans and left <= spans[-1][0]:  # "市委常委会第167次会议" holds "市委常委会": one meeting
            spans.pop()
        spans.append((left, m.end()))
    return _join_ji(text, spans)


def _join_ji(text: str, spans: list[Span]) -> list[Span]:
    """"A会议暨B会议" names one meeting."""
    out: list[Span] = []
    for span in spans:
        if out and text[out[-1][1]:span[0]] == "暨":
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
    return out


def is_named(text: str, span: Span) -> bool:
    name = text[span[0]:span[1]]
    return len(name) >= 4 and not re.fullmatch(r"(该|此|本次|这次|上述)?(会议|会|续会)", name)
