"""Short answers pulled out of a sentence: people, meetings, numbers, dates, places, titles.

Every function works on folded (simplified) text that is aligned character for character
with the passage, and returns spans into it, so the answer is marked in the quote exactly
where it stands in the document. Nothing here invents text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..ingest.phrases import (
    ASIDE,
    BODY_CHAIR,
    CLAUSE,
    MANNER,
    MEETING_END,
    NOT_NAME,
    TITLES,
    WHEN_DATE,
    Span,
    is_named,
    name_shaped,
    named_phrases,
    people,
    tokens_with,
)
from .actors import actors, anchors
from .cues import (
    A_DAY,
    DEADLINE,
    DUE_STOP,
    DURATION,
    EVENT,
    FIELD,
    FIELD_LABEL,
    FIELD_NAME,
    FIELD_NAMES,
    TIME,
    VENUE,
    label,
)
from .numbers import figures
from .pins import MEETING_SHARE, meeting_named, pairs
from .question import Question
from .titles import appointed_names


@dataclass(frozen=True)
class Extraction:
    spans: list[Span]
    #: First sentence index the quote must include (a bare "会议" may point back to an earlier one).
    first_sentence: int
    #: Found by a pattern that says what the span is ("X主持", "在X召开", "主持人：X", a number
    #: with the unit asked for next to the thing counted), not just something of the right type
    #: nearby: the decision may show it as the short answer on its own.
    sure: bool = False


def extract(q: Question, text: str, sentences: list[Span], index: int) -> Extraction | None:
    """Spans answering ``q`` in sentence ``index`` of a passage's folded ``text``."""
    finder = FINDERS.get(q.kind)
    if finder is None:
        return None
    return finder(q, text, sentences, index)


# --- people ----------------------------------------------------------------------------------------


