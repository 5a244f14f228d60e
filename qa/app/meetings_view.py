"""The meeting table and its timeline as HTML: pure functions from ``Bot.meetings()`` rows.

A Gradio Dataframe could not be made readable on both screens (on a phone its headers wrapped
one letter per line and columns were cut off; on a desktop file names wrapped over three lines
and 2.5 rows showed), so the table is our own markup: a grid of rows on a wide screen, one card
per meeting on a narrow one (CSS only, see ``MEETINGS_CSS``). Each row is a ``<details>``: a click
opens its evidence sentences with the chair marked, in place. Column headers sort the rows in
the browser (``SORT_JS``); the rows arrive in the API's date order.

Dates are written one way: ``2020-02-17``, or ``02-17`` where the text gives no year; a relative
date the report gave no publication date for ("昨天") is marked as such and sorts with the
undated rows, after every dated one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..ingest.meetings import Meeting, MeetingSource
from .render import esc

#: (key, header); the key names the cell's class and its sort attribute.
COLUMNS = [("n", "#"), ("date", "日期 Date"), ("name", "会议 Meeting"), ("chair", "主持 Chair"),
           ("attendees", "参加 Attendees"), ("speakers", "讲话 Speakers"), ("place", "地点 Place"),
           ("source", "来源 Source")]
NOT_NAMED = "未写明 not named"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WRITTEN = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_MARK = "background:#fde68a;border-radius:3px;padding:0 2px;font-weight:600"
#: Colours of the timeline's chairs (one per lane, in order of first appearance).
PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#4b5563",
           "#b45309"]


def day_of(date: str | None) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a meeting date, ISO or as written; None for "昨天" or none."""
    if not date:
        return None
    if m := _ISO.fullmatch(date):
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    if m := _WRITTEN.fullmatch(date):
        return (int(m.group(1)) if m.group(1) else None), int(m.group(2)), int(m.group(3))
    return None


def date_text(date: str | None) -> str:
    """The one written form: 2020-02-17, or 02-17 without a year; anything else as written."""
    day = day_of(date)
    if day is None:
        return date or ""
    year, month, d = day
    return f"{year:04d}-{month:02d}-{d:02d}" if year else f"{month:02d}-{d:02d}"


def render_date(date: str | None) -> str:
    if not date:
        return '<span class="qa-nodate" title="日期未写明 · no date given">—</span>'
    if day_of(date) is None:  # "昨天" in a report without a publication date: no day to put it on
        return (f'<span class="qa-relative" title="相对日期：报道没有写明发布日期，无法换算成日期 · a relative date: '
                f'the report gives no publication date to count from">{esc(date)}'
                '<span class="qa-tag">相对 relative</span></span>')
    year = "" if day_of(date)[0] else ' title="原文没有写年份 · the text gives no year"'
    return f'<time{year}>{esc(date_text(date))}</time>'


def short_source(name: str, keep: int = 6) -> str:
    """A file name short enough for one line: "000_f8….txt" (the whole name is on hover)."""
    dot = name.rfind(".")
    stem, suffix = (name[:dot], name[dot:]) if 0 < dot and len(name) - dot <= 6 else (name, "")
    return name if len(stem) <= keep + 2 else f"{stem[:keep]}…{suffix}"


def render_table(rows: Sequence[Meeting]) -> str:
    """The rows as a sortable grid (cards on a phone); empty rows say so."""
    if not rows:
        return '<div class="qa-meet qa-meet-none qa-muted">没有符合条件的会议 · No meetings match.</div>'
    head = "".join(f'<button type="button" class="qa-meet-sort qa-c-{key}" data-sort="{key}">{esc(label)}</button>'
                   for key, label in COLUMNS)
    body = "".join(_row(i, m) for i, m in enumerate(rows, 1))
    return (f'<div class="qa-meet" data-rows="{len(rows)}"><div class="qa-meet-head" role="row" '
            f'title="点击排序 · click to sort">{head}</div><div class="qa-meet-rows">{body}</div></div>')


def _row(i: int, m: Meeting) -> str:
    dated = day_of(m.date) is not None
    sources = [f"{s.source} ¶{s.paragraph}" for s in m.sources]
    first = m.sources[0] if m.sources else None
    label = f"{short_source(first.source)} ¶{first.paragraph}" if first else ""
    more = f' <span class="qa-more">+{len(sources) - 1}</span>' if len(sources) > 1 else ""
    tag = ' <span class="qa-tag" title="会议只在文中被提及 · named in passing">提及 mentioned</span>' if m.mentioned else ""
    cells = {
        "n": (str(i), f"{i:05d}"),
        "date": (render_date(m.date), f"{0 if dated else 1}{i:05d}"),  # undated and relative ones last
        "name": (esc(m.name) + tag, m.name),
        "chair": (esc(m.chair or ""), m.chair_name or ""),
        "attendees": (esc("、".join(m.attendees)), "、".join(m.attendees)),
        "speakers": (esc("、".join(m.speakers)), "、".join(m.speakers)),
        "place": (esc(m.place or ""), m.place or ""),
        "source": (f'<span class="qa-file">{esc(label)}</span>{more}', label),
    }
    keys = " ".join(f'data-k{key}="{esc(value)}"' for key, (_, value) in cells.items())
    spans = []
    for key, header in COLUMNS:
        html, value = cells[key]
        hover = "\n".join(sources) if key == "source" else value if key not in ("n", "date") else ""
        title = f' title="{esc(hover)}"' if hover else ""
        empty = " qa-empty" if not value else ""
        spans.append(f'<span class="qa-meet-cell qa-c-{key}{empty}"><span class="qa-meet-label">{esc(header)}</span>'
                     f'<span class="qa-meet-value"{title}>{html}</span></span>')
    return (f'<details class="qa-meet-row" {keys}><summary>{"".join(spans)}</summary>'
            f"{render_evidence(m)}</details>")


