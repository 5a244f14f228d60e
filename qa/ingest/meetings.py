"""Meetings reported in a document: date, name, chair, attendees, speakers, place, evidence.

Index-time extraction, pure text work over one file's passages. Patterns sit around the verbs
a meeting report uses (主持召开 / 召开 / 举行 name a meeting; 主持 gives its chair; 出席 /
参加 / 列席 / 收听收看 its attendees; 讲话 / 发言 its speakers; 在…分会场 its venue), with jieba
part-of-speech tags finding the people (qa.ingest.meeting_people). A sentence that does not
name its meeting ("…出席会议。") belongs to the meeting the article last reported.

A meeting is *reported* when its clause opens a paragraph (the article's own news); it is
*mentioned* when it is named in passing: later in a paragraph, inside what another meeting
said ("会议强调…"), or as an attribute ("昨天召开的…会议").
"""

from __future__ import annotations

import re

from .meeting_dates import last_date, resolve, same_month
from .meeting_evidence import Sentence, add_names, as_written, cover, join_place, source, written
from .meeting_minutes import minutes_meeting
from .meeting_people import Person, subject
from .meeting_record import Meeting, MeetingSource, keep_named, meeting_key
from .meeting_verbs import (
    ATTEND,
    ATTEND_NAMED,
    BARE,
    CHAIR,
    CLAUSE,
    CONTENT_LEAD,
    DATELINE,
    HEADING_ACT,
    HEARD,
    ITSELF,
    JOINED_EVENT,
    LED_BY,
    NAMED_ACT,
    OPENS,
    REPORTS,
    SETTING,
    SITTING,
    SPEAK,
    SPOKE_AT,
)
from .passages import Passage
from .phrases import ASIDE, BODY_CHAIR, MANNER, MEETING_END, TITLES, named_phrases
from .phrases import people as names
from .script import fold, fold_aligned

__all__ = ["EXTRACTOR_VERSION", "Meeting", "MeetingSource", "extract_meetings", "meeting_key"]

#: Bumped whenever extraction changes, so an index update re-extracts every file.
EXTRACTOR_VERSION = 28


def extract_meetings(passages: list[Passage]) -> list[Meeting]:
    """Every meeting one file's passages report or mention, in document order."""
    out: list[Meeting] = []
    title: object = None
    current: Meeting | None = None  # the meeting the article is about, for "…出席会议"
    article_date: str | None = None
    published: str | None = None  # the page's date, or the dateline's ("本报5月17日讯")
    paragraph, paragraph_lead = -1, ""
    folded_texts = [fold_aligned(p.text) for p in passages]
    for passage, folded in zip(passages, folded_texts):
        if passage.title != title:
            title, current, article_date, published = passage.title, None, None, passage.date
        starts_paragraph = passage.paragraph != paragraph
        if starts_paragraph:
            paragraph, paragraph_lead = passage.paragraph, folded.lstrip()
        for n, (s, e) in enumerate(passage.sentences):
            first_sentence = starts_paragraph and n == 0
            sentence = folded[s:e]
            if published is None and (line := DATELINE.match(sentence)) and (d := last_date(line.group(0))):
                published = resolve(d, None)
            if article_date is None and (d := last_date(DATELINE.sub("", sentence)[:16])):
                article_date = resolve(d, published)
            state = Sentence(passage, folded, s, e, published)
            for cs, ce in _clauses(folded, s, e):
                current = _clause(state, cs, ce, current, first_sentence and
                                  not CONTENT_LEAD.match(paragraph_lead), article_date, out)
    if (minutes := minutes_meeting(passages)) is not None:
        # A field's label read as a sentence ("会议召开时间：…") reports no meeting of its own.
        fields = [(f.source, f.start, f.end) for f in [*minutes.sources, *minutes.evidence]]
        out = [m for m in out if not any(src.source == f and src.start < fe and src.end > fs
                                         for src in m.sources for f, fs, fe in fields)]
        # the body's own account of the meeting the minutes record ("3月18日，某某主持召开…推进会") is that meeting
        out = [m for m in out if not (m.date and m.date == minutes.date and m.chair_name == minutes.chair_name)]
        if minutes.chair is None:  # "本次股东大会由公司董事会召集，…由董事长某某女士主持": the body says it
            _chair_from_body(minutes, passages, folded_texts)
        out.insert(0, minutes)
    return keep_named(out)


