"""A conversation: the turns so far, and follow-up questions resolved against them.

Every turn leaves typed entities behind: the people, meetings, places and dates its question
named, and its short answer typed by the question's kind (the answer to "谁主持…？" is a
person, to "多少家…？" a number, which is never a person). A follow-up is rewritten with them:

- 他/她/此人 → the last person; 他们/她们 → all the people of the last turn that named any
  ("其他", "吉他" are words, not pronouns);
- 该会议/这次会议/那次会, and 会议 opening the question → the last meeting; 那里/当地 → the last place; 那天/当天 → the last date;
- "那杜小刚呢？" re-asks the previous question with 杜小刚 in place of its person, "那3月呢？"
  with 3月 in place of its date (an entity of the same type).

The page, the ``/ask`` endpoint, ``qa chat`` and ``Bot.ask(history=...)`` all go through
:class:`Conversation`, so a follow-up means the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..ingest.phrases import MEETING_END, is_named, named_phrases
from ..ingest.script import fold
from ..ingest.tokens import tagged
from .answer import Answer
from .question import analyze, people_in

PERSON, MEETING, PLACE, DATE = "person", "meeting", "place", "date"
_PEOPLE_KINDS = ("who", "who-chaired")
_ANSWER_TYPE = {"who": PERSON, "who-chaired": PERSON, "which-meeting": MEETING, "where": PLACE, "when": DATE}

#: 他/她 standing alone: not inside 其他, 吉他, 他人, 他国, 利他, 排他, 他们 (handled apart).
PRONOUN = re.compile(r"(?<![其吉利排无])(?:他|她)(?![们人国乡方处日山])(?:还|也|又)?|(?:此人|该人|这个人|这位|那位)(?:还|也|又)?")
PLURAL_PRONOUN = re.compile(r"(?:他们|她们|这些人|这两人|(?<![第一二三四五六七八九十])[二两]人(?!民|大|次|口))(?:还|也|又|都)?")
MEETING_REF = re.compile(r"(?:该|这次|那次|此次|本次|这个|那个|上述|上次|那场|这场)(?:会议|会)")
#: "会议开了多久？" in a conversation about a meeting: a bare 会议 opening the question is that meeting.
BARE_MEETING = re.compile(r"^会议(?![室厅])")
PLACE_REF = re.compile(r"那里|那儿|当地|该地|此地|那个地方|这个地方|该市|该镇|该县|该区")
DATE_REF = re.compile(r"那天|当天|那一天|同一天|同日|当日|那日")
DATE_PHRASE = re.compile(
    r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?(?:上午|下午|晚上)?|\d{4}年|\d{1,2}[日号]|[昨今前明]天|[去今明]年"
)
#: "那杜小刚呢？", "杜小刚呢？", "那么3月呢？", "那在南通呢？": a short question with only its topic.
ELLIPSIS = re.compile(r"^(?:那么|那|还有|另外|然后)?[，,\s]*(?:在|到|对于|关于)?(?P<x>[^，,？?。]{1,20}?)(?:的呢|呢)[？?。！!]*$")
#: The reply to a pronoun with no one before it to refer to.
WHO_IS_MEANT = ("问题里的“{who}”指的是谁？前面的对话没有提到任何人，请写出名字再问。"
                "(Who is “{who}”? Nothing earlier in the conversation names a person: ask again with the name.)")
FOLLOW_UP_LEAD = re.compile(r"^(那么|那(?![里儿天次场位个些时日一])|然后)[，,\s]*")


@dataclass
class Turn:
    """One exchange: the question as searched, its kind and short answer, the entities it left."""

    question: str
    answer: str | None
    kind: str
    entities: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, question: str, answer: str | None, kind: str | None = None, quote: str | None = None) -> Turn:
        """``quote``: the sentence quoted when no short answer was given ("该会议是什么时候召开的？"
        answered by its sentence alone): the one thing of the asked type it names stands in for
        the answer, so "那天…" still finds its date. Two or more would be a guess: none is taken."""
        kind = kind or analyze(question).kind
        folded = fold(question)
        entities = {typed: find(folded) for typed, find in _FIND.items()}
        typed = _ANSWER_TYPE.get(kind)
        if answer and typed:
            values = [v for v in re.split(r"[、；;，,和及与]", fold(answer)) if v.strip()]
            if typed == PERSON:  # a number or a date is never a person
                values = [v for v in values if re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", v)]
            entities[typed] = list(dict.fromkeys([*values, *entities[typed]]))
        elif answer:
            entities[PERSON] = list(dict.fromkeys([*entities[PERSON], *_people(fold(answer))]))
        elif quote and typed:
            named = [v for v in _FIND[typed](fold(quote)) if v not in entities[typed]]
            if len(named) == 1:
                entities[typed] = [*named, *entities[typed]]
        return cls(question, answer, kind, entities)


class Conversation:
    """Turns so far and the resolution of follow-ups; ``ask`` needs an answering function.

    ``answer(question, k)`` answers a question that needs no more resolution (``Bot`` gives its
    own); a conversation without one still resolves (``resolve``) and records (``record``).
    """

    def __init__(self, answer: Callable[[str, int | None], Answer] | None = None,
                 history: Iterable[tuple[str, str | None]] | None = None):
        self._answer = answer
        self.turns: list[Turn] = [Turn.of(q, a) for q, a in (history or [])]

    # --- asking -------------------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None) -> Answer:
        """Resolve ``question`` against the turns, answer it, and remember the turn."""
        if self._answer is None:
            raise RuntimeError("this Conversation has no answering function (use bot.conversation())")
        resolved = self.resolve(question)
        if who := self._unresolved_pronoun(resolved):
            return Answer(question, None, False, [], "invalid", message=WHO_IS_MEANT.format(who=who))
        answer = self._answer(resolved, k)
        if resolved != question.strip():
            answer = replace(answer, question=question, resolved_question=resolved)
        if answer.kind != "invalid":
            self.record(resolved, answer)
        return answer

    def record(self, resolved: str, answer: Answer | str | None, kind: str | None = None) -> None:
        """Remember a turn: the question as searched and its answer (an ``Answer`` or the short answer)."""
        quote = None
        if isinstance(answer, Answer):
            quote = answer.quotes[0].sentence if answer.quotes and answer.answer is None else None
            kind, answer = answer.kind, answer.answer
        self.turns.append(Turn.of(resolved, answer, kind, quote))

    def clear(self) -> None:
        self.turns.clear()

    @property
    def history(self) -> list[tuple[str, str | None]]:
        """The turns as (question searched, short answer) pairs: what ``Bot.ask(history=...)`` takes."""
        return [(t.question, t.answer) for t in self.turns]

    # --- resolving ------------------------------------------------------------------------------

    def resolve(self, question: str) -> str:
        """``question`` with its references to earlier turns replaced by what they refer to."""
        text = question.strip()
        if not self.turns:
            return FOLLOW_UP_LEAD.sub("", text) if not ELLIPSIS.match(text) else text
        if m := ELLIPSIS.match(text):
            asked = self._ellipsis(m.group("x").strip())
            if asked:
                return asked
        text = FOLLOW_UP_LEAD.sub("", text)
        text = self._replace(text, PLURAL_PRONOUN, lambda: "、".join(self._people(all_of_turn=True)))
        text = self._replace(text, PRONOUN, lambda: next(iter(self._people()), ""))
        text = self._replace(text, MEETING_REF, lambda: self._last(MEETING))
        text = self._replace(text, BARE_MEETING, lambda: self._last(MEETING))
        text = self._replace(text, PLACE_REF, lambda: self._last(PLACE))
        text = self._replace(text, DATE_REF, lambda: self._last(DATE))
        return text

    def _unresolved_pronoun(self, resolved: str) -> str | None:
        """"他" (or 他们, 此人…) left in a question that names no one, with no one earlier to refer
        to (a first question, or one after /new): searching for it would only say "not found"."""
        m = PLURAL_PRONOUN.search(resolved) or PRONOUN.search(resolved)
        if m is None or self._people() or _people(fold(resolved)):
            return None
        return re.sub(r"[还也又都]$", "", m.group(0))

    @staticmethod
    def _replace(text: str, pattern: re.Pattern[str], value: Callable[[], str]) -> str:
        if not pattern.search(text):
            return text
        v = value()
        return pattern.sub(lambda _: v, text) if v else text

    def _people(self, all_of_turn: bool = False) -> list[str]:
        """The latest turn's people: a who-question's answer first, else the question's own."""
        for turn in reversed(self.turns):
            names = turn.entities.get(PERSON, [])
            if not names:
                continue
            if turn.kind in _PEOPLE_KINDS and turn.answer:
                answered = [n for n in names if n in fold(turn.answer)]
                asked = [n for n in names if n not in answered]
                names = answered + asked if not all_of_turn else names
            else:
                in_question = [n for n in names if n in fold(turn.question)]
                names = in_question + [n for n in names if n not in in_question]
            return names
        return []

    def _last(self, typ: str) -> str:
        for turn in reversed(self.turns):
            if turn.entities.get(typ):
                return turn.entities[typ][0]
        return ""

    def _ellipsis(self, x: str) -> str | None:
        """"那X呢？": the previous question with X in place of its entity of X's type."""
        previous = FOLLOW_UP_LEAD.sub("", self.turns[-1].question)
        typ = self._type_of(x)
        if typ is None:
            return None
        old = self.turns[-1].entities.get(typ, [])
        in_question = [o for o in old if o in fold(previous)]
        if typ == DATE:
            in_question = _dates(fold(previous))
        if not in_question:
            return None
        target = in_question[0]
        at = fold(previous).find(target)
        return previous[:at] + x + previous[at + len(target):]

    def _type_of(self, x: str) -> str | None:
        folded = fold(x)
        if DATE_PHRASE.fullmatch(folded):
            return DATE
        if re.search(r"\d", folded):
            return None  # a number is never a person (nor a place)
        if MEETING_END.search(folded) and len(folded) >= 4:
            return MEETING
        known = {t: {e for turn in self.turns for e in turn.entities.get(t, [])} for t in (PERSON, PLACE)}
        if folded in known[PERSON] or people_in(folded) == [folded]:
            return PERSON
        if folded in known[PLACE] or any(flag == "ns" and w == folded for w, flag in tagged(folded)):
            return PLACE
        return None


