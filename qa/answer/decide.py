"""Stage 5: one decision: answer or "not found"; a short answer, or the quote alone.

"Not found" unless the learned answerability model (calibrated out of fold on the dev sets)
says the best sentence answers, or a structural match does: the title a text gives the person
asked about, the person written after the title asked about, the meeting-table field the
question asks for. Evidence missing what the question pins down never got this far.

A short answer is shown only when its source earned it: the span ranker above its learned
threshold (or a lower per-kind one where the kind's extractor agrees, chosen out of fold), a
structural match, or, for kinds the training sets hardly ask (who chaired, which meeting),
the kind's extractor. Wrong short answers cost more trust than none: below these bars the
quote stands alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ingest.phrases import CLAUSE, DATE, MEETING_END, name_shaped
from ..ingest.script import fold
from .analysis import Analysis
from .evidence import Candidate, Evidence
from .extract import TIME, TIME_WORDS
from .features import QuestionInfo, answerable_row
from .model import ReaderModel
from .numbers import QUALIFIER
from .pins import ONE_DAY, is_total
from .proposals import EXTRACTOR, HELD, HOLDER, PATTERN, RANKER, TABLE, TITLE, Proposal
from .sentences import Reading, sentence_of
from .titles import asked_title

#: Questions of a kind seen fewer times than this in training take their kind's extractor's answer.
MIN_KIND_SUPPORT = 50
#: Which shown proposal wins, strongest first (a lower number is stronger).
_STRENGTH = [({TABLE, EXTRACTOR}, 0), ({TITLE}, 1), ({HOLDER}, 1), ({TABLE}, 2), ({RANKER}, 3), ({PATTERN}, 3.5),
             ({EXTRACTOR}, 4)]


@dataclass
class Decision:
    found: bool
    confidence: float
    #: The candidate quoted first (None when not found).
    first: int | None = None
    #: The proposals the short answer is made of (empty: the quote stands alone).
    shown: list[Proposal] = field(default_factory=list)
    #: Answered from the meeting table: one quote per listed meeting.
    listed: bool = False


def decide(a: Analysis, evidence: Evidence, reading: Reading, proposals: list[Proposal],
           model: ReaderModel) -> Decision:
    cands = evidence.candidates
    if evidence.listed:  # "X主持了哪些会议？" with rows in the table: the rows are the answer
        return Decision(True, 1.0, listed=True)
    if a.meeting is not None and a.meeting.person and a.question.plural:
        return Decision(False, 0.0)  # the table lists no meeting where X took that part: not a quote's guess
    proposals = [p for p in proposals if _fits(a, evidence, p)]
    confidence = _answerability(a, evidence, reading, proposals, model)
    shown = [p for p in proposals if _earned(a, p, model)]
    # What a pattern says about the meeting the question names ("X主持", "在X召开"), in evidence that
    # met every pin of the question (that meeting, its place, ordinal and day), answers it.
    listed = [p for p in shown if PATTERN in p.origins and a.question.plural]
    structural = [p for p in shown if p.origins & {TITLE, HOLDER, TABLE} or PATTERN in p.origins and a.pins.meeting
                  and (a.question.kind != "when" or HELD.search(a.question.folded))]
    # a list question answered by a pattern that lists several items in one sentence ("A镇、B镇和C镇
    # 三镇交界" for "哪两个地方交界") of evidence meeting every pin
    structural += [p for p in listed if sum(o.candidate == p.candidate and o.sentence == p.sentence for o in listed) >= 2]
    best = reading.best
    if confidence < model.answerable.threshold and not structural:
        return Decision(False, confidence)
    if _needs_value(a) and not shown:
        return Decision(False, confidence)  # "哪天开的会？" over sentences that give no day
    if best is not None and _unit_missing(a, evidence.candidates[best[0]].folded):
        return Decision(False, confidence)  # "多少户？" over a passage that counts nothing in 户
    if asked_title(a.question) and not any(HOLDER in p.origins for p in proposals):
        return Decision(False, confidence)  # "X市市长是谁？" where no text names one after that title
    if a.question.plural:
        shown = [p for p in shown if p.origins & {EXTRACTOR, PATTERN, TABLE, TITLE, HOLDER}]
        first = shown[0].candidate if shown else (best[0] if best else 0)
        return Decision(True, confidence, first, _distinct(shown))
    if not shown:
        return Decision(True, confidence, best[0] if best else 0)
    top = best[0] if best else 0
    chosen = min(shown, key=lambda p: (_rank(p), p.candidate != top,
                                       abs(p.sentence - cands[p.candidate].sentence), -p.span_p))
    _quote_sentence(evidence, chosen)
    return Decision(True, confidence, chosen.candidate, [chosen])


def _answerability(a: Analysis, evidence: Evidence, reading: Reading, proposals: list[Proposal],
                   model: ReaderModel) -> float:
    best = reading.best
    if best is None:
        return 0.0
    ci, si, sentence_p = best
    span_p = max((p.span_p for p in proposals if p.candidate == ci and p.sentence == si and RANKER in p.origins),
                 default=0.0)
    return float(model.answerable.probability([answerable_features(a.info, evidence.candidates, ci, si,
                                                                   sentence_p, span_p)])[0])


def answerable_features(info: QuestionInfo, cands: list[Candidate], ci: int, si: int, sentence_p: float,
                        span_p: float) -> list[float]:
    """The answerability row of sentence ``si`` of candidate ``ci`` (answering and ``qa train`` alike)."""
    c = cands[ci]
    ranked = [o for o in cands if o is not c and (o.hit.score or o.hit.dense)]
    s, e = sentence_of(c, si)
    return answerable_row(
        info, sentence_p, c.folded + "\n" + fold(c.passage.title), c.folded[s:e], c.hit.dense,
        c.hit.dense - max((o.hit.dense for o in ranked), default=c.hit.dense - 0.1),
        c.hit.score - max((o.hit.score for o in ranked), default=c.hit.score - 1.0), c.hit.lexical, span_p)


def _fits(a: Analysis, evidence: Evidence, p: Proposal) -> bool:
    """Is the proposal of the type the question asks for (a person for "who", a date for "when",
    a number for "how many"), and not a total over several days for a question about one day?"""
    kind, value = a.question.kind, p.value.strip()
    if TITLE in p.origins:
        return True
    if kind in ("who", "who-chaired") and not (_person(value) or p.origins & {TABLE, HOLDER}
                                             or PATTERN in p.origins and _BODY.search(value)):
        return False  # a name (the table's or a holder's, whatever its surname), or a body that chaired
    if kind == "when" and (not DATE.fullmatch(value) or value in _VAGUE_DAYS):
        return False
    if kind == "when" and value in _RELATIVE_DAYS and re.search(r"哪天|哪一天|几号|几日|几月几|日期", a.question.folded):
        return False  # "哪天？" is not answered by "昨天": the quote shows the report's date
    c = evidence.candidates[p.candidate]
    if kind == "when" and c.row is not None and p.sentence == c.row_sentence and not HELD.search(a.question.folded):
        return False  # the day a meeting was held does not answer "…要求什么时候之前开工？"
    if kind == "time-of-day" and not (TIME.fullmatch(value) or re.fullmatch(TIME_WORDS, value)):
        return False
    if kind == "time-of-day" and _CLOCK_ASKED.search(a.question.folded) and not re.search(r"\d|[一二三四五六七八九十]", value):
        return False  # "几点开始？" asks for the hour: "下午" does not say it
    if kind in ("number", "duration") and not re.search(r"\d|[一二三四五六七八九十百千万两半]", value):
        return False
    if kind == "number" and a.question.unit and \
            not re.search(rf"{re.escape(a.question.unit)}(?:[\u4e00-\u9fff]?(?:左右|以上|多)?|[\u4e00-\u9fff]{{1,4}})$", value):
        return False  # "多少人" is not answered by "300", "投资多少" not by "12个"
    if kind == "where" and (DATE.fullmatch(value) or re.fullmatch(r"[\d.,%％]+", value)
                            or re.fullmatch(r"[主分]?会场|会议室|现场|当地|会上", value) or value.endswith("讯")):
        return False  # "主会场" names no place
    if kind == "where" and (unit := re.search(r"哪(?:个|一个|座)?(村|镇|乡|县|区|市|省|街道)", a.question.folded)) \
            and not value.endswith(unit.group(1)):
        return False  # "在哪个村开的？" is answered by a village, not by the room
    if kind == "what" and a.question.head and not value.rstrip("》").endswith(a.question.head):
        return False  # "哪件提案" is answered by a 提案, not by "主持会议"
    if kind != "number":
        return True
    days = {int(re.search(r"\d+", d).group()) for d in a.pins.day_words if re.search(r"\d", d)}
    days |= {d for _, d in a.pins.days}
    if a.pins.one_day:  # "会议当天…": the day of the meeting the question names
        days |= {int(row.date[-2:]) for row in {id(x.row): x.row for x in evidence.candidates if x.row}.values()
                 if row.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.date)}
    if days and not days <= _days_before(c.folded, sentence_of(c, p.sentence)[0], p.span[0]):
        return False  # "7日…多少" is not answered by a figure given for the 6th
    sentence = c.folded[slice(*sentence_of(c, p.sentence))]
    for period in (_YEAR, _PERIOD, _PHASE):  # "3月份…多少" is not answered by the quarter's figure
        asked, given = _periods(period, a.question.folded), _periods(period, sentence)
        if asked and given and not asked & given:
            return False
    wanted = set(QUALIFIER.findall(a.question.folded))
    near = set(QUALIFIER.findall(c.folded[max(0, p.span[0] - 8):p.span[0]]))
    if wanted and near and not wanted & near:
        return False  # "实到多少名" is not answered by the figure after 应到
    asked_day = _day_number(" ".join(a.pins.day_words))
    if asked_day is not None:
        start = sentence_of(c, p.sentence)[0]
        given = [_day_number(m.group()) for m in _DAY_ORDINAL.finditer(c.folded, start, p.span[0])]
        if given and given[-1] != asked_day:
            return False  # "第二天…多少" is not answered by the first day's figure
    if not a.pins.one_day or a.pins.wants_total:
        return True
    # The figure's stretch: from the last day named before it in its sentence ("其中当日…"), or from the
    # sentence's start ("本届共吸引观众10.6万人次，实现交易额1.87亿元": both figures are totals).
    start = sentence_of(c, p.sentence)[0]
    days = list(re.finditer(rf"{ONE_DAY.pattern}|\d{{1,2}}[日号]", c.folded[start:p.span[0]]))
    stretch = c.folded[start + (days[-1].start() if days else 0):p.span[0]]
    return not is_total(stretch)


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


def _periods(pattern: re.Pattern[str], text: str) -> set[str]:
    return {re.sub(r"\s|份", "", m) for m in pattern.findall(text)}
_PHASE = re.compile(r"[一二三四五六七八九十\d]期")
#: A day counted within an event: "首日", "第二天", "第3天".
_DAY_ORDINAL = re.compile(r"首日|开幕(?:当天|当日|日)|第[一二三四五六七八九十\d]+天")


def _day_number(text: str) -> int | None:
    if m := _DAY_ORDINAL.search(text):
        word = m.group()
        if not word.startswith("第"):  # 首日, 开幕当天: the first day
            return 1
        n = word[1:-1]
        return int(n) if n.isdigit() else "一二三四五六七八九十".index(n) + 1 if len(n) == 1 else None
    return None


#: Bodies that chair a meeting: "全会由市委常委会主持".
_BODY = re.compile(r"(?:常委会|主席团|委员会|领导小组|常务委员会)$")
#: A time-of-day question asking for the hour, not for the part of the day.
_CLOCK_ASKED = re.compile(r"几点|几时|什么时间|什么时刻|何时开始")
#: Dates that name no day: never the answer to "哪天".
_VAGUE_DAYS = {"日前", "近日", "近期"}
#: Dates written relative to the report's day: a written-out date is preferred to them.
_RELATIVE_DAYS = {"昨天", "昨日", "前天", "今天", "今日"} | _VAGUE_DAYS


def _needs_value(a: Analysis) -> bool:
    """Questions that a quote without a value of the asked type cannot answer: who chaired, at
    what time, on which day or where a meeting was held, how many at a meeting or on a day."""
    kind = a.question.kind
    named = bool(MEETING_END.search(a.question.folded))
    return kind in ("who-chaired", "time-of-day") or kind in ("when", "where") and named or \
        kind == "number" and (named or a.pins.one_day or bool(a.pins.days))


def _unit_missing(a: Analysis, text: str) -> bool:
    """A "how many" question asking in a unit ("多少户", "多少名") over a passage that gives no
    number in that unit."""
    unit = a.question.unit
    if a.question.kind != "number" or not unit or unit == "%":
        return False
    return not re.search(rf"[\d一二三四五六七八九十百千万两]\s*(?:万|亿|千|百)?(?:余|多)?\s*{re.escape(unit)}", text)


def _person(value: str) -> bool:
    """A name as reports write one: two to four Chinese characters led by a surname (or several
    names joined by 、)."""
    return all(name_shaped(v) for v in re.split(r"[、，,和及]", value) if v)


def _earned(a: Analysis, p: Proposal, model: ReaderModel) -> bool:
    kind = a.question.kind
    if kind in _CLAUSE_KINDS:
        return False  # a reason or a manner is a clause: the quote says it, a cut-out span would not
    if p.origins & {TITLE, HOLDER, TABLE, PATTERN}:
        return True
    if a.pins.meeting and kind in ("where", "when", "time-of-day", "who-chaired"):
        return False  # about a named meeting, a place or date is what its report's pattern says, not a guess
    if RANKER in p.origins and p.span_p >= model.span.threshold:
        return True
    if EXTRACTOR in p.origins:
        threshold = model.span.info.get("rule_thresholds", {}).get(kind)
        if RANKER in p.origins and threshold is not None and p.span_p >= threshold:
            return True
        kinds = model.span.info.get("kinds")
        return kinds is not None and kinds.get(kind, 0) < MIN_KIND_SUPPORT
    return False


#: Kinds whose answer is a clause, never shown as a short answer (yes/no, why, how).
_CLAUSE_KINDS = {"yes-no", "why", "how"}


def _rank(p: Proposal) -> float:
    """Strength of a proposal's sources; a relative date ("昨天") yields to a written-out one."""
    rank = min((rank for origins, rank in _STRENGTH if origins <= p.origins), default=9)
    return rank + (0.5 if p.value in _RELATIVE_DAYS else 0.0)




def _distinct(shown: list[Proposal]) -> list[Proposal]:
    """A list's items once each; one named in full in one quote and in part in another, in full."""
    seen: dict[str, Proposal] = {}
    for p in shown:
        seen.setdefault(p.value, p)
    return [p for v, p in seen.items() if not any(v != o and v in o for o in seen)]


def _quote_sentence(evidence: Evidence, p: Proposal) -> None:
    """The chosen candidate quotes the sentence holding the short answer (and its quoted neighbour
    when they touch)."""
    c = evidence.candidates[p.candidate]
    if p.sentence in (c.sentence, c.second):
        return
    c.second = c.sentence if abs(c.sentence - p.sentence) == 1 else None
    c.sentence = p.sentence
