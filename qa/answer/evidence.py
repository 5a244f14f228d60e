"""Evidence for one question: the retrieved passages and the meeting-table rows it is about.

A table row is evidence like a passage: its evidence sentence is read from the same index
generation, so the later stages rank, quote and mark it like any other sentence. Evidence
that misses what the question pins down (another city, another day, another ordinal) is set
aside here, with what it missed, before anything ranks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..index.protocol import IndexView
from ..ingest.clean import is_credit
from ..ingest.meetings import Meeting, MeetingSource
from ..ingest.passages import Passage
from ..ingest.phrases import DATE
from ..ingest.script import fold, fold_aligned
from .analysis import Analysis
from .answer import Source
from .features import coverage
from .meetings import filter_meetings, narrow
from .pins import abbreviates, days_in, ordinals_in, pairs, unmet
from .retrieve import Hit


@dataclass
class Candidate:
    """One passage as evidence; the later stages fill in which sentences it quotes."""

    hit: Hit
    passage: Passage
    folded: str
    coverage: float  # share of the question's IDF mass in passage + headline
    #: The meeting-table row this passage holds the evidence sentence of.
    row: Meeting | None = None
    #: Index of the row's evidence sentence among ``passage.sentences``.
    row_sentence: int | None = None
    sentence: int = 0  # the sentence quoted
    second: int | None = None  # a neighbouring sentence quoted with it
    sources: list[Source] | None = None


@dataclass
class Evidence:
    candidates: list[Candidate]  # retrieval order, then table rows' passages; each meets the question's pins
    #: Meeting rows that a list-of-meetings question asks for (answered from the table).
    listed: list[Meeting] = field(default_factory=list)
    #: Evidence set aside, with what it lacked (for the "not found" message).
    missed: list[tuple[str, list[str]]] = field(default_factory=list)


def gather(a: Analysis, index: IndexView, hits: list[Hit], table: list[Meeting], keep: int) -> Evidence:
    """Candidates from the first ``keep`` of ``hits`` and from the rows of ``table`` the question
    names. A page's credits ("记者 某某") are evidence only for a question about them: a line under a
    headline is near any question about that headline, and answers none."""
    passages = index.passages([h.id for h in hits])
    leads: dict[str, tuple[str, set[tuple[int, int]]]] = {}  # document → its lead, folded, and the days it names
    kept, missed = [], []
    for h in hits:
        if (p := passages.get(h.id)) is not None and (a.credits or not is_credit(p.text)) and keep > 0:
            keep -= 1
            _admit(a, index, _candidate(a, h, p), leads, kept, missed)
    for p in _credits(index, kept) if a.credits else []:  # "这篇报道的记者是谁？": the reports' credit lines
        _admit(a, index, _candidate(a, Hit(p.id, 0.0, 0.0, 0.0), p), leads, kept, missed)
    for p in _fields(index, kept, label) if (label := field_asked(a)) else []:
        kept.append(_candidate(a, Hit(p.id, 0.0, 0.0, 0.0), p))  # a field of the form that met the question's pins
    listed: list[Meeting] = []
    if a.meeting is not None:
        listed = narrow(filter_meetings(table, person=a.meeting.person, role=a.meeting.role, date=a.meeting.date),
                        a.meeting)
    for row in [] if listed else _rows_named(a, table, index)[:8]:
        for src in [*row.sources, *row.evidence][:6]:
            c = _row_candidate(a, index, row, src, kept)
            if c is not None:
                _admit(a, index, c, leads, kept, missed)
    return Evidence(kept, listed, missed)


#: The field of minutes or of a notice that holds what a kind of question asks ("时间：…" for "几点开的").
_FIELD_OF_KIND = {"time-of-day": "时间", "when": "时间|日期", "where": "地点|会址", "who-chaired": "主持人?"}
#: The field a who-question names by its role ("纪要的记录人", "回执的联系人").
_FIELD_OF_ROLE = re.compile(r"记录人|记录员|联系人")


def field_asked(a: Analysis) -> str | None:
    """The label of the field of minutes that holds the answer to a question about a meeting it
    names ("…专题会几点开始" → 时间, "…纪要的记录人" → 记录), else None."""
    if not a.pins.meeting:
        return None
    if a.question.kind == "who" and (role := _FIELD_OF_ROLE.search(a.question.folded)):
        return role.group()[:2] + "(?:人|员)?"
    if a.question.kind == "who" and (role := _ROLE_ASKED.search(a.question.folded)):
        # "股东大会的见证律师是谁" → a field "律师：…" or "见证律师：…": the role, or its last words
        words = role.group(1)
        return "|".join(re.escape(words[i:]) for i in range(len(words) - 1))
    return _FIELD_OF_KIND.get(a.question.kind)


#: The role a who-question asks after ("…的见证律师是谁", "…的董秘叫什么").
_ROLE_ASKED = re.compile(r"的([\u4e00-\u9fff]{2,6}?)(?:是谁|叫什么|是哪[几两]?位|有哪[些几]位?|都有谁|是$|$)")
#: A labelled field ("主持：某某", "参加人员：…", "（一）股东大会召开的时间："): the document is minutes or a form.
_FIELD_LINE = re.compile(r"(?:^|[\s、）)])[\u4e00-\u9fff]{2,12}\s*[:：]")
#: How many paragraphs of a form are looked through for the field asked.
_FORM_HEAD = 60


def opens_with_field(folded: str, label: str) -> bool:
    """Does the paragraph open with the field labelled ``label`` ("时间：…", spaced too: "时　　间：")?"""
    return re.match(rf"(?:会议|召开)*(?:{label})[:：]", re.sub(r"\s+", "", folded)) is not None


def _fields(index: IndexView, kept: list[Candidate], label: str) -> list[Passage]:
    """The field a question's kind asks ("时间：…") of the form retrieved first (minutes about the
    meeting the question names, some of whose paragraphs retrieved are fields): a field shares no
    word with "几点开的", so search misses it."""
    if not kept:
        return []
    source = kept[0].passage.source
    if not any(c.passage.source == source and _FIELD_LINE.search(c.folded) for c in kept):
        return []
    have = {c.passage.id for c in kept}
    for n in range(1, _FORM_HEAD + 1):
        if not (pieces := index.paragraph(source, n)):
            break
        if found := [p for p in pieces if opens_with_field(fold(p.text), label) and p.id not in have]:
            return found
    return []


def _credits(index: IndexView, kept: list[Candidate]) -> list[Passage]:
    """The credit lines ("记者 某某") of the first reports retrieved: their last paragraphs."""
    out: list[Passage] = []
    have = {c.passage.id for c in kept}
    for source in list(dict.fromkeys(c.passage.source for c in kept))[:3]:
        n = max(c.passage.paragraph for c in kept if c.passage.source == source)
        while found := index.paragraph(source, n + 1):
            n += 1
            out += [p for p in found if is_credit(p.text) and p.id not in have]
    return out


def _admit(a: Analysis, index: IndexView, c: Candidate, leads: dict[str, tuple[str, set[tuple[int, int]]]],
           kept: list[Candidate], missed: list[tuple[str, list[str]]]) -> None:
    lacking: list[str] = []
    if a.pins:
        if c.passage.source not in leads:
            first = index.paragraph(c.passage.source, 1)
            lead = fold(first[0].text + "\n" + first[0].title) if first else ""  # the headline: a credit line has none
            leads[c.passage.source] = (lead, days_in(lead))
        lead, lead_days = leads[c.passage.source]
        context = "\n".join([c.folded, fold(c.passage.title), lead, fold(c.row.name) if c.row else ""])
        days = lead_days | days_in(c.folded, c.passage.title, c.passage.date, c.row.date if c.row else None)
        lacking = unmet(a.pins, context, days, c.folded + "\n" + fold(c.passage.title))
    if lacking:
        missed.append((c.passage.source, lacking))
    else:
        kept.append(c)


def _candidate(a: Analysis, hit: Hit, p: Passage) -> Candidate:
    folded = fold_aligned(p.text)
    return Candidate(hit, p, folded, coverage(a.info, folded + "\n" + fold(p.title)))


def _rows_named(a: Analysis, table: list[Meeting], index: IndexView) -> list[Meeting]:
    """Rows of the meeting a question names (who chaired it, when, where, who attended, what
    happened that day): the row's name and the meeting named in the question share most of their
    character pairs, both ways (a short row name inside a long question is another meeting)."""
    asked = set(a.pins.meeting)
    scored = []
    headlines: dict[str, set[str]] = {}  # a document's headline pairs, read once per question
    for row in table:
        row_pairs = pairs(DATE.sub("", row.key))  # as the question's name is read: "2025年年度股东大会" → 年度股东大会
        if len(row.key) < 4 or not asked or not all(ordinals_in(o) <= ordinals_in(row.key) for o in a.pins.ordinals):
            continue
        # Alike both ways, or the question's name nearly all inside the row's ("省委常委会扩大会议" of
        # "省委常委会议暨…领导小组(扩大)会议"): a question may name a joint meeting by one part.
        if len(row_pairs & asked) < 2:
            continue
        # "嘉衡科技股东大会" for the row "年度股东大会" of a report headed "嘉衡科技…": the question
        # may name the organiser its headline names (looked up only for a row alike enough already,
        # once per document, so a large table costs no read per row)
        named = asked
        if row.sources and _share(row_pairs, asked) >= 0.4:
            source = row.sources[0].source
            if source not in headlines:
                first = index.paragraph(source, 1)
                # its headline, or the line that opens it ("证券简称：澄远电力"), and its file's name
                opening = f"{first[0].title}\n{first[0].text[:80]}" if first else ""
                headlines[source] = pairs(fold(f"{opening}\n{Path(source).stem}"))
            named = asked - (headlines[source] - row_pairs) or asked
        share = _share(row_pairs, named)
        if share < 0.6 and abbreviates(a.pins.meeting_name, row.key):
            share = 0.6  # "市委全会": 中国共产党某市第十三届委员会第七次全体会议, its characters in order
        if share >= 0.6:
            scored.append((share, row))
    scored.sort(key=lambda x: -x[0])
    return [row for share, row in scored if share >= scored[0][0] - 0.05]


def _share(row_pairs: set[str], named: set[str]) -> float:
    """How alike a row's name and the question's are: both ways, or the question's nearly all inside."""
    shared = len(row_pairs & named)
    return max(2 * shared / (len(row_pairs) + len(named)), shared / len(named) - 0.2)


def _row_candidate(a: Analysis, index: IndexView, row: Meeting, src: MeetingSource,
                   kept: list[Candidate]) -> Candidate | None:
    """The passage holding ``src``'s sentence, with that sentence marked (reusing a retrieved one)."""
    for piece in index.paragraph(src.source, src.paragraph):
        if not piece.offsets or src.start not in piece.offsets:
            continue
        at = piece.offsets.index(src.start)
        sentence = next((i for i, (s, e) in enumerate(piece.sentences) if s <= at < e), None)
        if sentence is None:
            return None
        for c in kept:
            if c.passage.id == piece.id:
                if c.row is None:
                    c.row, c.row_sentence = row, sentence
                return None
        hit = Hit(piece.id, 0.0, 0.0, 0.0)
        c = _candidate(a, hit, piece)
        c.row, c.row_sentence = row, sentence
        return c
    return None
