"""A meeting row: what the table holds for one meeting, and where the documents say so."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .phrases import LIST_ITEM
from .script import fold


@dataclass
class MeetingSource:
    source: str
    paragraph: int
    #: (start, end) of the evidence sentence(s) in the original document text.
    start: int
    end: int
    sentence: str
    #: (start, end) of the chair (title and name) inside ``sentence``, if it names one.
    chair_span: tuple[int, int] | None = None


@dataclass
class Meeting:
    date: str | None
    name: str
    chair: str | None
    chair_name: str | None
    attendees: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    place: str | None = None
    sources: list[MeetingSource] = field(default_factory=list)
    mentioned: bool = False
    #: Sentences elsewhere that add a chair, attendees or speakers ("市领导…在分会场参加会议").
    evidence: list[MeetingSource] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The name folded to simplified, without spaces or punctuation: what matching compares."""
        return meeting_key(self.name)

    @property
    def people(self) -> list[str]:
        return [p for p in [self.chair_name, *self.attendees, *self.speakers] if p]


def meeting_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", fold(name))


#: Names that name no meeting: a numbered heading ("情况（一）股东大会"), a reference back ("本次会议",
#: "座谈会上"), a quantity ("不少会议").
_NO_NAME = re.compile(rf"{LIST_ITEM}|^(?:本次|这次|此次|该|此|上述|这些|不少|一些|许多|各类|各种|有的|多个|几个|多场|几场|数场|多次)")


def keep_named(rows: list[Meeting]) -> list[Meeting]:
    """Rows with a name of their own; what a nameless one found (people at "座谈会上", "本次会议")
    goes to the named meeting before it in the same file, the one the text goes on about."""
    out: list[Meeting] = []
    for row in rows:
        name = meeting_key(row.name)
        if len(name) >= 4 and not _NO_NAME.search(row.name):
            out.append(row)
            continue
        before = next((r for r in reversed(out) if {s.source for s in r.sources} & {s.source for s in row.sources}), None)
        if before is not None:
            if before.chair is None and row.chair:  # "本次股东大会由…董事长X主持"
                before.chair, before.chair_name = row.chair, row.chair_name
            before.attendees += [a for a in row.attendees if a not in before.attendees and a != before.chair_name]
            before.speakers += [s for s in row.speakers if s not in before.speakers]
            before.evidence += row.sources + row.evidence
    return out
