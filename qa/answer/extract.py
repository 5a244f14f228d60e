"""Short answers pulled out of a sentence: people, meetings, numbers, dates, places, titles.

Every function works on folded (simplified) text that is aligned character for character
with the passage, and returns spans into it, so the answer is marked in the quote exactly
where it stands in the document. Nothing here invents text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.phrases import (
    CLAUSE,
    DATE,
    MEETING_END,
    NOT_NAME,
    NUMBER,
    TITLES,
    Span,
    is_named,
    named_phrases,
    people,
    tokens_with,
)
from .question import Question


@dataclass(frozen=True)
class Extraction:
    spans: list[Span]
    #: First sentence index the quote must include (a bare "会议" may point back to an earlier one).
    first_sentence: int


def extract(q: Question, text: str, sentences: list[Span], index: int) -> Extraction | None:
    """Spans answering ``q`` in sentence ``index`` of a passage's folded ``text``."""
    finder = FINDERS.get(q.kind)
    if finder is None:
        return None
    return finder(q, text, sentences, index)


# --- people ----------------------------------------------------------------------------------------


def _who_chaired(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    found = []
    for m in re.finditer("主持", text[s:e]):
        at = s + m.start()
        before = [p for p in people(text, s, at) if at - p[1] <= 1]
        if before:
            start, end, name = before[-1]
            # jieba cuts some four-character names short (欧阳明|远): take the stray character.
            if end < at and len(name) < 4 and text[end] not in NOT_NAME:
                end = at
            found.append((start, end))
            continue
        title = re.search(rf"(?:{TITLES})([\u4e00-\u9fff]{{2,3}})$", text[s:at])
        if title:
            found.append((s + title.start(1), at))
    return Extraction(found[:1], i) if found else None


def _who(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    candidates = [p for p in people(text, s, e) if p[2] not in q.folded]
    if not candidates:
        return None
    anchors = [m.start() + s for w in _anchors(q) for m in re.finditer(re.escape(w), text[s:e])]
    if anchors:
        candidates.sort(key=lambda p: min(min(abs(p[0] - a), abs(p[1] - a)) for a in anchors))
    return Extraction([candidates[0][:2]], i)


def _anchors(q: Question) -> list[str]:
    """Words next to the question word: "谁出席…" → 出席, "代市长是谁" → 代市长."""
    out = []
    if m := re.search(r"(?:谁|哪位|何人)([\u4e00-\u9fff]{2})", q.folded):
        out.append(m.group(1))
    if m := re.search(r"([\u4e00-\u9fff]{2,4}?)(?:是|为)(?:谁|哪位|何人)", q.folded):
        word = m.group(1)
        out.append(word[-3:] if len(word) > 3 else word)
        titles = re.findall(TITLES, word)
        out.extend(titles)
    return out


# --- meetings and other named things -------------------------------------------------------------


def _meeting(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    if q.people and not any(p in text[s:e] for p in q.people):
        return None
    named = [sp for sp in named_phrases(text, s, e, MEETING_END) if is_named(text, sp)]
    if named:
        return Extraction(named[: 3 if q.plural else 1], i)
    # "…杜小刚出席会议。": the meeting was named in an earlier sentence of the passage.
    for j in range(i - 1, -1, -1):
        js, je = sentences[j]
        named = [sp for sp in named_phrases(text, js, je, MEETING_END) if is_named(text, sp)]
        if named:
            return Extraction([named[-1]], j)
    return None


def _what(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    titled = [(m.start(), m.end()) for m in re.finditer(r"《[^《》]{2,60}》", text[s:e])]
    titled = [(s + a, s + b) for a, b in titled]
    if q.head:
        with_head = [sp for sp in titled if q.head in text[sp[0]:sp[1]]]
        if with_head:
            return Extraction(with_head[:1], i)
        named = [sp for sp in named_phrases(text, s, e, re.compile(re.escape(q.head)))
                 if sp[1] - sp[0] > len(q.head) and text[sp[0]:sp[1]] not in q.folded]
        if named:
            return Extraction(named[:1], i)
    return Extraction(titled[:1], i) if titled else None


# --- numbers, dates, places --------------------------------------------------------------------------


def _number(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    best, best_score = None, -1.0
    asked = m.group(1) if (m := re.search(r"([\u4e00-\u9fff]{2})(?:是|为|有|共|达)?(?:多少|几)", q.folded)) else None
    for c in CLAUSE.finditer(text, s, e):
        clause = c.group()
        overlap = sum(len(w) for w in q.words if w in clause) + (3 if asked and asked in clause else 0)
        for m in NUMBER.finditer(text, c.start(), c.end()):
            value = m.group().strip()
            if not re.search(r"\d", value) and len(value) < 2:
                continue
            if value in q.folded or DATE.match(text, m.start()) or _is_date_part(text, m.end()):
                continue
            score = overlap + (5 if _has_unit(value, q.unit) else 0) + (1 if re.search(r"\d", value) else 0)
            if score > best_score:
                best, best_score = (m.start(), m.start() + len(m.group().rstrip())), score
    return Extraction([best], i) if best else None


def _has_unit(value: str, unit: str | None) -> bool:
    if unit == "%":
        return value[-1] in "%％"
    return bool(unit) and value.endswith(unit)


def _is_date_part(text: str, end: int) -> bool:
    return text[end:end + 1] in ("月", "日", "号", "年", "时")


def _when(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    for m in DATE.finditer(text, s, e):
        if m.group() not in q.folded:
            return Extraction([m.span()], i)
    return None


def _where(q: Question, text: str, sentences: list[Span], i: int) -> Extraction | None:
    s, e = sentences[i]
    if q.plural:
        # "无锡胡埭、马山和常州雪堰桥交界": items of a list, minus what the question already names.
        for c in CLAUSE.finditer(text, s, e):
            items = _list_items(text, c.start(), c.end(), q)
            if len(items) >= 2:
                return Extraction(items, i)
    places = [(a, b) for a, b, word in tokens_with(text, s, e, "ns") if word not in q.folded]
    if m := re.search(r"在([\u4e00-\u9fff]{2,12}?)(?:召开|举行|参加|举办|设)", text[s:e]):
        if m.group(1) not in q.folded:
            return Extraction([(s + m.start(1), s + m.end(1))], i)
    return Extraction(places[:2 if q.plural else 1], i) if places else None


def _list_items(text: str, start: int, end: int, q: Question) -> list[Span]:
    items: list[Span] = []
    pos = start
    for part in re.split(r"([、和与及])", text[start:end]):
        if part and part not in "、和与及":
            a, b = pos, pos + len(part)
            for w in sorted(q.words, key=len, reverse=True):  # drop the words the question gave
                if text[a:b].startswith(w):
                    a += len(w)
            rest = text[a:b]
            if 2 <= len(rest) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", rest) and rest not in q.folded:
                items.append((a, b))
        pos += len(part)
    return items if len(items) >= 2 else []


FINDERS = {
    "who-chaired": _who_chaired,
    "who": _who,
    "which-meeting": _meeting,
    "what": _what,
    "number": _number,
    "when": _when,
    "where": _where,
}
