"""Stage 4: short-answer candidates from every source, each with where it came from.

Sources: the learned span ranker (its probability), the hand-written extractor of the
question's kind, the title a text gives a person ("X是谁？"), the person a text names right
after a title the question asks about ("谁是…代市长？"), the name a page credits with the role asked
("这篇报道的记者是谁？"), the meeting table's fields (chair, date, place, attendees of the row
the question names; the meetings of a list question), and the neural reader's span in the best
passage (with its probability). None overrides another: the decision stage weighs them, and
agreement between independent sources counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..ingest.meeting_dates import EVENT_DATE, on_day
from ..ingest.meeting_minutes import FIELD as MINUTES_FIELD
from ..ingest.meetings import Meeting
from ..ingest.phrases import TITLES, person_like
from ..ingest.script import fold
from .analysis import Analysis
from .credits import credited
from .cues import DEADLINE
from .evidence import Candidate, Evidence, field_asked, opens_with_field
from .extract import Extraction, extract
from .features import QuestionInfo
from .model import Scorer
from .neural import NeuralSpan
from .question import Question
from .sentences import Reading, sentence_of
from .spans import candidates as span_candidates
from .spans import span_rows
from .titles import holder_of, title_of

#: Where a proposal may come from.
RANKER, EXTRACTOR, PATTERN, TITLE, HOLDER, TABLE, CREDIT, NEURAL = ("ranker", "extractor", "pattern", "title", "holder",
                                                                    "table", "credit", "neural")


@dataclass
class Proposal:
    candidate: int  # index into the evidence's candidates
    sentence: int
    span: tuple[int, int]  # in the passage's text
    value: str  # folded, as compared across sources
    span_p: float = 0.0  # the span ranker's probability (0 where it did not score it)
    origins: set[str] = field(default_factory=set)
    neural_p: float = 0.0  # the neural reader's probability of this span (0 where it did not point here)


def propose(a: Analysis, evidence: Evidence, reading: Reading, span_ranker: Scorer,
            neural: NeuralSpan | None = None) -> list[Proposal]:
    """Every source's candidates at the sentences worth reading: each candidate's quoted
    sentence and neighbour, the evidence sentence of a table row, and the neural reader's span."""
    found: dict[tuple[int, tuple[int, int]], Proposal] = {}

    deadline = a.question.kind == "when" and DEADLINE.search(a.question.folded) is not None

    def add(ci: int, si: int, span: tuple[int, int], origin: str, p: float = 0.0) -> Proposal:
        c = evidence.candidates[ci]
        if deadline and (by := re.match(r"(?:之|以)?前", c.folded[span[1]:])):
            span = (span[0], span[1] + by.end())  # "什么时候前完成？": the deadline as written, "6月底前"
        got = found.setdefault((ci, span), Proposal(ci, si, span, c.folded[span[0]:span[1]]))
        got.origins.add(origin)
        got.span_p = max(got.span_p, p)
        return got

    q = a.question
    # minutes list who took which part ("列席：…"): their field answers, not the table's row of everyone there
    role = field_asked(a) if q.kind == "who" else None  # "…的见证律师是谁" over a form's "律师：A、B"
    fielded = {ci: spans for ci, c in enumerate(evidence.candidates)
               if (spans := _listed_in_field(q, c.folded) or _role_field(role, c.folded))}
    best = reading.best[0] if reading.best else 0
    ranked = {(best, evidence.candidates[best].sentence), (best, evidence.candidates[best].second)} \
        if evidence.candidates else set()
    for ci, si in _sites(a, evidence, reading):
        c = evidence.candidates[ci]
        if (ci, si) in ranked and not q.plural:  # the span ranker reads the quoted sentence(s)
            spans, rows, rule = sentence_spans(a.info, c, si)
        else:  # elsewhere the extractors alone (a ranker pass costs a jieba tagging and ~40 rows)
            spans, rows, rule = [], [], extract(q, c.folded, c.passage.sentences, si) if c.passage.sentences else None
        rule_spans = rule.spans if rule else []
        if spans:
            probs = span_ranker.probability(rows)
            j = int(np.argmax(probs))
            add(ci, si, spans[j], RANKER, float(probs[j]))
            for span, p in zip(spans, probs):
                if span in rule_spans:
                    add(ci, si, span, EXTRACTOR, float(p))
        for span in rule_spans:
            add(ci, rule.first_sentence, span, EXTRACTOR)
            if rule.sure:  # "X主持", "在X召开": the pattern itself says what the span is
                add(ci, rule.first_sentence, span, PATTERN)
        if c.row is not None and c.row_sentence == si and not (fielded and q.kind == "who"):
            for at, span in _table_spans(a, c, c.row):
                add(ci, at, span, TABLE)
    if q.kind == "who" and not fielded:  # those who took part, written in another paragraph of the row's report
        rows = {c.passage.source: c.row for c in evidence.candidates if c.row is not None}
        for ci, c in enumerate(evidence.candidates):
            if c.row is None and (row := rows.get(c.passage.source)) is not None:
                for at, span in _table_spans(a, c, row):
                    add(ci, at, span, TABLE)
    for ci, c in enumerate(evidence.candidates):  # a title before a name: any sentence of the evidence
        sentences = c.passage.sentences or [(0, len(c.folded))]
        if (named := title_of(q, c.folded, sentences)) is not None:
            add(ci, _sentence_at(sentences, named[0]), named, TITLE)
        if (held := holder_of(q, c.folded, sentences)) is not None:
            add(ci, held[0], held[1:], HOLDER)
        for span in credited(c.folded, a.credits) if a.credits else []:  # "记者 某某", "责任编辑：某某"
            add(ci, _sentence_at(sentences, span[0]), span, CREDIT)
        for span in fielded.get(ci, []):  # minutes: "列席：某某（职务）、某某（职务）"
            add(ci, _sentence_at(sentences, span[0]), span, TABLE)
    if neural is not None:
        add(neural.candidate, neural.sentence, (neural.reading.start, neural.reading.end),
            NEURAL).neural_p = neural.reading.probability
    return [p for p in found.values() if p.value.strip()]


