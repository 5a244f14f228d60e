"""What a question asks for, and who "他" is in a follow-up.

Pure functions over text: the kind of short answer wanted (person, meeting, number, date,
place, thing), the unit or head noun that narrows it, and the question rewritten with the
conversation's last-named person in place of a pronoun.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..ingest.script import fold
from ..ingest.tokens import tagged, words

KIND_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("who-chaired", re.compile(r"(谁|哪位|何人|什么人).{0,3}主持|主持.*(谁|哪位|何人)")),
    ("when", re.compile(r"什么时候|何时|哪天|哪一天|几月几日|几号|哪年|哪一年|什么日子|日期是")),
    ("where", re.compile(r"哪里|哪儿|在哪|什么地方|哪.?个地方|何地|何处|什么地点|哪座城市|哪个城市")),
    ("which-meeting", re.compile(r"(哪个|哪些|哪次|什么|哪一个|何种)(会议|会)|会议.{0,2}(是)?(哪个|哪些|什么)")),
    ("number", re.compile(r"多少|几[个家人次天张项名位年月岁条件台辆种批所户]|比例|百分之几|几成")),
    ("who", re.compile(r"谁|哪位|何人|什么人|哪些人")),
    ("what", re.compile(r"什么|哪个|哪些|哪一|哪项|何")),
]
PLURAL = re.compile(r"哪些|哪几|哪两|哪三|几个|都有|分别")
UNIT = re.compile(r"(?:多少|几)([个家人次天张项名位年月岁条件台辆种批所户元%])")
HEAD_NOUN = re.compile(r"(?:哪个|哪些|哪项|什么|哪一个|何种)([\u4e00-\u9fff]{0,6}?)([\u4e00-\u9fff]{2})(?=[？?。，,]|$|是)")
PRONOUN = re.compile(r"(?:他们|她们|他|她|此人|该人|这个人|这位)(?:还|也|又)?")
FOLLOW_UP_LEAD = re.compile(r"^(那么|那|还有|另外|然后)[，,\s]*")


@dataclass(frozen=True)
class Question:
    text: str  # as asked (after follow-up resolution)
    folded: str
    kind: str
    words: list[str]
    plural: bool
    unit: str | None  # "家" in 多少家
    head: str | None  # "方案" in 哪个招商引资方案
    people: list[str]  # names in the question


def analyze(text: str) -> Question:
    folded = fold(text)
    kind = next((k for k, p in KIND_PATTERNS if p.search(folded)), "other")
    unit = (m.group(1) if (m := UNIT.search(folded)) else None)
    if unit is None and re.search(r"比例|百分|比率|增长率|率是", folded):
        unit = "%"
    head = None
    if kind in ("what", "which-meeting") and (m := HEAD_NOUN.search(folded)):
        head = m.group(2)
    return Question(
        text=text,
        folded=folded,
        kind=kind,
        words=words(text),
        plural=bool(PLURAL.search(folded)),
        unit=unit,
        head=head,
        people=people_in(folded),
    )


def people_in(text: str) -> list[str]:
    """Person names jieba tags in ``text`` (folded), in order, without repeats."""
    return list(dict.fromkeys(word for word, flag in tagged(text) if flag == "nr" and len(word) >= 2))


def resolve_follow_up(question: str, history: Sequence[tuple[str, str | None]] | None) -> str:
    """Replace a pronoun with the person the conversation last named.

    ``history`` holds (question, short answer) turns, oldest first. The latest turn's
    question is searched before its answer: in "那杜小刚主持了什么会议？" → "他还参加了哪些会议？",
    "他" is 杜小刚, while after "谁主持了…？" → "黄钦", it is the answer.
    """
    stripped = FOLLOW_UP_LEAD.sub("", question.strip())
    if not history or not PRONOUN.search(stripped):
        return stripped
    for asked, answered in reversed(list(history)):
        names = people_in(fold(asked))
        if not names and answered:
            names = people_in(fold(answered)) or ([answered] if len(answered) <= 4 else [])
        if names:
            return PRONOUN.sub(names[0], stripped, count=1)
    return stripped