def _chair_from_body(minutes: Meeting, passages: list[Passage], folded_texts: list[str]) -> None:
    for passage, folded in zip(passages, folded_texts):
        for cs, ce in _clauses(folded, 0, len(folded)):
            if (m := CHAIR.search(folded, cs, ce)) and (people := subject(folded, cs, m.start(), chain=False)[0]):
                p = people[-1]
                minutes.chair, minutes.chair_name = passage.text[slice(*p.full_span)], passage.text[slice(*p.name_span)]
                s, e = next(((s, e) for s, e in passage.sentences if s <= cs < e), (cs, ce))
                minutes.evidence.append(source(Sentence(passage, folded, s, e, None), p.full_span))
                return


def _named_earlier(st: Sentence, cs: int) -> Meeting | None:
    """The meeting named last before "会议于…召开" in its paragraph (outside a bill's title), which
    a clause of its own says was held then and there."""
    text = st.folded
    start = max((m.end() for m in HEADING_ACT.finditer(text, 0, cs)), default=0)  # after "…召开情况"
    named = [sp for sp in named_phrases(text, start, cs, MEETING_END) if text.rfind("《", 0, sp[0]) <= text.rfind("》", 0, sp[0])]
    if not named or len(meeting_key(name := st.passage.text[slice(*named[-1])])) < 4 or BARE.fullmatch(fold(name)):
        return None
    meeting = Meeting(date=None, name=name, chair=None, chair_name=None)
    meeting.sources.append(source(st, None))
    return meeting


def _clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in CLAUSE.finditer(text, s, e)]


def _clause(st: Sentence, cs: int, ce: int, current: Meeting | None, reported: bool,
            article_date: str | None, out: list[Meeting]) -> Meeting | None:
    text = st.folded
    opened = _open_meetings(st, cs, ce, reported, article_date, current.date if current else None)
    if opened and current is not None and all(SITTING.fullmatch(fold(m.name)) for m in opened):
        # "观摩结束后召开了座谈交流会", "…参加座谈会": a sitting of the meeting reported, named by its kind alone
        for m in opened:
            add_names(current.attendees, [p for p in m.attendees if p != current.chair_name])
            add_names(current.speakers, m.speakers)
            if m.attendees or m.speakers:
                cover(current, st)
        return current
    if opened:
        out.extend(opened)
        if not opened[0].mentioned and st.within is None:
            current = opened[0]
        return current
    # "28日召开的经济工作会议上，…": the rest of the sentence is about that meeting, the next is not
    meeting = st.within or current
    if meeting is None and ITSELF.match(text, cs) and OPENS.search(text, cs, ce) and \
            (meeting := _named_earlier(st, cs)) is not None:
        out.append(meeting)  # "…第四届董事会第十二次会议通知于3月20日送达全体董事。会议于3月27日在…召开。"
        current = meeting
    if meeting is None:
        return current
    if ITSELF.match(text, cs) and (verb := OPENS.search(text, cs, ce)):
        # "…会议通知于3月20日发出。会议于3月27日上午在…召开。", "会议在市防汛抗旱指挥部会商室召开。"
        if meeting.date is None and (d := last_date(text[cs:verb.start()])):
            meeting.date = resolve(d, st.published)
        meeting.place = meeting.place or _venue(st, cs, verb.start())
    if meeting.chair is None and (body := BODY_CHAIR.search(text, cs, ce)):
        meeting.chair = as_written(st, body.span(1))  # "全会由市委常委会主持": a body, no person's name
        cover(meeting, st)
    if m := CHAIR.search(text, cs, ce):
        people, _ = subject(text, cs, m.start(), chain=False)
        if people and meeting.chair is None:
            p = people[-1]
            meeting.chair, meeting.chair_name = as_written(st, p.full_span), as_written(st, p.name_span)
            cover(meeting, st, p.full_span)
        elif people and meeting.chair_name is None:  # "全会由市委常委会主持。…县长X主持闭幕会": X took part
            add_names(meeting.attendees, [as_written(st, people[-1].name_span)])
            cover(meeting, st)
        st.last_subject = people or st.last_subject
    if m := ATTEND.search(text, cs, ce):
        people, place = subject(text, st.start, m.start())
        if not people and (led := LED_BY.search(text, cs, m.start())):
            # "溪口镇分会场由副镇长X组织收听收看", "…由X带领有关部门负责同志参加会议": X took part
            people, _ = subject(text, led.start(1), led.end(1), chain=False)
            place = text[cs:led.start()] if text[cs:led.start()].endswith("会场") else None
        add_names(meeting.attendees, [as_written(st, p.name_span) for p in people
                                 if as_written(st, p.name_span) != meeting.chair_name])
        if people:
            cover(meeting, st)
        if people and place and ("分会场" in place or not meeting.place):
            meeting.place = join_place(meeting.place, written(st, place, cs, m.start()))
        st.last_subject = people or st.last_subject
    if m := SPEAK.search(text, cs, ce):
        people, _ = subject(text, cs, re.search(r"[在并作就对]|$", text[cs:m.start()]).start() + cs)
        speakers = people or st.last_subject
        add_names(meeting.speakers, [as_written(st, p.name_span) for p in speakers])
        if speakers:
            cover(meeting, st)
    elif m := REPORTS.search(text, cs, ce):
        people, _ = subject(text, cs, m.start())
        add_names(meeting.speakers, [as_written(st, p.name_span) for p in people])
    if m := HEARD.search(text, cs, ce):
        heard = names(text, m.end(), ce)[:1]
        add_names(meeting.speakers, [as_written(st, (a, b)) for a, b, _ in heard])
    return current


