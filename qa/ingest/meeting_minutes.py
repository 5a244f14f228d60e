"""Minutes: a meeting written as a form ("时间：…", "地点：…", "主持人：…", "参加人员：…").

Minutes name their meeting in the headline ("…工作例会会议纪要") and give date, venue, chair and
attendees as fields, one a line, instead of sentences with 召开/主持; the sentence patterns of
:mod:`.meetings` find none of it.
"""

from __future__ import annotations

import re

from .meeting_dates import last_date, resolve
from .meeting_evidence import Sentence, source
from .meeting_people import subject
from .meeting_record import Meeting, MeetingSource
from .passages import Passage
from .phrases import LIST_ITEM, MEETING_END, TITLES, name_shaped, people
from .script import fold_aligned

#: A field line: its label and where its value starts.
FIELD = re.compile(rf"(?:^|(?<=[。；;])|(?={LIST_ITEM}))\s*(?:{LIST_ITEM}|[一二三四五六七八九十\d]{{1,2}}[、.．])?\s*"
                   r"(?P<label>(?:会议|會議|[\u4e00-\u9fff]{2,6}?(?:召开|召開|举行|舉行)的?)?(?:召开|召開)?(?:时间|時間|日期|地点|地點)"
                   r"|(?:会议|會議)?主持人|主持|参加人员|參加人員|"
                   r"出席人员|出席人員|参会人员|參會人員|出席|参加|列席)\s*[:：]\s*")
#: A chair written in a sentence of the notice: "…，董事长聂思东主持".
_CHAIRED = re.compile(rf"(?P<title>(?:{TITLES}))\s*(?P<who>[\u4e00-\u9fff·]{{2,4}}?)主持(?!召开)")
#: A numbered item of a list: "（六）".
_ITEM = re.compile(LIST_ITEM)
#: What a headline adds after the meeting's name: "…会议纪要", "…股东大会决议公告".
_MINUTES = re.compile(r"[（(]?(?:纪要|紀要|记录|記錄|笔记|筆記|决议公告|決議公告|决议|決議|公告)[）)]?$")
#: "…工作例会会议纪要": the meeting is the 例会; "…常务会议纪要": the 常务会议.
_DOUBLED = re.compile(rf"({MEETING_END.pattern})会议$")


def minutes_meeting(passages: list[Passage]) -> Meeting | None:
    """The meeting a set of minutes records, from its headline and its field lines; None for a
    document that is not minutes (no headline naming a meeting, or no chair or date field)."""
    if not passages:
        return None
    # The headline may hold several heading lines (the meeting, the issuing office, the date).
    # (a notice may open with a line above its headline: "证券代码：…", so every headline is read)
    titles = dict.fromkeys(p.title for p in passages if p.title)
    names = [_DOUBLED.sub(r"\1", _MINUTES.sub("", part)) for t in titles for part in re.split(r"\s+", t)]
    # the meeting's name, not the bare word of the document's kind ("会议纪要" over the headline); of a series'
    # name and the meeting's subject ("某局专题会议纪要 … 关于某某工作的专题会议纪要"), the subject
    named = [n for n in names if MEETING_END.search(fold_aligned(n)[-4:]) and len(n) > 4]
    if not named:
        return None
    name = max(named, key=len)
    meeting = Meeting(date=None, name=name, chair=None, chair_name=None)
    for p in passages:
        folded = fold_aligned(p.text)
        found = list(FIELD.finditer(folded))
        for m, after in zip(found, [*found[1:], None]):
            end = after.start() if after else len(folded)
            if item := _ITEM.search(folded, m.end(), end):  # "（五）主持人：X（六）出席…": up to the next item
                end = item.start()
            _read_field(meeting, p, folded, m, end)
    if not meeting.sources or (meeting.chair is None and meeting.date is None):
        return None
    if meeting.chair is None:  # no chair field: "本次股东大会由公司董事会召集，董事长聂思东主持。"
        for p in passages:
            folded = fold_aligned(p.text)
            if m := _CHAIRED.search(folded):
                named = people(folded, m.start("who"), m.end("who"))
                if named and name_shaped(m.group("who")):
                    named = [(m.start("who"), m.end("who"), m.group("who"))]  # "严述|之": the name up to 主持, whole
                if named:
                    meeting.chair_name = p.text[named[-1][0]:named[-1][1]]
                    meeting.chair = p.text[m.start("title"):named[-1][1]]
                    # the sentence that says so is the row's evidence of its chair
                    s, e = next(((s, e) for s, e in p.sentences if s <= m.start() < e), (0, len(p.text)))
                    meeting.evidence.append(source(Sentence(p, folded, s, e, None), (m.start("title"), named[-1][1])))
                    break
    return meeting


def _read_field(meeting: Meeting, p: Passage, folded: str, m: re.Match, end: int) -> None:
    """One field ("时间：…" up to the next field or the passage's end) into ``meeting``."""
    label, start = fold_aligned(m.group("label")), m.end()
    value = p.text[start:end]
    if "时间" in label or "日期" in label:
        if d := last_date(folded[start:min(end, start + 16)]):
            meeting.date = resolve(d, p.date)
    elif "地点" in label:
        meeting.place = re.split(r"[，,。；;（(\s]", value, maxsplit=1)[0] or None
    elif "主持" in label:
        # "主持人：孟思华" or "主持人：县长 孟思华": the first name of the field, with its title
        found = [x for x in people(folded, start, end)
                 if re.fullmatch(rf"(?:[\u4e00-\u9fff、，,]{{0,12}}(?:{TITLES}))?", re.sub(r"\s", "", folded[start:x[0]]))]
        if found:
            meeting.chair_name = p.text[found[0][0]:found[0][1]]
            meeting.chair = re.sub(r"\s", "", p.text[start:found[0][1]])
        elif named := re.match(r"\s*([\u4e00-\u9fff·]{2,4})[（(]([^（）()]{2,30})[）)]", folded[start:end]):
            # "主持人：某某（市交通运输局副局长）": the name, its post in brackets after it
            a, b = start + named.start(1), start + named.end(1)
            meeting.chair_name = p.text[a:b]
            meeting.chair = p.text[start + named.start(2):start + named.end(2)] + meeting.chair_name
    else:
        named, _ = subject(folded, start, start + len(folded[start:end].rstrip("。；;")))
        names = [p.text[a:b] for a, b in (x.name_span for x in named)]
        names += [p.text[a:b] for a, b, _ in people(folded, start, end)]
        meeting.attendees = list(dict.fromkeys(n for n in [*meeting.attendees, *names] if n != meeting.chair_name))
    at, to = m.start() + len(m.group()) - len(m.group().lstrip()), len(p.text[:end].rstrip())
    offsets = p.offsets or list(range(p.start, p.end))
    field = MeetingSource(p.source, p.paragraph, offsets[at], offsets[to - 1] + 1, p.text[at:to])
    (meeting.evidence if meeting.sources else meeting.sources).append(field)
