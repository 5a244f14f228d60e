"""The page's "会议 Meetings" tab: the meeting table, filters, evidence, CSV and a timeline.

Everything shown comes from ``Bot.meetings()``; this module wires the filters to it and
:mod:`.meetings_view` lays the rows out (a grid on a wide screen, cards on a phone, a click on a
row opens its evidence with the chair marked, a click on a header sorts). The CSV download and
the timeline (dates across, one line per chair) follow the filters.

page.py adds the tab with :class:`MeetingsTab`: the chat stays the first tab, untouched.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path

import gradio as gr

from ..answer.meetings import csv_text
from ..bot import Bot
from ..ingest.meetings import Meeting
from .meetings_view import day_of, render_table, render_timeline
from .render import esc

PRIVATE = {"api_visibility": "private"}


class MeetingsTab:
    def __init__(self, bot: Bot):
        self.bot = bot
        self._folder = Path(tempfile.mkdtemp(prefix="qa-meetings-"))
        # The CSV downloads live as long as the page; gone when it is collected or the process ends.
        weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)

    def build(self, tab: gr.Tab) -> None:
        with gr.Row(equal_height=True, elem_id="qa-meet-filters"):
            text = gr.Textbox(label="筛选 Filter", placeholder="会议名、人名、日期、地点… · any text in a row",
                              scale=4, min_width=200, elem_id="qa-meet-filter")
            person = gr.Dropdown(label="人物 Person", choices=[], value=None, allow_custom_value=True,
                                 scale=2, min_width=140, elem_id="qa-meet-person")
            download = gr.DownloadButton("下载 CSV · Download", scale=1, min_width=140, elem_id="qa-meet-csv")
        count = gr.HTML(elem_id="qa-meet-count")
        grid = gr.HTML(elem_id="qa-meet-table")
        plot = gr.HTML(elem_id="qa-meet-plot")
        outputs = [grid, plot, download, count, person]
        for event in (text.submit, text.change, person.change):
            event(self.refresh, [text, person], outputs, **PRIVATE)
        tab.select(self.refresh, [text, person], outputs, **PRIVATE)

    # --- handlers ----------------------------------------------------------------------------

    def rows(self, text: str | None, person: str | None) -> list[Meeting]:
        return self.bot.meetings(person=(person or "").strip() or None, text=(text or "").strip() or None)

    def refresh(self, text: str | None, person: str | None):
        rows = self.rows(text, person)
        everyone = sorted({p for m in self.bot.meetings() for p in m.people})
        csv_path = self._csv_file()
        csv_path.write_text(csv_text(rows), encoding="utf-8-sig")  # BOM: spreadsheets read it as UTF-8
        shown = f"{len(rows)} 个会议 meetings" + (" (筛选后 filtered)" if (text or person) else "")
        dated = sum(1 for m in rows if day_of(m.date))
        if dated < len(rows):
            shown += f" · 时间线只画写明月日的 {dated} 个 (the timeline shows the {dated} with a month and day)"
        return (
            render_table(rows),
            render_timeline(rows),
            gr.DownloadButton(value=str(csv_path)),
            f'<div class="qa-muted">{esc(shown)}</div>',
            gr.Dropdown(choices=everyone, value=person or None),
        )

    def _csv_file(self) -> Path:
        """A file of its own for every refresh (two visitors never share one); old ones are removed."""
        old = sorted(self._folder.glob("*/meetings.csv"), key=lambda p: p.stat().st_mtime)
        for path in old[:-50]:
            shutil.rmtree(path.parent, ignore_errors=True)
        return Path(tempfile.mkdtemp(dir=self._folder)) / "meetings.csv"