def _open_meetings(st: Sentence, cs: int, ce: int, reported: bool, article_date: str | None,
                   context_date: str | None = None) -> list[Meeting]:
    """Meetings a clause names with 召开/举行/主持召开 (after the verb, or before "…召开")."""
    text = st.folded
    # a verb named, not done: a bill's title "审议通过《关于召开…的议案》", a heading run into its
    # paragraph "一、董事会会议召开情况…"
    verb = next((v for v in OPENS.finditer(text, cs, ce) if text.rfind("《", cs, v.start()) <= text.rfind("》", cs, v.start())
                 and not NAMED_ACT.match(text, v.end())), None)
    if verb is None:
        return _attended_named(st, cs, ce, reported, article_date)
    spans = named_phrases(text, verb.end(), ce, MEETING_END)
    organizer = None
    attributive = text.startswith("的", verb.end())
    if attributive:
        spans = named_phrases(text, verb.end() + 1, ce, MEETING_END)
    if not spans:  # "…工作例会召开" / "市委常委会召开会议"
        # "…座谈会在云岭宾馆召开", "…会议于8月25日在总部以视频方式召开": when, where and how stand
        # between; a name inside the venue ("在市人大常委会机关会议厅举行") is not the meeting's
        before = [sp for sp in named_phrases(text, cs, verb.start(), MEETING_END)
                  if sp[1] >= verb.start() - 4 or SETTING.fullmatch(text, sp[1], verb.start())
                  or JOINED_EVENT.match(text, sp[1], verb.start())]
        if before and (joined := JOINED_EVENT.match(text, before[-1][1], verb.start())):
            before[-1] = (before[-1][0], joined.end())  # "…推进会暨项目集中开工活动在…举行": one event
        if not before and (named := _named_clause_before(text, st.start, cs, verb.start())):
            before = [named]  # "中国共产党…第七次全体会议，6月2日上午在县会堂举行"
        if not before:
            return []
        spans = [before[-1]]
    elif "主持" not in verb.group(0) and BARE.fullmatch(re.sub(r"[(（][^)）]*[)）]", "", text[slice(*spans[0])])):
        organizer = _organizer(text, cs, verb.start())
        if organizer is None:
            return []
    chair = people_span = None
    if "主持" in verb.group(0):
        people, _ = subject(text, cs, _strip_adverb(text, cs, verb.start()), chain=False)
        if people:
            chair = people[-1]
            people_span = chair.full_span
        elif t := re.search(rf"(?:^|[\s讯])((?:{TITLES})|[\u4e00-\u9fff]{{1,6}}(?:{TITLES}))$",
                            text[cs:_strip_adverb(text, cs, verb.start())]):
            # "省长日前主持召开…": the chair is named by title only
            a, b = cs + t.start(1), cs + t.end(1)
            chair = Person("", text[a:b], (a, b), (b, b))
            people_span = chair.full_span
    place = _venue(st, cs, verb.start())
    date_match = last_date(text[st.start:verb.start()])
    # "28日下午召开的全市经济工作会议上，…": a sitting of its own, in the article's month
    at_it = attributive and text.startswith("上", spans[-1][1]) if spans else False
    if date_match:
        date = resolve(date_match, st.published)
    elif at_it and (day := re.search(r"(?<![\d月])(\d{1,2})日", text[st.start:verb.start()])):
        date = same_month(article_date or context_date, int(day.group(1)))
    else:
        date = article_date if reported else None
    mentioned = not at_it and (attributive or not reported)
    meetings = []
    for span in spans:
        name = st.passage.text[span[0]:span[1]]
        if organizer is not None:
            name = st.passage.text[organizer[0]:organizer[1]] + name
        if len(meeting_key(name)) < 4:
            continue
        meeting = Meeting(date=date, name=name, chair=as_written(st, chair.full_span) if chair else None,
                          chair_name=as_written(st, chair.name_span) if chair and chair.name else None, place=place,
                          mentioned=mentioned)
        meeting.sources.append(source(st, people_span))
        meetings.append(meeting)
    if at_it and meetings:
        st.within = meetings[0]
    return meetings


