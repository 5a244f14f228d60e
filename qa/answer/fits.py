"""Does a short-answer proposal fit the question: of the type asked (a person for "who", a date
for "when", a number in the unit asked), for the day, period, part of the meeting and qualifier
the question names? Checked before the decision weighs anything, so a figure for another day or
the chair of another session never becomes an answer, however sure its source.
"""

from __future__ import annotations

import re

from ..ingest.phrases import CHAIRING_BODY, CLAUSE, DATE, TITLES, WHEN_DATE, name_shaped
from .analysis import Analysis
from .cues import TIME, TIME_WORDS, UNIT_LABEL, VENUE
from .evidence import Evidence
from .numbers import QUALIFIER, asked_qualifiers
from .pins import DAY_ORDINAL, ONE_DAY, is_total
from .proposals import CREDIT, HELD, HOLDER, PATTERN, TABLE, TITLE, Proposal
from .question import unit_forms, units_asked
from .sentences import sentence_of


def fits(a: Analysis, evidence: Evidence, p: Proposal) -> bool:
    """Is the proposal of the type the question asks for (a person for "who", a date for "when",
    a number for "how many"), and not a total over several days for a question about one day?"""
    kind, value = a.question.kind, p.value.strip()
    if TITLE in p.origins:
        return True
    c = evidence.candidates[p.candidate]
    if kind in ("who", "who-chaired") and not (_person(value) or p.origins & {TABLE, HOLDER, CREDIT}
                                             or PATTERN in p.origins and _BODY.search(value)
                                             or PATTERN in p.origins and _titled_name(c.folded, p.span[0], value)):
        return False  # a name (the table's or a holder's, whatever its surname), or a body that chaired
    if kind == "when" and (not WHEN_DATE.fullmatch(re.sub(rf"\s*(?:{TIME.pattern})?\s*(?:之|以)?前$", "", value))
                           or value in _VAGUE_DAYS):  # a deadline to the hour: "4月14日下午5:00前"
        return False
    if kind == "when" and (relative_day(value) or not re.search(r"\d日|-\d{1,2}$", value)) \
            and re.search(r"哪天|哪一天|几号|几日|几月几|日期", a.question.folded):
        return False  # "哪天？" is not answered by "昨天" (the quote shows the report's date), nor by "12月上旬"
    parts = {part.lstrip("的") for part in _PART.findall(a.question.folded)}
    if parts and kind in ("who-chaired", "who", "when", "where", "time-of-day"):
        s, e = sentence_of(c, p.sentence)
        before = sentence_of(c, p.sentence - 1)[0] if p.sentence else s
        if not all(part in c.folded[before:e] for part in parts):
            return False  # "闭幕式由谁主持？" is not answered by who chaired the opening
    if kind == "when" and c.row is not None and p.sentence == c.row_sentence and not HELD.search(a.question.folded):
        return False  # the day a meeting was held does not answer "…要求什么时候之前开工？"
    if kind == "time-of-day" and not (TIME.fullmatch(value) or re.fullmatch(TIME_WORDS, value)):
        return False
    if kind == "time-of-day" and _CLOCK_ASKED.search(a.question.folded) and not re.search(r"\d|[一二三四五六七八九十]", value):
        return False  # "几点开始？" asks for the hour: "下午" does not say it
    if kind in ("number", "duration") and not re.search(r"\d|[一二三四五六七八九十百千万两半]", value):
        return False
    asked_units = {a.question.unit, *units_asked(a.question.folded)} - {None}  # "多少起…、死亡多少人": either
    units = {form for u in asked_units for form in unit_forms(u)}
    if kind == "number" and units and not any(
            re.search(rf"{re.escape(u)}(?:[\u4e00-\u9fff]?(?:左右|以上|多)?|[\u4e00-\u9fff]{{1,4}})$", value) for u in units) \
            and not _unit_in_label(c.folded, p.span[0], value, units):
        return False  # "多少人" is not answered by "300", "投资多少" not by "12个"
    if kind == "where" and (DATE.fullmatch(value) or re.fullmatch(r"[\d.,%％]+|[\d一二三四五六七八九十]+月(?:份|底|初|中旬)?|[上下]午|晚上|当天|今年|去年", value)
                            or re.fullmatch(r"[主分]?会场|会议室|现场|当地|会上", value) or value.endswith("讯")):
        return False  # "主会场" names no place
    if kind == "where" and re.search(r"籍贯|出生地|老家|家乡|祖籍|出生在", a.question.folded) and re.search(rf"(?:{VENUE})$", value):
        return False  # "X的籍贯是哪里？" is not answered by a meeting's venue
    if kind == "where" and "主会场" in a.question.folded and value.endswith(("主会场", "分会场")):
        return False  # "主会场设在哪里？" is not answered by "市主会场", nor by a branch venue
    if kind == "where" and (unit := re.search(r"哪(?:个|一个|座)?(?:城(?=市))?(村|镇|乡|县|区|市|省|街道)", a.question.folded)) \
            and not value.endswith(unit.group(1)):
        return False  # "在哪个村开的？" is answered by a village, not by the room
    if kind == "what" and a.question.head and not value.rstrip("》").endswith(a.question.head):
        return False  # "哪件提案" is answered by a 提案, not by "主持会议"
    if kind != "number":
        return True
    days = {int(re.search(r"\d+", d).group()) for d in a.pins.day_words if re.search(r"\d", d)}
    days |= {d for _, d in a.pins.days}
    if a.pins.one_day and not DAY_ORDINAL.search(a.question.folded):
        # "会议当天…": the day of the meeting the question names (not "首日", "第二天": a day within it)
        days |= {int(row.date[-2:]) for row in {id(x.row): x.row for x in evidence.candidates if x.row}.values()
                 if row.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.date)}
    if days and not days <= _days_before(c.folded, sentence_of(c, p.sentence)[0], p.span[0]):
        return False  # "7日…多少" is not answered by a figure given for the 6th
    sentence = c.folded[slice(*sentence_of(c, p.sentence))]
    for period in (_YEAR, _PERIOD, _PHASE):  # "3月份…多少" is not answered by the quarter's figure
        asked, given = _periods(period, a.question.folded), _periods(period, sentence)
        if asked and given and not asked & given:
            return False
    if (asked := _OTHER_END.search(a.question.folded)) and asked.group(1) not in sentence and \
            re.search(rf"{re.escape(asked.group(1)[:-2])}(?!{re.escape(asked.group(1)[-2:])})[\u4e00-\u9fff]{{2}}{_LINK}[\d一二三四五六七八九十]",
                      c.folded[max(0, p.span[0] - 12):p.span[1]]):
        return False  # "预算支出是多少？" is not answered by "预算收入21.4亿元"
    if (grew := _GREW.search(a.question.folded)) and grew.group(1)[-2:] not in sentence:
        return False  # "工业增加值增长了多少？" is not answered by how much the budget grew
    wanted = set(asked_qualifiers(a.question.folded))
    near = set(QUALIFIER.findall(c.folded[max(0, p.span[0] - 8):p.span[0]]))
    if wanted and near and not wanted & near:
        return False  # "实到多少名" is not answered by the figure after 应到
    if wanted & _AVERAGES and not wanted & near:
        return False  # "日均接待多少" is answered only by a figure written as a daily average
    asked_day = _day_number(" ".join(a.pins.day_words))
    if asked_day is not None:
        start = sentence_of(c, p.sentence)[0]
        given = [_day_number(m.group()) for m in DAY_ORDINAL.finditer(c.folded, start, p.span[0])]
        if not given or given[-1] != asked_day:
            return False  # "第二天…多少" is not answered by the first day's figure, nor by one of no day
    if a.pins.wants_total:  # "两天一共收到多少？" is not answered by "第二天(，)收到87件"
        head = c.folded[sentence_of(c, p.sentence)[0]:p.span[0]]
        # a day of the event ("第二天", "20日"), not the span it ran over ("16日至19日")
        day = [*re.finditer(rf"{DAY_ORDINAL.pattern}|当[天日]|(?<![\d月至到—－-])\d{{1,2}}日(?![至到—－-])", head)]
        return not day or is_total(head[day[-1].end():])
    if not a.pins.one_day:
        return True
    # The figure's stretch: from the last day named before it in its sentence ("其中当日…"), or from the
    # sentence's start ("本届共吸引观众10.6万人次，实现交易额1.87亿元": both figures are totals).
    start = sentence_of(c, p.sentence)[0]
    days = list(re.finditer(rf"{ONE_DAY.pattern}|\d{{1,2}}[日号]", c.folded[start:p.span[0]]))
    stretch = c.folded[start + (days[-1].start() if days else 0):p.span[0]]
    return not is_total(stretch)