def _people(folded: str) -> list[str]:
    """People named in ``folded``, less the places jieba takes for names ("宿迁" in "宿迁市长")."""
    return [p for p in people_in(folded) if not re.search(re.escape(p) + r"(?:市|省|县|区|镇|地区)", folded)]


def _meetings(folded: str) -> list[str]:
    spans = named_phrases(folded, 0, len(folded), MEETING_END)
    names = [folded[a:b].lstrip("了的是") for a, b in spans if is_named(folded, (a, b))]
    return [n for n in names if not re.search(r"什么|哪|何|几", n)]


def _places(folded: str) -> list[str]:
    """Places jieba tags, and "names" it tags before 市/地区 ("宿迁" in "宿迁地区")."""
    names = [p for p in people_in(folded) if p not in _people(folded)]
    return list(dict.fromkeys([*(w for w, flag in tagged(folded) if flag == "ns" and len(w) >= 2), *names]))


def _dates(folded: str) -> list[str]:
    return list(dict.fromkeys(m.group() for m in DATE_PHRASE.finditer(folded)))


def resolve_follow_up(question: str, history: Sequence[tuple[str, str | None]] | None) -> str:
    """``question`` resolved against ``history`` ((question, short answer) turns, oldest first)."""
    return Conversation(history=history).resolve(question)


#: What names things of each type in a text (a question's, or a quote standing in for an answer).
_FIND: dict[str, Callable[[str], list[str]]] = {
    PERSON: _people,
    MEETING: _meetings,
    PLACE: _places,
    DATE: _dates,
}
