"""The meeting table on the query side: one row per meeting, filtering, and questions it answers.

"黄钦主持了哪些会议？", "杜小刚参加了哪些会议？", "2月17日开了哪些会？" ask for a list of meetings;
the table (built at index time) answers them better than retrieval can: every meeting with its
own evidence sentence as a quote, and a message saying which rows came from which files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..ingest.meeting_dates import EVENT_DATE, on_day
from ..ingest.meeting_merge import merge
from ..ingest.meetings import Meeting, MeetingSource
from ..ingest.passages import Passage
from ..ingest.phrases import TITLES
from ..ingest.script import fold, fold_aligned
from .answer import Answer, Quote, Source

#: The roles a person filter can ask for.
ROLES = ("chair", "attendee", "speaker")

_ASK_PERSON = re.compile(
    r"^(?:请问)?(?P<who>[\u4e00-\u9fff·]{2,12}?)\s*(?:都|还|一共|共|先后|曾|曾经|要|将|将要)?"
    r"(?P<verb>(?:主持召开|主持|参加|出席|列席|参与)(?:或|和|或者|、)?(?:主持召开|主持|参加|出席|列席|参与)?)(?:了|过)?"
    r"(?:的是)?(?P<which>哪些|哪几个|哪几次|几个|几次|什么|多少个?|哪个|哪次|的(?=(?:会议|会)$))(?:会议|会|活动)")
#: "X在哪些会议上讲了话？": the meetings where X spoke.
_ASK_SPOKE = re.compile(
    r"^(?:请问)?(?P<who>[\u4e00-\u9fff·]{2,12}?)(?:都|还|先后|曾|曾经)?在(?P<which>哪些|哪几个|哪几次|哪个|哪次|什么)(?:会议|会|活动)上"
    r"(?:作|做|发表|进行)?(?:了|过)?(?:讲话|讲了话|讲过话|发言|发了言|致辞|报告|汇报)")
_ASK_DATE = re.compile(
    r"^(?:请问)?(?P<when>.{2,14}?)(?:都|一共|共)?(?:开了|召开了|举行了|开过|召开过|有)(?:哪些|什么|几个|多少个?)(?:会议|会)")
_VERB_ROLE = {"主持召开": "chair", "主持": "chair", "参加": "attendee", "出席": "attendee", "列席": "attendee",
              "参与": "attendee"}
_PRONOUNS = {"他", "她", "他们", "她们", "谁", "哪位", "哪些人"}


@dataclass(frozen=True)
class MeetingQuery:
    """A question that asks for a list of meetings, as table filters."""

    person: str | None = None
    role: str | None = None
    date: str | None = None
    #: The verb asked with ("出席"), and whether one meeting is asked for ("哪个会议") or several.
    verb: str | None = None
    single: bool = False


def table(rows: list[Meeting]) -> list[Meeting]:
    """All files' rows as one table: reprints merged, in date order (undated rows last)."""
    return sorted(merge(rows), key=_date_key)


def filter_meetings(rows: list[Meeting], person: str | None = None, text: str | None = None,
                    role: str | None = None, date: str | None = None) -> list[Meeting]:
    """Rows naming ``person`` (as chair, attendee or speaker; any role by default), containing
    ``text`` anywhere in the row, and held on ``date`` (ISO or as written, "2月17日")."""
    out = []
    for m in rows:
        if person and not _has_person(m, fold(person.strip()), role):
            continue
        if text and fold(text.strip()) not in _row_text(m):
            continue
        if date and not on_day(m.date, date):
            continue
        out.append(m)
    return out


def narrow(rows: list[Meeting], query: MeetingQuery) -> list[Meeting]:
    """For a question asking for one meeting ("X出席了哪个会议？") that several rows fit: the rows
    where X took the role asked (an attendee, not the chair), then those whose evidence says so
    with the very verb asked ("X出席会议"); all of them when that does not single one out."""
    if not query.single or len(rows) < 2 or not query.person or query.role != "attendee":
        return rows
    who = fold(query.person)
    strict = [m for m in rows if who != fold(m.chair_name or "")] or rows
    said = [m for m in strict if any(re.search(rf"{re.escape(who)}[^，,。；;]{{0,12}}{query.verb}", fold(src.sentence))
                                     for src in [*m.sources, *m.evidence])]
    return said or strict