#: Qualifiers a figure must carry to answer a question that writes them: an average is no total.
_AVERAGES = {"日均", "人均", "月均", "年均"}
#: "…增加值增长了多少？": what grew is named right before the verb of change.
_GREW = re.compile(r"([\u4e00-\u9fff]{2,})(?:同比|环比)?(?:增长|下降|提高|增加|减少|上涨|回落|降低)(?:了)?(?:多少|几)")
#: The thing a figure is asked of, ending in a word a report may swap for its opposite (预算支出/收入).
_OTHER_END = re.compile(r"([\u4e00-\u9fff]{4,8}?)(?:了|过)?(?:是|为|有|共|达|约)?(?:多少|几)")
_LINK = r"(?:为|达|是|约|共|了|计|完成|达到)?"


def _days_before(text: str, start: int, at: int) -> set[int]:
    """The days a figure at ``at`` is given for: those its clause names ("6日、7日两天累计…"), else
    the last date before it in its sentence ("5月6日全市新增…120人")."""
    clause = next((m for m in CLAUSE.finditer(text, start) if m.start() <= at < m.end()), None)
    here = [int(d) for d in re.findall(r"(\d{1,2})[日号]", text[clause.start():at])] if clause else []
    if here:
        return set(here)
    before = re.findall(r"(\d{1,2})[日号]", text[start:at])
    return {int(before[-1])} if before else set()


