"""Where a meeting row's facts stand: a sentence being read, and the evidence a row quotes.

Offsets move between three texts: the folded passage (what patterns read), the passage as
written (what a row shows) and the original document (what a quote points at).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .meeting_record import Meeting, MeetingSource
from .passages import Passage
from .script import fold


@dataclass
class Sentence:
    passage: Passage
    folded: str
    start: int
    end: int
    published: str | None
    #: The subject of the sentence's last clause with one ("…出席会议并讲话" shares it).
    last_subject: list = field(default_factory=list)
    #: A meeting the sentence opens with as where it happened ("28日召开的经济工作会议上，…").
    within: Meeting | None = None


def source(st: Sentence, chair_span: tuple[int, int] | None) -> MeetingSource:
    p = st.passage
    rel = (chair_span[0] - st.start, chair_span[1] - st.start) if chair_span else None
    return MeetingSource(p.source, p.paragraph, _orig(p, st.start), _orig(p, st.end - 1) + 1,
                         p.text[st.start:st.end], rel)


def cover(meeting: Meeting, st: Sentence, chair_span: tuple[int, int] | None = None) -> None:
    """A later sentence adds to the meeting ("…召开会议。市委书记X主持会议。"): the evidence quote
    grows to include it when it is near in the same passage; otherwise it is kept beside."""
    src = meeting.sources[0]
    p = st.passage
    first = _local(p, src.start) if (src.source, src.paragraph) == (p.source, p.paragraph) else None
    if first is not None and first <= st.start and st.end - first <= 400:
        if st.end > first + len(src.sentence):
            src.end = _orig(p, st.end - 1) + 1
            src.sentence = p.text[first:st.end]
        if chair_span:
            src.chair_span = (chair_span[0] - first, chair_span[1] - first)
        return
    extra = source(st, chair_span)
    if all((e.source, e.start) != (extra.source, extra.start) for e in meeting.evidence):
        meeting.evidence.append(extra)


def _local(p: Passage, original: int) -> int | None:
    """Where an original-text offset falls in the passage's own text."""
    if p.offsets:
        try:
            return p.offsets.index(original)
        except ValueError:
            return None
    i = original - p.start
    return i if 0 <= i < len(p.text) else None


def as_written(st: Sentence, span: tuple[int, int]) -> str:
    return st.passage.text[span[0]:span[1]]


def _orig(p: Passage, i: int) -> int:
    return p.offsets[i] if p.offsets and 0 <= i < len(p.offsets) else p.start + i


def written(st: Sentence, folded_place: str, cs: int, end: int) -> str:
    at = st.folded.rfind(folded_place, cs, end)
    return st.passage.text[at:at + len(folded_place)] if at >= 0 else folded_place


def join_place(old: str | None, new: str) -> str:
    if not old or fold(new) in fold(old):
        return old or new
    return f"{old}；{new}"


def add_names(target: list[str], names: list[str]) -> None:
    for n in names:
        if n not in target:
            target.append(n)