def meeting_question(question: str) -> MeetingQuery | None:
    """The table filters a list-of-meetings question asks for; None for any other question."""
    q = re.sub(r"[\s?？。!！]+$", "", fold(question.strip()))
    q = re.sub(r"^(?:那么|那|还有|另外|然后)[，,\s]*", "", q)
    if m := _ASK_PERSON.match(q):
        who = m.group("who")
        if who in _PRONOUNS or EVENT_DATE.fullmatch(who):
            return None
        if (titled := re.match(rf"^[\u4e00-\u9fff、]*(?:{TITLES})(?=[\u4e00-\u9fff·]{{2,4}}$)", who)) is not None:
            who = who[titled.end():]  # "市委书记陈立安出席了…": the person, not the title
        elif (titled := re.match(rf"^([\u4e00-\u9fff·]{{2,4}}?)(?<!副)(?:常务副|副|代)?(?:{TITLES})$", who)) is not None:
            who = titled.group(1)  # "陈立安副县长参加了…": the title after the name
        verbs = re.findall("|".join(_VERB_ROLE), m.group("verb"))
        roles = {_VERB_ROLE[v] for v in verbs}
        return MeetingQuery(person=who, role=roles.pop() if len(roles) == 1 else None, verb=verbs[-1],
                            single=m.group("which") in ("哪个", "哪次", "什么"))
    if (m := _ASK_SPOKE.match(q)) and m.group("who") not in _PRONOUNS:
        return MeetingQuery(person=m.group("who"), role="speaker", verb="讲话", single=m.group("which") in ("哪个", "哪次", "什么"))
    if m := _ASK_DATE.match(q):
        when = EVENT_DATE.search(m.group("when"))
        if when:
            return MeetingQuery(date=re.sub(r"(上午|下午|晚上|晚)$", "", when.group(0)))
    return None


def answer_from_table(question: str, query: MeetingQuery, rows: list[Meeting],
                      paragraph: Callable[[str, int], list[Passage]] | None = None) -> Answer:
    """An Answer listing the matching meetings, each quoted by its evidence sentence(s)."""
    found = filter_meetings(rows, person=query.person, role=query.role, date=query.date)
    if not found:
        return Answer(question, None, False, [], "which-meeting",
                      message="会议表中没有符合的会议。(No meeting in the table fits.)")
    per_meeting = [_quotes(m, query, paragraph) for m in found]
    quotes = [q for qs in per_meeting for q in qs]
    lines = [f"{i}. {m.name}（{m.date or '日期未写明'}）：" + "；".join(
        f"{s.source} 第{s.paragraph}段" for s in m.sources) for i, m in enumerate(found, 1)]
    message = f"会议表中有 {len(found)} 个会议符合 (from the meeting table):\n" + "\n".join(lines)
    # A list answer joins its items with "；", each item words of its quote (a name put together
    # from "A召开第四次全体会议" is given as the part the quote holds).
    short = "；".join(literal(m.name, qs[0].sentence) for m, qs in zip(found, per_meeting))
    return Answer(question, short, True, quotes, "which-meeting", message=message)


def _quotes(m: Meeting, query: MeetingQuery, paragraph: Callable[[str, int], list[Passage]] | None) -> list[Quote]:
    """The meeting's own evidence; when the person asked about is named only in another sentence
    ("…在分会场参加会议" a paragraph later), that sentence follows as a second quote."""
    quotes = [_quote(m, m.sources[0], query, paragraph)]
    if query.person and query.role != "chair":
        who = fold(query.person)
        if who not in fold(m.sources[0].sentence):
            extra = next((s for s in [*m.sources[1:], *m.evidence] if who in fold(s.sentence)), None)
            if extra is not None:
                quotes.append(_quote(m, extra, query, paragraph))
    return quotes


def literal(name: str, sentence: str) -> str:
    """``name`` as ``sentence`` writes it: whole, or (a name put together from "A召开(扩大)会议")
    the stretch from its first words to its last ones; else its longest end found there."""
    folded, key = fold_aligned(sentence), fold(name)
    if (at := folded.find(key)) >= 0:
        return sentence[at:at + len(key)]
    tails = [(i, folded.find(key[i:])) for i in range(1, len(key) - 3)]
    i, tail_at = next(((i, at) for i, at in tails if at >= 0), (0, -1))
    if tail_at < 0:
        return name
    head_at = folded.rfind(key[:i], 0, tail_at)
    if head_at >= 0 and tail_at - (head_at + i) <= 4:
        return sentence[head_at:tail_at + len(key) - i]
    return sentence[tail_at:tail_at + len(key) - i]


