"""Stage 1 of the pipeline: a question analysed once, for every later stage.

An English question is rendered here as a Chinese one built from words of the passages the
encoder finds for it (names by their pinyin) and a glossary (see :mod:`.english`), so every
later stage, the answerability decision included, sees Chinese. What the rendering could not
carry over is a pin nothing can meet: such a question is "not found", not guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..ingest.passages import Passage
from ..ingest.script import fold, without_surrogates
from .credits import asked_roles
from .english import gloss
from .features import QuestionInfo
from .meetings import MeetingQuery, meeting_question
from .pins import Pins, pins_of
from .question import Question, analyze


@dataclass(frozen=True)
class Analysis:
    asked: str  # as the user wrote it (after follow-up resolution)
    question: Question  # in Chinese: an English question rendered
    info: QuestionInfo
    pins: Pins
    #: The table filters of a list-of-meetings question ("X主持了哪些会议？"), else None.
    meeting: MeetingQuery | None
    #: The roles a "who wrote or edited this report" question asks for ("记者"), else empty.
    credits: tuple[str, ...] = ()

    @property
    def english(self) -> bool:
        return self.question.dense_only

    @property
    def rendered(self) -> str | None:
        """The Chinese rendering of an English question, shown as what it was understood as."""
        return self.question.folded if self.english and self.question.folded != self.asked else None


def analyse(text: str, idf: Callable[[str], float], peek: Callable[[str], list[Passage]],
            known: Callable[[], tuple[str, ...]] = tuple) -> Analysis:
    """``peek(query)`` gives the passages the encoder finds for a query, ``known()`` the names of
    the meeting table's people (English questions only)."""
    asked = without_surrogates(text.strip())  # "B\ud800" (a lone surrogate) cannot reach the encoder
    q = analyze(asked)
    if q.dense_only:
        english, seen, names = q, peek(q.folded), known()
        q = gloss(english, seen, names)
        if q.unknown_names and q.folded != english.folded:
            # "the Party secretary of Shiqiao Town": the passages about what was rendered (镇党委书记) may spell it
            q = gloss(english, seen + peek(q.folded), names)
    meeting = meeting_question(q.folded)
    pins = pins_of(q, q.unknown_names)
    if meeting is not None and meeting.person:
        # "尉迟敏主持了哪些会议？": the people asked about, whether or not jieba tags their names
        named = [n for n in re.split(r"[和与及、,，]", fold(meeting.person)) if len(n) >= 2]
        pins = replace(pins, people=tuple(dict.fromkeys([*pins.people, *named])))
    return Analysis(asked, q, QuestionInfo.of(q, idf), pins, meeting, asked_roles(q.folded))
