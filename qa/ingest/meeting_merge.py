"""One row per meeting: reprints and passing mentions of a reported meeting merge.

Merging happens when the table is read, not when a file is indexed: each file keeps its own
rows in the index (so an incremental update only touches the files that changed), and a
reprint appears or disappears with either of its files without re-extracting the other.

Two rows are one meeting when their folded names are equal and their dates and chairs do not
disagree, or when one name holds the other and both give the same day and the same chair. A mention ("昨天召开的A会议") also joins a reported meeting whose name contains or is
contained in its own, if exactly one reported meeting fits; a mention of "A暨B" whose parts each
fit one reported meeting joins each of them (it says they were held together); any other
ambiguous mention stays a row of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .meeting_dates import better, same_day
from .meetings import Meeting, meeting_key
from .script import fold


def merge(rows: list[Meeting]) -> list[Meeting]:
    """Rows of all files, reprints and matched mentions merged; reported rows first, in order."""
    merged: list[Meeting] = []
    for row in sorted(rows, key=lambda r: r.mentioned):  # reported rows decide what mentions join
        parts = _joint_parts(merged, row)
        if parts:
            for target in parts:
                _absorb(target, row, people=False)
            continue
        target = _same(merged, row)
        if target is None:
            merged.append(replace(row, attendees=list(row.attendees), speakers=list(row.speakers),
                                  sources=list(row.sources), evidence=list(row.evidence)))
        else:
            _absorb(target, row)
    return merged


def _same(merged: list[Meeting], row: Meeting) -> Meeting | None:
    for m in merged:
        if m.key == row.key and _agree(m, row):
            return m
    for m in merged:  # a reprint that adds or drops the place ("栗川市政府第12次…" / "市政府第12次…")
        if _alike(m.key, row.key) and min(len(m.key), len(row.key)) >= 6 and _certain(m, row):
            return m
    if not row.mentioned:
        return None
    fits = _fits(merged, row, row.key)
    return fits[0] if len(fits) == 1 else None


def _fits(merged: list[Meeting], row: Meeting, key: str) -> list[Meeting]:
    return [m for m in merged if not m.mentioned and (m.key in key or key in m.key) and _agree(m, row)]


def _joint_parts(merged: list[Meeting], row: Meeting) -> list[Meeting]:
    """The reported meetings a mention of "A暨B" names, one for each part (else none)."""
    if not row.mentioned or "暨" not in row.name or any(m.key == row.key for m in merged):
        return []
    targets = []
    for part in row.name.split("暨"):
        fits = _fits(merged, row, meeting_key(part))
        if len(fits) != 1 or fits[0] in targets:
            return []
        targets.append(fits[0])
    return targets


def _alike(a: str, b: str) -> bool:
    """One name holds the other, or both are the same words in another order or with the year
    dropped ("2026年一季度全市重点项目建设推进会" / "全市一季度重点项目建设推进会"): same last
    three characters (the kind of meeting) and nearly the same characters."""
    if a in b or b in a:
        return True
    a, b = _YEAR.sub("", a), _YEAR.sub("", b)
    if a[-3:] != b[-3:]:
        return False
    ca, cb = Counter(a), Counter(b)
    if any(c in _NUMERALS for c in (ca - cb) + (cb - ca)):
        return False  # 第十二次 is not 第十三次
    return sum((ca & cb).values()) >= 0.9 * max(len(a), len(b))


_NUMERALS = set("零一二三四五六七八九十百千两0123456789")
_YEAR = re.compile(r"^(?:19|20)\d{2}年(?:度)?")


def _certain(a: Meeting, b: Meeting) -> bool:
    """Both rows give the same day and the same chair: one meeting whatever else differs."""
    return bool(a.date and b.date and a.chair_name and b.chair_name and fold(a.chair_name) == fold(b.chair_name)) \
        and same_day(a.date, b.date)


def _agree(a: Meeting, b: Meeting) -> bool:
    if not same_day(a.date, b.date):
        return False
    return not (a.chair_name and b.chair_name and fold(a.chair_name) != fold(b.chair_name))  # 骆一鸣 is 駱一鳴


def _absorb(target: Meeting, row: Meeting, people: bool = True) -> None:
    """``row`` is another report of ``target``: its sources join (and, unless it names a joint
    meeting, its date, chair, people and place fill what ``target`` lacks)."""
    for source in row.sources:
        if (source.source, source.start) not in {(s.source, s.start) for s in target.sources}:
            target.sources.append(source)
    if not people:
        return
    target.date = better(target.date, row.date)
    if target.chair is None and row.chair:
        target.chair, target.chair_name = row.chair, row.chair_name
    known = {fold(p) for p in [target.chair_name, *target.attendees] if p}
    for name in row.attendees:
        if fold(name) not in known:
            target.attendees.append(name)
            known.add(fold(name))
    spoke = {fold(p) for p in target.speakers}
    for name in row.speakers:
        if fold(name) not in spoke:
            target.speakers.append(name)
            spoke.add(fold(name))
    target.place = target.place or row.place
    target.mentioned = target.mentioned and row.mentioned
    for extra in row.evidence:
        if (extra.source, extra.start) not in {(s.source, s.start) for s in target.evidence}:
            target.evidence.append(extra)