#: Periods a figure is given for: a year, a month, a quarter, a phase of a project.
_YEAR = re.compile(r"(?:19|20)\d{2}(?=年)")
#: A month ("3月份"), a run of months ("1—5月"), a quarter or half a year: one family of periods.
_PERIOD = re.compile(r"\d{1,2}\s*[—\-－至到~]\s*\d{1,2}月|(?<![\d—\-－至到~])\d{1,2}月(?![\d日号])"
                     r"|[一二三四1-4]季度|上半年|下半年|前三季度")
#: A phase of a project: "一期", "2期".
_PHASE = re.compile(r"[一二三四五六七八九十\d]期")


def _periods(pattern: re.Pattern[str], text: str) -> set[str]:
    return {re.sub(r"\s|份", "", m) for m in pattern.findall(text)}




def _day_number(text: str) -> int | None:
    if m := DAY_ORDINAL.search(text):
        word = m.group()
        if not word.startswith("第"):  # 首日, 开幕当天: the first day
            return 1
        n = word[1:-1]
        return int(n) if n.isdigit() else "一二三四五六七八九十".index(n) + 1 if len(n) == 1 else None
    return None


#: The part of a meeting a question may ask about: its opening, its closing, a preparatory session.
_PART = re.compile(r"开幕|闭幕|预备会|(?<=全会|会议)的?第[一二三四五六七八九十\d]+次全体会议")
#: Bodies that chair a meeting: "全会由市委常委会主持".
_BODY = re.compile(rf"(?:{CHAIRING_BODY})$")  # 常务委员会 ends in 委员会
#: A time-of-day question asking for the hour, not for the part of the day.
_CLOCK_ASKED = re.compile(r"几点|几时|什么时间|什么时刻|何时开始")
#: Dates that name no day: never the answer to "哪天".
_VAGUE_DAYS = {"日前", "近日", "近期"}
#: Dates written relative to the report's day: a written-out date is preferred to them.
_RELATIVE_DAY = re.compile(r"(?:昨天|昨日|前天|今天|今日)(?:上午|下午|晚上|晚)?")


def _unit_in_label(text: str, at: int, value: str, units: set[str]) -> bool:
    """A bare figure whose form label names the unit: "出席会议的股东和代理人人数　　57" is 57 人."""
    forms = "|".join(map(re.escape, units))
    return re.fullmatch(r"[\d,.]+", value) is not None and \
        re.search(rf"(?:{forms}){UNIT_LABEL}$", text[max(0, at - 16):at]) is not None


def relative_day(value: str) -> bool:
    """A date written relative to the report's day ("昨天下午", "日前"): a written-out date is preferred."""
    return value in _VAGUE_DAYS or _RELATIVE_DAY.fullmatch(value) is not None


def _titled_name(text: str, at: int, value: str) -> bool:
    """A name of a rarer surname written right after a title ("党委书记庹立新"): a person too."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", value) and re.search(rf"(?:{TITLES})$", text[max(0, at - 6):at]))


def _person(value: str) -> bool:
    """A name as reports write one: two to four Chinese characters led by a surname (or several
    names joined by 、)."""
    return all(name_shaped(v) for v in re.split(r"[、，,和及]", value) if v)