def _listed_in_field(q: Question, folded: str) -> list[tuple[int, int]]:
    """The people a minutes' field lists ("参加人员：A（…）、B（…）") for a question asking who took that part."""
    # "报送参会回执的联系人": taking part named as the attribute of a paper, not asked about
    asked = re.search(r"(?:列席|出席|参加|参会)(?!回执|名单|须知|报名|材料)", q.folded) if q.kind == "who" else None
    listing = MINUTES_FIELD.match(folded) if asked else None
    label = fold(listing.group("label")) if listing else ""
    if not re.fullmatch(r"(?:参加|参会|出席|列席)(?:人员)?", label) or (asked.group() == "列席") != label.startswith("列席") \
            or re.search(r"没有|未", q.folded):
        return []
    return [m.span(1) for m in _LISTED.finditer(folded, listing.end()) if person_like(m.group(1))]


def _role_field(role: str | None, folded: str) -> list[tuple[int, int]]:
    """The people a form's field of the role asked for names ("律师：晏书琪、祝远航")."""
    label = re.match(rf"\s*(?:{role})\s*[:：]", folded) if role else None
    names = [m.span(1) for m in _LISTED.finditer(folded, label.end()) if person_like(m.group(1))] if label else []
    if len(names) >= 2 and all(re.fullmatch(r"[、和及与\s]+", folded[a[1]:b[0]]) for a, b in zip(names, names[1:])):
        return [(names[0][0], names[-1][1])]  # one answer, every name the field gives
    return names


#: A name in such a list, before its post in brackets or the next name.
_LISTED = re.compile(r"(?:^|(?<=[、，,：:\s）)]))([\u4e00-\u9fff·]{2,4})(?=[（(、，,。；;]|$)")


def _sentence_at(sentences: list[tuple[int, int]], at: int) -> int:
    return next((i for i, (s, e) in enumerate(sentences) if s <= at < e), 0)


def sentence_spans(info: QuestionInfo, c: Candidate, si: int
                   ) -> tuple[list[tuple[int, int]], list[list[float]], Extraction | None]:
    """The candidate short answers of sentence ``si`` of ``c``, their span-ranker rows, and what
    the kind's extractor finds there (answering and ``qa train`` alike)."""
    rule = extract(info.q, c.folded, c.passage.sentences, si) if c.passage.sentences else None
    rule_spans = rule.spans if rule else []
    s, e = sentence_of(c, si)
    spans, rows = span_rows(info, c.folded, s, e, span_candidates(c.folded, s, e, rule_spans), rule_spans)
    return spans, rows, rule


def best_span(info: QuestionInfo, ranker: Scorer, c: Candidate, si: int) -> tuple[tuple[int, int] | None, float, bool]:
    """The ranker's best span in sentence ``si`` of ``c``, its probability, and whether the kind's
    extractor picked it too (what ``qa train`` calibrates the thresholds on)."""
    spans, rows, rule = sentence_spans(info, c, si)
    if not spans:
        return None, 0.0, False
    probs = ranker.probability(rows)
    j = int(np.argmax(probs))
    return spans[j], float(probs[j]), bool(rule) and spans[j] in rule.spans


def _sites(a: Analysis, evidence: Evidence, reading: Reading) -> list[tuple[int, int]]:
    """The sentences read for short answers: those quoted by the best-ranked candidate and the
    first two retrieved (all of them for a list question), and the table rows' evidence."""
    sites: list[tuple[int, int]] = []
    best = reading.best[0] if reading.best else 0
    read = set(range(len(evidence.candidates))) if a.question.plural or a.pins.meeting else {best, 0, 1}
    for ci, c in enumerate(evidence.candidates):
        quoted = [c.sentence, c.second] if ci in read else []
        if ci in read and c.passage.sentences and c.sentence + 1 < len(c.passage.sentences):
            quoted.append(c.sentence + 1)  # "…召开会议。某某主持会议并讲话。": the actor follows
        if (a.pins.meeting or a.question.kind == "who-chaired") and ci < 3:
            # a report of the meeting asked about: its place or chair may stand anywhere in it
            quoted.extend(range(len(c.passage.sentences)))
        if (label := field_asked(a)) and _one_field(c.folded, label):
            quoted.append(0)  # minutes' field the question asks for ("时间：…", "地点：…"), a paragraph of its own
        for si in [*quoted, c.row_sentence]:
            if si is not None and (ci, si) not in sites:
                sites.append((ci, si))
    return sites