def _quote(m: Meeting, src: MeetingSource, query: MeetingQuery,
           paragraph: Callable[[str, int], list[Passage]] | None) -> Quote:
    text, offset = src.sentence, 0
    passage_id = -1
    for piece in (paragraph(src.source, src.paragraph) if paragraph else []):
        if piece.offsets and src.start in piece.offsets:
            at = piece.offsets.index(src.start)
            if piece.text[at:at + len(src.sentence)] == src.sentence:
                text, offset, passage_id = piece.text, at, piece.id
                break
    highlights = [(offset + a, offset + b) for a, b in _marks(m, src, query)]
    return Quote(
        text=text, sentence=src.sentence, source=src.source, paragraph=src.paragraph, score=1.0,
        sentence_span=(offset, offset + len(src.sentence)), highlights=sorted(highlights),
        sources=[Source(s.source, s.paragraph, date=m.date) for s in m.sources], date=m.date,
        passage_id=passage_id,
    )


def _marks(m: Meeting, src: MeetingSource, query: MeetingQuery) -> list[tuple[int, int]]:
    """The meeting's name and the person asked about (or the chair) inside the evidence sentence."""
    folded = fold_aligned(src.sentence)
    marks = []
    name = fold(literal(m.name, src.sentence))
    at = folded.find(name)
    if at >= 0 and len(name) >= 4:
        marks.append((at, at + len(name)))
    if query.person and query.role != "chair":
        at = folded.find(fold(query.person))
        if at >= 0:
            marks.append((at, at + len(query.person)))
    elif src.chair_span:
        marks.append(src.chair_span)
    return [s for s in marks if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in marks)]


def _has_person(m: Meeting, who: str, role: str | None) -> bool:
    chair = fold(m.chair or "")
    if role in (None, "chair") and who and (who == fold(m.chair_name or "") or who in chair):
        return True
    if role in (None, "attendee") and any(who == fold(a) for a in [*m.attendees, *m.speakers]):
        return True  # whoever spoke at a meeting took part in it
    if role == "attendee" and who == fold(m.chair_name or ""):
        return True  # the chair took part in the meeting too
    return role == "speaker" and any(who == fold(s) for s in m.speakers)


def _row_text(m: Meeting) -> str:
    parts = [m.date or "", m.name, m.chair or "", *m.attendees, *m.speakers, m.place or "",
             *(s.source for s in m.sources)]
    return fold(" ".join(parts))


def _date_key(m: Meeting) -> tuple:
    d = m.date or ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
        return (0, d[5:], d)
    if md := re.fullmatch(r"(?:\d{4}年)?(\d{1,2})月(\d{1,2})日", d):
        return (0, f"{int(md.group(1)):02d}-{int(md.group(2)):02d}", d)
    return (1 if d else 2, "", d)


# --- shapes shared by the CLI (--json/--csv) and the page's CSV download ------------------------------

CSV_COLUMNS = ("date", "name", "chair", "attendees", "speakers", "place", "sources", "mentioned")


def as_dict(m: Meeting) -> dict:
    """The JSON shape of one row (``qa meetings --json``)."""
    return {
        "date": m.date, "name": m.name, "chair": m.chair, "attendees": list(m.attendees),
        "speakers": list(m.speakers), "place": m.place,
        "sources": [{"source": s.source, "paragraph": s.paragraph, "start": s.start, "end": s.end}
                    for s in m.sources],
        "mentioned": m.mentioned,
    }


def csv_row(m: Meeting) -> list[str]:
    return [m.date or "", m.name, m.chair or "", "、".join(m.attendees), "、".join(m.speakers), m.place or "",
            "; ".join(f"{s.source} ¶{s.paragraph}" for s in m.sources), "yes" if m.mentioned else ""]


def csv_text(rows: list[Meeting]) -> str:
    """The table as CSV (UTF-8 text; callers write it with a BOM so spreadsheet programs read it)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(m) for m in rows)
    return out.getvalue()