def _venue(st: Sentence, cs: int, verb: int) -> str | None:
    """Where a clause says the meeting was held: "在X(（地址）)(以视频方式)(隆重)召开"."""
    if (m := re.search(rf"在((?:[^，,。；;、在（(]|{ASIDE}){{1,20}}?){ASIDE}?(?:以[^，,。；;]{{1,12}}(?:形式|方式))?(?:{MANNER})?$",
                       st.folded[cs:verb])) \
            and not re.match(r"[\d一二三四五六七八九十]+月|[上下]午|晚上", m.group(1)):  # "在4月召开的": when, not where
        return st.passage.text[cs + m.start(1):cs + m.end(1)]
    return None


def _named_clause_before(text: str, sentence: int, cs: int, verb: int) -> tuple[int, int] | None:
    """A meeting named in the clause before, when this one holds only when, where and how it was held."""
    if not SETTING.fullmatch(text, cs, verb):
        return None
    previous = _clauses(text, sentence, cs)
    if not previous:
        return None
    ps, pe = previous[-1]
    named = named_phrases(text, ps, pe, MEETING_END)
    if named and named[-1][1] == pe and not OPENS.search(text, ps, pe):
        return named[-1]
    return None


def _attended_named(st: Sentence, cs: int, ce: int, reported: bool, article_date: str | None) -> list[Meeting]:
    """"区长X出席了全区…工作会议": the meeting is named by its attendee (no chair given)."""
    text = st.folded
    verb = ATTEND_NAMED.search(text, cs, ce)
    spoke = None
    if verb is None and (at := SPOKE_AT.search(text, cs, ce)) \
            and (SPEAK.search(text, at.end(), ce) or REPORTS.search(text, at.end(), ce)):
        verb = spoke = at  # "5月，副市长X在全市文旅产业发展大会上通报…": X spoke at it
    if verb is None:
        return []
    named_from, named_to = (spoke.start(1), spoke.end(1)) if spoke else (verb.end(), ce)
    spans = [sp for sp in named_phrases(text, named_from, named_to, MEETING_END)
             if not BARE.fullmatch(text[sp[0]:sp[1]]) and sp[0] == named_from and (not spoke or sp[1] == named_to)]
    people, place = subject(text, st.start, verb.start())
    if not spans or not people:
        return []
    date_match = last_date(text[st.start:verb.start()])
    date = resolve(date_match, st.published) if date_match else (article_date if reported else None)
    out = []
    for span in spans[:1]:
        who = [as_written(st, p.name_span) for p in people]
        m = Meeting(date=date, name=st.passage.text[span[0]:span[1]], chair=None, chair_name=None,
                    attendees=[] if spoke else who, speakers=who if spoke else [],
                    place=written(st, place, st.start, verb.start()) if place and not spoke else None,
                    mentioned=not reported and not spoke)
        m.sources.append(source(st, None))
        out.append(m)
    return out


def _organizer(text: str, cs: int, verb: int) -> tuple[int, int] | None:
    """"省推进…领导小组召开第四次全体会议": the body holding a meeting named only by its number."""
    head = re.sub(r"\s+$", "", text[cs:verb])
    start = cs
    if d := last_date(head):
        start = cs + d.end()
    while start < verb and text[start] in " 　,，讯":
        start += 1
    if DATELINE.match(text[start:verb]):
        start += DATELINE.match(text[start:verb]).end()
    org = re.sub(r"(?:在|于)[^，,。；;]*$", "", text[start:verb])  # "…镇委员会在镇政府三楼会议室": where, not who
    if not re.fullmatch(r"[\u4e00-\u9fff()（）]{3,40}", org) or re.search(r"在|于", org) \
            or not re.search(r"(会|组|委|部|局|厅|府|院|办|室|处|团|党组|指挥部|委员会)$", org):
        return None
    return start, start + len(org)


def _strip_adverb(text: str, cs: int, verb: int) -> int:
    m = re.search(r"(?:先后|随后|亲自|分别|专门|再次|也|还|又|今天|昨天|日前|近日)+$", text[cs:verb])
    return cs + m.start() if m else verb