def _one_field(folded: str, label: str) -> bool:
    """Is the paragraph one field of minutes, the one labelled ``label`` ("时间：…"), not a row of
    several meetings' fields ("日期：3月18日，会议：…，主持：…")?"""
    return opens_with_field(folded, label) and len(re.findall(r"[\u4e00-\u9fff]{2,6}[:：]", re.sub(r"\s+", "", folded))) == 1


#: A group the question asks the members of: "哪两位副市长出席…", "出席…的市领导有哪些？".
_ASKED_GROUP = re.compile(rf"哪(?:[几两三四五六]|些)?[位名]?(?P<title>[\u4e00-\u9fff]{{0,4}}?(?:{TITLES}|领导|干部|董事|委员))"
                          rf"(?:出席|参加|列席|没有|未)|的(?P<title2>[\u4e00-\u9fff]{{0,4}}?(?:{TITLES}|领导|干部|董事|委员|企业家|专家|代表))(?:有|都有|是)哪些")
#: A question about the meeting itself ("…是哪天召开的？", "…在哪里举行？"), not about what it decided
#: ("…什么时候之前开工？").
HELD = re.compile(r"召开|举行|举办|开的|开会|开幕|闭幕|开始|结束|(?:出席|参加|列席)[^，,？?]{0,16}会|(?:会议?|会议)(?:是|在|于|的)?(?:什么时候|何时|哪天|哪一天|几月几[日号]|几号|日期)")
#: The last day of a span of days after its first: "至13日", "—4月2日".
_UNTIL = re.compile(r"(?:至|到|—|－|-)(?:\d{1,2}月)?\d{1,2}日")


def _table_spans(a: Analysis, c: Candidate, row: Meeting) -> list[tuple[int, tuple[int, int]]]:
    """(sentence, span) of the row's field the question asks for, where the paragraph holding the
    row's evidence writes it ("…召开会议。…某某主持会议。")."""
    kind = a.question.kind
    s, e = 0, len(c.folded)  # the paragraph holding the row's evidence: "…召开。…某某主持会议。"
    text = c.folded
    values: list[str] = []
    if kind == "who-chaired":
        values = [row.chair_name or ""]
    elif kind == "who" and not a.pins.meeting:
        values = []  # who took part in which meeting? ("报送参会回执的联系人是谁" names none)
    elif kind == "who" and re.search(r"(?<!没有|未能)(?<![没未])(?:出席|参加|列席|参会)", a.question.folded):
        # "哪位董事没有出席？" is not answered by those who did
        values = list(row.attendees)
    elif kind == "who" and re.search(r"(?<![没未充流态面型旨要])(?:讲话|发言)", a.question.folded) and "就" not in a.question.folded:
        # "在闭幕大会上讲话的是谁？" (not "谁就学风作了补充发言", a speech of its own); the table does not
        # tell a speech from a contribution: one person asked for, one speaker listed
        values = list(row.speakers) if a.question.plural or len(row.speakers) == 1 else []
    elif kind == "where":
        values = [row.place or ""]
    elif kind == "when" and row.date and HELD.search(a.question.folded):
        values = [m.group() for m in EVENT_DATE.finditer(text, s, e)
                  if on_day(row.date, m.group()) or m.group() == row.date]
    group = m.group("title") or m.group("title2") if kind == "who" and (m := _ASKED_GROUP.search(a.question.folded)) else None
    out = []
    for v in (fold(v) for v in values if v):
        at = text.find(v, s, e)
        if group and not group.endswith(("领导", "干部")) and at >= 0 and group not in re.split(r"[，,。；;：:]", text[max(0, at - 24):at])[-1] \
                and group not in re.split(r"[，,。；;：:]", text[at:at + 80])[0]:
            continue  # "哪两位副市长出席了…？": those the text gives that title (a list shares the title before it,
            # or names it after: "X、Y等8位企业家"; "市领导" is a group the text may write as each one's post)
        if at >= 0 and v not in a.question.folded:
            end = at + len(v)
            if kind == "when" and (more := _UNTIL.match(text, end)):
                end = more.end()  # "4月12日至13日": a meeting of several days
            if kind == "when" and (part := re.match(r"上午|下午|晚上|晚", text[end:end + 2])):
                end += part.end()  # "昨天下午": the part of the day the meeting was held in
            out.append((_sentence_at(c.passage.sentences or [(0, len(text))], at), (at, end)))
    return out
