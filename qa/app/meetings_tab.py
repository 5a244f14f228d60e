"""The page's "会议 Meetings" tab: the meeting table, filters, evidence, CSV and a timeline.

Everything shown comes from ``Bot.meetings()``; this module only lays it out. The table is
sortable (click a column header), filtered by a text box and a person; a click on a row opens
its evidence sentence with the chair marked; the CSV download and the timeline (dates across,
one colour per chair) follow the filters.

page.py adds the tab with :class:`PageTabs`: the chat stays the first tab, untouched.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import weakref
from pathlib import Path

import gradio as gr
import pandas as pd

from ..answer.meetings import csv_text
from ..bot import Bot
from ..ingest.meetings import Meeting, MeetingSource
from .render import esc

HEADERS = ["#", "日期 Date", "会议 Meeting", "主持 Chair", "参加 Attendees", "讲话 Speakers", "地点 Place",
           "来源 Sources", "提及 Mentioned"]
PRIVATE = {"api_visibility": "private"}
_EMPTY_EVIDENCE = '<div class="qa-muted">点击表格中的一行查看原文 · Click a row to see the sentence it comes from.</div>'
_MARK = "background:#fde68a;border-radius:3px;padding:0 2px;font-weight:600"


class MeetingsTab:
    def __init__(self, bot: Bot):
        self.bot = bot
        self._folder = Path(tempfile.mkdtemp(prefix="qa-meetings-"))
        # The CSV downloads live as long as the page; gone when it is collected or the process ends.
        weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)

    def build(self, tab: gr.Tab) -> None:
        with gr.Row(equal_height=True):
            text = gr.Textbox(label="筛选 Filter", placeholder="会议名、人名、日期、地点… · any text in a row",
                              scale=4, elem_id="qa-meet-filter")
            person = gr.Dropdown(label="人物 Person", choices=[], value=None, allow_custom_value=True,
                                 scale=2, elem_id="qa-meet-person")
            download = gr.DownloadButton("下载 CSV · Download", scale=1, elem_id="qa-meet-csv")
        count = gr.HTML(elem_id="qa-meet-count")
        grid = gr.Dataframe(headers=HEADERS, interactive=False, wrap=True, elem_id="qa-meet-table",
                            column_widths=["3%", "9%", "24%", "16%", "16%", "7%", "9%", "11%", "5%"],
                            max_height=420, show_search="none")
        evidence = gr.HTML(_EMPTY_EVIDENCE, elem_id="qa-meet-evidence")
        plot = gr.ScatterPlot(x="day", y="meeting", color="chair", title="会议时间线 Timeline (coloured by chair)",
                              x_title="日期 Date", y_title="", color_title="主持 Chair", sort="x",
                              tooltip=["date", "meeting", "chair"], height=320, elem_id="qa-meet-plot")
        outputs = [grid, plot, download, count, person, evidence]
        for event in (text.submit, text.change, person.change):
            event(self.refresh, [text, person], outputs, **PRIVATE)
        tab.select(self.refresh, [text, person], outputs, **PRIVATE)
        grid.select(self.open_row, [text, person], evidence, **PRIVATE)

    # --- handlers ----------------------------------------------------------------------------

    def rows(self, text: str | None, person: str | None) -> list[Meeting]:
        return self.bot.meetings(person=(person or "").strip() or None, text=(text or "").strip() or None)

    def refresh(self, text: str | None, person: str | None):
        rows = self.rows(text, person)
        everyone = sorted({p for m in self.bot.meetings() for p in m.people})
        csv_path = self._csv_file()
        csv_path.write_text(csv_text(rows), encoding="utf-8-sig")  # BOM: spreadsheets read it as UTF-8
        shown = f"{len(rows)} 个会议 meetings" + (" (筛选后 filtered)" if (text or person) else "")
        dated = sum(1 for m in rows if _day(m.date))
        if dated < len(rows):
            shown += f" · 时间线只画写明月日的 {dated} 个 (the timeline shows the {dated} with a month and day)"
        return (
            pd.DataFrame([_cells(i, m) for i, m in enumerate(rows, 1)], columns=HEADERS),
            _timeline(rows),
            gr.DownloadButton(value=str(csv_path)),
            f'<div class="qa-muted">{esc(shown)}</div>',
            gr.Dropdown(choices=everyone, value=person or None),
            _EMPTY_EVIDENCE,
        )

    def _csv_file(self) -> Path:
        """A file of its own for every refresh (two visitors never share one); old ones are removed."""
        old = sorted(self._folder.glob("*/meetings.csv"), key=lambda p: p.stat().st_mtime)
        for path in old[:-50]:
            shutil.rmtree(path.parent, ignore_errors=True)
        return Path(tempfile.mkdtemp(dir=self._folder)) / "meetings.csv"

    def open_row(self, text: str | None, person: str | None, evt: gr.SelectData) -> str:
        """The clicked row's evidence; found by its "#" cell, so sorting the table changes nothing."""
        values = evt.row_value or []
        try:
            number = int(values[0])
        except (IndexError, TypeError, ValueError):
            return _EMPTY_EVIDENCE
        rows = self.rows(text, person)
        if not 1 <= number <= len(rows):
            return _EMPTY_EVIDENCE
        return render_evidence(rows[number - 1])


def _cells(i: int, m: Meeting) -> list:
    return [i, m.date or "", m.name, m.chair or "", "、".join(m.attendees), "、".join(m.speakers), m.place or "",
            "\n".join(f"{s.source} ¶{s.paragraph}" for s in m.sources), "是 yes" if m.mentioned else ""]


def _day(date: str | None) -> str | None:
    """Month-day for the timeline ("02-17"); the year is shown only where the text gives it."""
    if not date:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date):
        return f"{m.group(2)}-{m.group(3)}"
    if m := re.fullmatch(r"(?:\d{4}年)?(\d{1,2})月(\d{1,2})日", date):
        return f"{int(m.group(1)):02d}-{int(m.group(2)):02d}"
    return None


def _timeline(rows: list[Meeting]) -> pd.DataFrame:
    points = [{"day": _day(m.date), "meeting": _short(m.name), "chair": m.chair_name or "（未写明 not named）",
               "date": m.date} for m in rows if _day(m.date)]
    return pd.DataFrame(points, columns=["day", "meeting", "chair", "date"])


def _short(name: str, n: int = 16) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


def render_evidence(m: Meeting) -> str:
    """The row's evidence sentence(s), escaped, with the chair marked, and where each comes from."""
    title = (f'<div class="qa-meet-evidence-title" style="font-weight:700;margin-bottom:4px">{esc(m.name)}'
             f'<span class="qa-muted" style="font-weight:400"> · {esc(m.date or "日期未写明")}</span></div>')
    parts = [title]
    for s in [*m.sources, *m.evidence]:
        parts.append(_sentence(s))
    return '<div class="qa-meet-quotes">' + "".join(parts) + "</div>"


def _sentence(s: MeetingSource) -> str:
    text = s.sentence
    if s.chair_span:
        a, b = s.chair_span
        body = f'{esc(text[:a])}<mark class="qa-chair" style="{_MARK}">{esc(text[a:b])}</mark>{esc(text[b:])}'
    else:
        body = esc(text)
    return (f'<div class="qa-quote" style="margin:6px 0"><div class="qa-quote-text">{body}</div>'
            f'<div class="qa-muted">{esc(s.source)} ¶{s.paragraph} · 字符 chars {s.start}–{s.end}</div></div>')