def render_evidence(m: Meeting) -> str:
    """The row's evidence sentence(s), escaped, with the chair marked, and where each comes from."""
    return '<div class="qa-meet-quotes">' + "".join(_sentence(s) for s in [*m.sources, *m.evidence]) + "</div>"


def _sentence(s: MeetingSource) -> str:
    text = s.sentence
    if s.chair_span:
        a, b = s.chair_span
        body = f'{esc(text[:a])}<mark class="qa-chair" style="{_MARK}">{esc(text[a:b])}</mark>{esc(text[b:])}'
    else:
        body = esc(text)
    return (f'<div class="qa-quote"><div class="qa-quote-text">{body}</div>'
            f'<div class="qa-muted"><span class="qa-file">{esc(s.source)}</span> ¶{s.paragraph} · '
            f"字符 chars {s.start}–{s.end}</div></div>")


def render_timeline(rows: Sequence[Meeting]) -> str:
    """One lane per chair of ``rows`` (the filtered ones), a dot per dated meeting, dates across."""
    points = [(m, day_of(m.date)) for m in rows if day_of(m.date)]
    if not points:
        return '<div class="qa-tl qa-tl-none qa-muted">时间线：没有写明日期的会议 · Timeline: no dated meetings.</div>'
    with_years = all(d[0] for _, d in points)
    ordinal = {id(m): dt.date(d[0] if with_years else 2000, d[1], d[2]).toordinal() for m, d in points}
    lo, hi = min(ordinal.values()), max(ordinal.values())

    def left(o: int) -> float:
        return 50.0 if hi == lo else 4 + 92 * (o - lo) / (hi - lo)

    lanes: dict[str, dict[int, list[Meeting]]] = {}
    for m, _ in points:
        lanes.setdefault(m.chair_name or NOT_NAMED, {}).setdefault(ordinal[id(m)], []).append(m)
    html = []
    for n, (chair, days) in enumerate(lanes.items()):
        colour = PALETTE[n % len(PALETTE)]
        dots = "".join(
            f'<span class="qa-tl-point" style="left:{left(o):.2f}%;background:{colour}" title="'
            + esc("\n".join(f"{date_text(m.date)} · {m.name} · 主持 Chair: {m.chair or NOT_NAMED}" for m in ms))
            + f'">{len(ms) if len(ms) > 1 else ""}</span>' for o, ms in sorted(days.items()))
        html.append(f'<div class="qa-tl-lane"><div class="qa-tl-who" title="{esc(chair)}">'
                    f'<span class="qa-tl-key" style="background:{colour}"></span>{esc(chair)}</div>'
                    f'<div class="qa-tl-track">{dots}</div></div>')
    ticks = "".join(f'<span class="qa-tl-tick" style="left:{left(o):.2f}%">{_tick_text(o, with_years)}</span>'
                    for o in _ticks(sorted(set(ordinal.values())), left))
    return (f'<div class="qa-tl" data-points="{len(points)}"><div class="qa-tl-title">会议时间线 Timeline · '
            f'每位主持人一行 one line per chair</div>{"".join(html)}'
            f'<div class="qa-tl-lane qa-tl-axis"><div class="qa-tl-who">日期 Date</div>'
            f'<div class="qa-tl-track">{ticks}</div></div></div>')


def _ticks(days: list[int], left) -> list[int]:
    """The days labelled on the axis: the first and the last, and between them any that keep 20 %
    from their neighbours (so labels fit on a phone's narrow track too)."""
    shown: list[int] = []
    for o in days:
        if not shown or left(o) - left(shown[-1]) >= 20:
            shown.append(o)
        elif o == days[-1] and len(shown) > 1:
            shown[-1] = o  # the last day wins over a crowded one before it
    return shown


def _tick_text(ordinal: int, with_years: bool) -> str:
    day = dt.date.fromordinal(ordinal)
    return day.isoformat() if with_years else f"{day.month:02d}-{day.day:02d}"


#: Sorting by a click on a column header, in the browser (the rows carry their sort keys); empty
#: values stay last either way. One listener for the document, so re-rendered tables need none.
SORT_JS = """
<script>
document.addEventListener('click', (event) => {
  const button = event.target.closest('.qa-meet-sort');
  if (!button) return;
  const table = button.closest('.qa-meet');
  const rows = table.querySelector('.qa-meet-rows');
  const ascending = button.getAttribute('aria-sort') !== 'ascending';
  table.querySelectorAll('.qa-meet-sort').forEach((b) => b.removeAttribute('aria-sort'));
  button.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  const key = (row) => row.dataset['k' + button.dataset.sort] || '';
  const sorted = [...rows.children].sort((a, b) => {
    const x = key(a), y = key(b);
    if (!x || !y) return (!x) - (!y);
    const order = x.localeCompare(y, 'zh-Hans-CN');
    return ascending ? order : -order;
  });
  rows.append(...sorted);
});
</script>
"""
