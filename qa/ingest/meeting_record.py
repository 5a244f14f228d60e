"""A meeting row: what the table holds for one meeting, and where the documents say so."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
