"""The figure a "how many" question asks for, among the figures of a sentence.

Reports put several counts of one thing side by side ("应到委员35人，实到31人，候补委员6人"):
what decides is the word written right against a figure (the noun asked about, the thing
counted, the qualifier that says which count it is), not how many question words a clause
shares. A question asking for two counts at once ("应到几名、实到几名？") gets both.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..ingest.phrases import CLAUSE, DATE, NUMBER, Span
from .pins import ASKS_TOTAL, DAY_ORDINAL, TOTAL
from .question import UNIT, Question, unit_forms

#: Words that qualify a count: which of several counts of one thing a figure is.
QUALIFIER = re.compile(r"应到|实到|应出席|实际出席|缺席|请假|列席|新增|累计|现有|首日|当日|同比|环比|计划|实际|日均|人均|月均|年均")
#: "多少人参加/出席/到会": how many came, the figure after 实到, not the one after 应到.
_CAME = re.compile(r"参加|出席|到会|与会|参会")


def asked_qualifiers(question: str) -> list[str]:
    """Which count a question asks for: the qualifiers it writes, or 实到 where it asks how many came."""
    written = list(dict.fromkeys(QUALIFIER.findall(question)))
    return written or (["实到", "实际出席"] if _CAME.search(question) else [])


#: What may stand between the word asked about and its figure: "总投资为…", "共有…".
_LINK = r"(?:为|达|是|约|共|了|计|超过|近|逾|总计|合计)?"


def figures(q: Question, text: str, s: int, e: int) -> tuple[list[Span], bool]:
    """The figure (or, asked for two qualified counts, the figures) of text[s:e] answering ``q``,
    and whether a word written right against it says so (*sure*)."""
    wanted = asked_qualifiers(q.folded)
    several = len(re.findall(r"多少|几", q.folded)) >= 2  # "应到几名、实到几名？": more than one figure asked
    if several and len(wanted) >= 2 and QUALIFIER.search(q.folded):
        # "应到董事几名、实到董事几名？": the figure each qualifier stands before
        found = [m for w in wanted if (m := re.search(rf"{w}[\u4e00-\u9fff]{{0,4}}?({NUMBER.pattern})", text[s:e]))]
        if len(found) == len(wanted):
            return [(s + m.start(1), s + m.start(1) + len(m.group(1).rstrip())) for m in found], True
    if several and len(parts := _counts_asked(q)) >= 2:
        # "在任董事几人？出席了几人？", "发生了多少起事故、死亡多少人？": each count on its own
        found = [figures(part, text, s, e) for part in parts]
        spans = [f[0][0] for f in found if f[0]]
        if len(spans) == len(parts) and len(set(spans)) == len(spans):
            return spans, all(f[1] for f in found)
    if (field := labelled(q, text, s, e)) is not None:
        return [field], True
    best, best_score, sure = None, -1.0, False
    asked = m.group(1) if (m := re.search(r"([\u4e00-\u9fff]{2})(?:了|过)?(?:是|为|有|共|达)?(?:多少|几)", q.folded)) else None
    # "候补委员有多少人": the longer noun asked about tells 候补委员 from 委员
    longer = m.group(1) if (m := re.search(r"([\u4e00-\u9fff]{3,6}?)(?:了|过)?(?:是|为|有|共|达)?(?:多少|几)", q.folded)) else None
    # "多少个工作日", "几个小组": the noun after the measure word belongs to the answer ("38个工作日")
    noun = m.group(1) if (m := re.search(r"(?:多少|几)个([\u4e00-\u9fff]{1,4}?)(?=[？?，,。、]|$|出席|参加)", q.folded)) else None
    # the thing counted, written after the question word: "多少群众", "多少支龙舟队"
    counted = m.group(1) if (m := re.search(rf"(?:多少|几)(?:{re.escape(q.unit or '')})?([\u4e00-\u9fff]{{2}})",
                                            q.folded)) and q.unit != "%" else None
    # what the question writes after it may stand between it and the figure: "多少名教师代表" → "教师代表共计87名"
    rest = re.escape(q.folded[m.end():m.end() + 2]) if counted and m else ""
    # "同意票多少" over "同意8票，反对0票": the figure written inside the noun asked about
    inside = re.search(r"([\u4e00-\u9fff]{2})([票人名个件家项次户股])数?(?:是|有|为)?(?:多少|几)", q.folded)
    total = bool(ASKS_TOTAL.search(q.folded))  # "两天一共…多少": the clause that sums, not a day's
    day = asked_day.group() if (asked_day := DAY_ORDINAL.search(q.folded)) else None  # "第二天收到多少": that day's figure
    for c in CLAUSE.finditer(text, s, e):
        clause = c.group()
        overlap = sum(len(w) for w in q.words if w in clause) + (3 if asked and asked in clause else 0)
        for m in NUMBER.finditer(text, c.start(), c.end()):
            value = m.group().strip()
            if not re.search(r"\d", value) and len(value) < 2:
                continue
            if value in q.folded or DATE.match(text, m.start()) or _is_date_part(text, m.end()):
                continue
            before = text[c.start():m.start()]
            score = overlap + (5 if _has_unit(value, q.unit) else 0) + (1 if re.search(r"\d", value) else 0)
            score += 4 if total and TOTAL.search(text, s, m.start()) else 0
            if day and (days := DAY_ORDINAL.findall(text, s, m.start())):
                score += 4 if days[-1] == day else -4
            # "总投资2350亿元" for "总投资多少": the word asked about stands right before the number.
            adjacent = bool(asked) and re.search(rf"{asked}{_LINK}$", before) is not None
            score += 3 if longer and re.search(rf"{longer}{_LINK}$", before) else 0
            # "转移群众1.3万人", "教师代表共计87名", "64支龙舟队": the thing counted stands right before or after
            # the figure
            beside = bool(counted) and (re.search(rf"{counted}(?:{rest}|[\u4e00-\u9fff])?{_LINK}{_LINK}$", before) is not None
                                        or text.startswith(counted, m.start() + len(m.group().rstrip())))
            # "实到多少名" over "应到312名，实到298名": the qualifier right before a figure says which count it is
            near = set(QUALIFIER.findall(text[max(c.start(), m.start() - 8):m.start()]))
            if wanted and near:
                score += 8 if near & set(wanted) else -10
            # "申请不超过8亿元的综合授信额度" for "授信额度是多少": the thing asked after the figure, as its attribute
            owned = bool(asked) and re.match(rf"的[\u4e00-\u9fff]{{0,4}}{asked}", text[m.start() + len(m.group().rstrip()):]) is not None
            within = inside is not None and value.endswith(inside.group(2)) and before.endswith(inside.group(1))
            adjacent = adjacent or beside or owned or within or bool(wanted) and bool(near & set(wanted))
            score += 4 if adjacent else 0
            if score > best_score:
                end = m.start() + len(m.group().rstrip())
                end += len(noun) if noun and value.endswith("个") and text.startswith(noun, end) else 0
                # "同意8票": the noun asked about, the figure inside it, as written
                best, best_score = (m.start() - (len(inside.group(1)) if within else 0), end), score
                sure = adjacent and (q.unit is None or _has_unit(value, q.unit)) or \
                    (_has_unit(value, q.unit) and bool(asked) and asked in clause)
    return ([best], sure) if best else ([], False)


#: A form's line, its label then its figure: "1、出席会议的股东和代理人人数　　37", "…股份总数（股）：251,337,480".
_LABELLED = re.compile(r"(?P<label>[\u4e00-\u9fff（）()%％]{4,40})(?:[ \t\u3000]*[:：][ \t\u3000]*|[ \t\u3000]{2,})"
                       r"(?P<value>\d[\d,.]*\s*(?:%|％)?)(?![\d\u4e00-\u9fff])")
#: Share of character pairs (of the label and the question together) that a label must share with the question.
LABEL_SHARE = 0.3


def labelled(q: Question, text: str, s: int, e: int) -> Span | None:
    """The figure of the form line whose label is most like the question ("出席股东大会的股东和代理人有多少"
    → "出席会议的股东和代理人人数　　37"), when that label shares most of its words with it."""
    asked = _pairs(re.sub(r"多少|几[个名位人]?|是|有|为", "", q.folded))
    best, best_share = None, LABEL_SHARE
    for m in _LABELLED.finditer(text, s, e):
        label = _pairs(m.group("label"))
        shared = len(asked & label)
        share = shared / len(asked | label) if label else 0.0
        if shared >= 3 and share > best_share:
            best, best_share = (m.start("value"), m.start("value") + len(m.group("value").rstrip())), share
    return best


def _pairs(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def _counts_asked(q: Question) -> list[Question]:
    """The clauses of a question asking for several counts, each as a question of one count."""
    parts = [p for p in re.split(r"[？?，,、；;]", q.folded) if re.search(r"多少|几", p)]
    return [replace(q, folded=p, unit=m.group(1) if (m := UNIT.search(p)) else None,
                    words=[w for w in q.words if w in p]) for p in parts]


def _has_unit(value: str, unit: str | None) -> bool:
    if unit == "%":
        return value[-1] in "%％"
    return bool(unit) and value.endswith(unit_forms(unit))


def _is_date_part(text: str, end: int) -> bool:
    return text[end:end + 1] in ("月", "日", "号", "年", "时")