def _who_chaired(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    found = []
    for m in FIELD.finditer(text, s, e):
        if label(m).endswith(("主持人", "主持")):  # "主持人：X", "会议主持人：董事长 X"
            named = [p for p in people(text, m.end(), e)
                     if re.fullmatch(rf"(?:[\u4e00-\u9fff、，,]{{0,12}}(?:{TITLES}))?", re.sub(r"\s", "", text[m.end():p[0]]))]
            if named:
                return Extraction([named[0][:2]], i, sure=True)
    if m := BODY_CHAIR.search(text, s, e):
        return Extraction([(m.start(1), m.end(1))], i, sure=True)  # "全会由市委常委会主持"
    for m in re.finditer("主持", text[s:e]):
        at = s + m.start()
        polite = re.search(r"(?:先生|女士|同志)$", text[s:at])  # "由董事长某某先生主持"
        at_name = at - (len(polite.group()) if polite else 0)
        before = [p for p in people(text, s, at_name) if at_name - p[1] <= 1]
        if before:
            start, end, name = before[-1]
            # jieba cuts some four-character names short (欧阳明|远): take the stray character.
            if end < at_name and len(name) < 4 and text[end] not in NOT_NAME:
                end = at_name
            found.append((start, end))
            continue
        title = re.search(rf"(?:{TITLES})([\u4e00-\u9fff]{{2,3}})$", text[s:at_name])
        if title:
            found.append((s + title.start(1), at_name))
    return Extraction(found[:1], i, sure=True) if found else None


def _who(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    whole = appointed_names(text, s, e)
    candidates = [(a, whole.get(a, b), text[a:whole.get(a, b)]) for a, b, _ in people(text, s, e)]
    candidates = [p for p in candidates if p[2] not in q.folded]
    field = FIELD_LABEL.match(text, s)
    if field and re.sub(r"[人员]$", "", field.group(1)) in q.folded and \
            (listed := FIELD_NAMES.match(text, field.end(), e)) and all(map(name_shaped, re.split("、", listed.group(1)))):
        return Extraction([listed.span(1)], i, sure=True)  # "律师：晏书琪、祝远航": the names the field gives
    if not candidates:
        return None
    # A field of minutes the question names: "记录：县政府办公室 何佳" for "记录人是谁？"
    if field and re.sub(r"[人员]$", "", field.group(1)) in q.folded:
        if not q.plural and (value := FIELD_NAME.match(text, field.end(), e)) and name_shaped(value.group(1)):
            return Extraction([value.span(1)], i, sure=True)  # "记录：周芷萱（…）": the name the field gives, whole
        named = [p for p in candidates if p[0] >= field.end()]
        if named:
            return Extraction([named[-1][:2] if len(named) == 1 else named[0][:2]], i, sure=len(named) == 1)
    if (acting := actors(q, text, s, e, candidates)) is not None:
        return Extraction([p[:2] for p in acting[0]], i, sure=acting[1])
    near = [(m.start() + s, m.end() + s) for w in anchors(q) for m in re.finditer(re.escape(w), text[s:e])]
    if not near:
        return Extraction([candidates[0][:2]], i)
    gap = {p: min(max(a - p[1], p[0] - b, 0) for a, b in near) for p in candidates}
    best = min(candidates, key=gap.get)
    # "冯思勇通报了…" for "通报…的是谁", "由沈思浩牵头" for "由谁牵头", "聘任谢思康为" for "聘任谁为":
    # the name stands right against the question's own verb.
    return Extraction([best[:2]], i, sure=gap[best] <= 1)


# --- meetings and other named things -------------------------------------------------------------


def _meeting(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    if q.people and not any(p in text[s:e] for p in q.people):
        return None
    named = [sp for sp in named_phrases(text, s, e, MEETING_END) if is_named(text, sp)]
    if named:
        return Extraction(named[: 3 if q.plural else 1], i)
    # "…杜小刚出席会议。": the meeting was named in an earlier sentence of the passage.
    for j in range(i - 1, -1, -1):
        js, je = sentences[j]
        named = [sp for sp in named_phrases(text, js, je, MEETING_END) if is_named(text, sp)]
        if named:
            return Extraction([named[-1]], j)
    return None


def _what(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    titled = [(m.start(), m.end()) for m in re.finditer(r"《[^《》]{2,60}》", text[s:e])]
    titled = [(s + a, s + b) for a, b in titled]
    if q.head:
        # a title named after the thing asked ("《…实施方案（2026—2028年）》" for "什么方案"), not one about it
        # ("《关于续聘会计师事务所的议案》" for "哪家会计师事务所")
        with_head = [sp for sp in titled if re.sub(r"[（(][^（()）]*[）)]$", "", text[sp[0] + 1:sp[1] - 1]).endswith(q.head)]
        if with_head:
            return Extraction(with_head[:1], i)
        named = [sp for sp in named_phrases(text, s, e, re.compile(re.escape(q.head)))
                 if sp[1] - sp[0] > len(q.head) and text[sp[0]:sp[1]] not in q.folded]
        if named:
            return Extraction(named[:1], i)
    return Extraction(titled[:1], i) if titled else None


# --- numbers, dates, places --------------------------------------------------------------------------


def _number(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    spans, sure = figures(q, text, *sentences[i])
    return Extraction(spans, i, sure=sure) if spans else None


def _when(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    dates = [m for m in WHEN_DATE.finditer(text, s, e) if m.group() not in q.folded]
    if not dates:
        return None
    if DEADLINE.search(q.folded) and (due := _deadline(q, text, dates, e)) is not None:
        return Extraction([due], i, sure=True)
    field = next((m for m in FIELD.finditer(text, s, e) if label(m).endswith("时间")), None)
    if field is not None and (after := [m for m in dates if m.start() >= field.end()]):
        return Extraction([after[0].span()], i, sure=after[0].start() - field.end() <= 1)  # "时间：2023年7月21日"
    # a verb named, not done: a heading's "会议召开情况", a bill's title "《关于召开…的议案》"
    verbs = [v for v in EVENT.finditer(text, s, e) if not re.match(r"情况|时间|地点|日期|方式", text[v.end():])
             and text.rfind("《", s, v.start()) <= text.rfind("》", s, v.start())]
    verbs.sort(key=lambda v: v.group() not in q.folded)  # "哪天闭幕？" over "26日上午开幕，28日下午闭幕": 闭幕's
    asked = _asked_meeting(q.folded)
    for verb in verbs:  # "通知于4月9日发出，会议于4月19日召开": the date in the verb's clause
        held = named_phrases(text, verb.end(), re.match(r"[^，,。；;]*", text[verb.end():e]).end() + verb.end(), MEETING_END)
        if asked and held and len(asked & (named := pairs(re.sub(r"\d+年?", "", text[slice(*held[0])])))) < MEETING_SHARE * min(len(asked), len(named)):
            continue  # "决定于4月18日召开年度股东大会" is not when the board met
        # a day, not the year of a name ("2026年工作会议")
        own = [m for m in _in_clause_before(dates, text, verb) if A_DAY.search(m.group())]
        if own:
            return Extraction([own[-1].span()], i, sure=len(own) == 1)
    event = EVENT.search(text, s, e)
    # One date before the verb of a sentence reporting the event: the event's date (years the
    # content names after the verb, "部署2026年重点任务", are not; a bare year in the meeting's name,
    # "2026年第一次全体会议", is no date of it when a day is written).
    before = [m for m in dates if event is not None and m.start() < event.start()]
    days = [m for m in before if A_DAY.search(m.group())]
    before = days or before
    return Extraction([(before or dates)[0].span()], i, sure=len(before) == 1)


def _deadline(q: Question, text: str, dates: list[re.Match[str]], e: int) -> Span | None:
    """"请各单位于5月8日前将参会回执报送…" for "回执什么时候之前要交？": a date (and hour) before 前,
    followed in its clause by what the question says is due."""
    due = [w for w in q.words if len(w) >= 2 and w not in DUE_STOP and not w.endswith(("前", "时"))]
    for m in dates:
        by = re.match(rf"\s*(?:{TIME.pattern})?\s*(?:之|以)?前", text[m.end():e])
        if by is None:
            continue
        clause = CLAUSE.match(text, m.end() + by.end(), e)
        if clause is not None and any(w in clause.group() for w in due):
            return m.start(), m.end() + by.end()
    return None


def _in_clause_before(found: list[re.Match[str]], text: str, verb: re.Match[str]) -> list[re.Match[str]]:
    """Those of ``found`` written before ``verb`` in its own clause ("会议于4月19日在…召开")."""
    return [m for m in found if m.end() <= verb.start() and not re.search(r"[，,；;]", text[m.end():verb.start()])]


@lru_cache(maxsize=256)
def _asked_meeting(folded: str) -> frozenset[str]:
    """The character pairs of the meeting a question names (read once per question, not per sentence)."""
    return frozenset(pairs(meeting_named(folded)))


def _time_of_day(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    asked = "" if "还是" in q.folded else q.folded  # "上午还是下午？": the answer is one of the choices
    times = [m for m in TIME.finditer(text, s, e) if m.group().strip() not in asked]
    if not times:
        return None
    for verb in EVENT.finditer(text, s, e):  # "…董事会召集，…现场会议于当日下午14:30召开": the time in the verb's clause
        own = _in_clause_before(times, text, verb)
        if len(own) == 1:
            start, end = own[0].span()
            return Extraction([(start + len(own[0].group()) - len(own[0].group().lstrip()), end)], i, sure=True)
    event = EVENT.search(text, s, e)
    # a time field, a notice's numbered one too ("一、会议时间2024年7月10日上午9:30"): the time after it
    field = next((m for m in FIELD.finditer(text, s, e) if label(m).endswith("时间")), None)
    given = [m for m in times if field is not None and m.start() >= field.end()]
    before = [m for m in times if event is not None and m.start() < event.start()]
    sure = len(before) == 1 or len(given) == 1 and (len(times) == 1 or event is None)
    times = before or given or times
    start, end = times[0].span()
    return Extraction([(start + len(times[0].group()) - len(times[0].group().lstrip()), end)], i, sure=sure)


def _where(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    if q.plural:
        # "无锡胡埭、马山和常州雪堰桥交界": items of a list, minus what the question already names.
        for c in CLAUSE.finditer(text, s, e):
            items = _list_items(text, c.start(), c.end(), q)
            if len(items) >= 2:
                return Extraction(items, i, sure=True)
    places = [(a, b) for a, b, word in tokens_with(text, s, e, "ns") if word not in q.folded]
    for m in FIELD.finditer(text, s, e):
        if "地点" in label(m):
            value = re.match(r"[^，,。；;（(\s]{2,30}", text[m.end():e])
            if value:
                return Extraction([(m.end(), m.end() + value.end())], i, sure=True)
    if venue := re.search(r"[主分]会场", q.folded):  # "主会场设在X", "X设分会场": where that venue is
        v = venue.group()
        # "主会场设在X" first: "会议设主会场和分会场，主会场设在…" names no place before 设
        m = re.search(rf"{v}设在([^，,。；;]{{2,20}})", text[s:e]) or \
            re.search(rf"(?:[^，,。；;：:]{{0,12}}?在)?([^，,。；;：:]{{2,20}}?)设{v}", text[s:e])
        if m and m.group(1) not in ("会议", "会上", "本次会议"):
            # "X在市政府3号楼视频会议室设分会场": the room, not who set it up
            return Extraction([(s + m.start(1), s + m.end(1))], i, sure=True)
    # "在市新闻发布厅举行…": a venue's name ends in a venue word; else the shortest run before the verb
    verbs = rf"{ASIDE}?(?:以[^，,。；;]{{1,12}}(?:形式|方式))?(?:{MANNER})?(?:参加|设|进行|作|发言|讲话|投资|建设|落户|实施|{EVENT.pattern})"
    m = re.search(rf"在((?:[\u4e00-\u9fff\dA-Za-z]|{ASIDE}){{0,14}}?(?:{VENUE}))(?={verbs})", text[s:e]) or \
        re.search(rf"在([\u4e00-\u9fff\d]{{2,16}}?)(?={verbs})", text[s:e])
    if m and m.group(1) not in q.folded:  # sure where the run ends in a venue word or is a place's name
        place = [w for _, _, w in tokens_with(text, s + m.start(1), s + m.end(1), "ns")] == [m.group(1)]
        return Extraction([(s + m.start(1), s + m.end(1))], i,
                          sure=place or bool(re.search(rf"(?:{VENUE}|[村镇乡]|街道)$", m.group(1))))
    return Extraction(places[:2 if q.plural else 1], i) if places else None


def _list_items(text: str, start: int, end: int, q: Question) -> list[Span]:
    items: list[Span] = []
    pos = start
    for part in re.split(r"([、和与及])", text[start:end]):
        if part and part not in "、和与及":
            a, b = pos, pos + len(part)
            for w in sorted(q.words, key=len, reverse=True):  # drop the words the question gave
                if text[a:b].startswith(w):
                    a += len(w)
            rest = text[a:b]
            if 2 <= len(rest) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", rest) and rest not in q.folded:
                items.append((a, b))
        pos += len(part)
    return items if len(items) >= 2 else []


def _duration(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    m = DURATION.search(text, s, e)
    return Extraction([m.span(1)], i, sure=True) if m else None


FINDERS = {
    "who-chaired": _who_chaired,
    "duration": _duration,
    "time-of-day": _time_of_day,
    "who": _who,
    "which-meeting": _meeting,
    "what": _what,
    "number": _number,
    "when": _when,
    "where": _where,
}
