"""The page's event handlers: component values in, component values out; all answers come from Bot."""

from __future__ import annotations

import itertools
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from ..answer.answer import Answer
from ..bot import Bot
from ..index.indexer import IndexReport, Progress
from ..index.store import IndexProblem
from .progress import STAGES
from .render import esc, render_answer, render_question, render_status, render_uploads, status_title
from .uploads import save_uploads

log = logging.getLogger(__name__)

Chat = list[dict]
Turns = list[list]  # [[question searched, short answer or None], ...] for bot.ask(history=...)


class Handlers:
    """The page's event handlers; each takes component values and returns component values."""

    def __init__(self, bot: Bot):
        self.bot = bot
        self._runs = itertools.count(1)  # numbers the upload/rebuild reports

    # --- conversation ---------------------------------------------------------------------------

    def show_question(self, question: str, chat: Chat) -> tuple[Chat, str, str]:
        """Echo the question at once; the answer follows in :meth:`answer`. A blank one (Enter in
        an empty box) is no question: the conversation stays as it was."""
        if not (question or "").strip():
            return list(chat or []), "", ""
        chat = list(chat or []) + [{"role": "user", "content": render_question(question)}]
        return chat, "", question

    def answer(self, question: str, chat: Chat, turns: Turns, k: float, follow_ups: bool) -> tuple[Chat, Turns]:
        """Ask through the bot's :class:`Conversation` over the session's turns, as ``qa chat`` does."""
        if not (question or "").strip():
            return list(chat or []), list(turns or [])
        conversation = self.bot.conversation(history=[tuple(t) for t in turns or []])
        try:
            if follow_ups:
                answer = conversation.ask(question, k=int(k))
            else:
                answer = self.bot.ask_resolved(question, k=int(k))
                if answer.kind != "invalid":
                    conversation.record(question.strip(), answer)
        except IndexProblem as exc:  # e.g. the index was replaced by one built with another model
            log.warning("cannot answer: %s", exc)
            answer = Answer(question, None, False, [], kind="invalid",
                            message=f"索引不可用，无法回答。(The index cannot be used: {exc}.)")
        reply = render_answer(answer)
        chat = list(chat or []) + [{"role": "assistant", "content": reply}]
        return chat, [list(t) for t in conversation.history]

    def example(self, sample: list | str, chat: Chat) -> tuple[Chat, str, str]:
        question = sample[0] if isinstance(sample, (list, tuple)) else str(sample)
        return self.show_question(question, chat)

    @staticmethod
    def clear() -> tuple[Chat, Turns]:
        return [], []

    # --- the API endpoint ------------------------------------------------------------------------

    def ask_api(self, question: str, history: list | None = None) -> dict:
        """The JSON of ``qa ask --json``, plus ``history``: the turns to send with the next question.

        ``history`` is a list of [question, short answer] pairs (oldest first), as returned by the
        previous call; follow-ups ("他还参加了哪些会议？") are resolved against it.
        """
        turns = [(str(t[0]), None if t[1] is None else str(t[1])) for t in (history or []) if len(t) >= 2]
        conversation = self.bot.conversation(history=turns)
        answer = conversation.ask(question, k=None) if question and question.strip() else self.bot.ask(question)
        return {**answer.to_dict(), "history": [list(t) for t in conversation.history]}

    # --- files and index -------------------------------------------------------------------------

    def status_panel(self, selected: str | None = None) -> tuple[str, gr.Accordion, gr.Dropdown]:
        """The status HTML, the panel's title with the totals (seen while it is closed), and the
        files that can be removed (``selected`` stays chosen while it is still there)."""
        status = self.bot.status()
        names = sorted({s for s, _ in status.files} | {s for s, _ in status.skipped})
        return (render_status(status), gr.Accordion(label=status_title(status)),
                gr.Dropdown(choices=names, value=selected if selected in names else None))

    def remove(self, source: str | None, confirmed: bool, progress: gr.Progress = gr.Progress()) -> tuple:
        """Delete one corpus file and re-index; only after the person confirmed it in the browser."""
        if not source or not confirmed:
            text = "请先选择要删除的文件。(Choose a file to remove first.)" if not source else \
                "没有删除。(Nothing was removed.)"
            return _notice(text, next(self._runs)), *self.status_panel(selected=source)
        report, error = self._index(lambda progress: self.bot.remove(source, progress=progress), progress)
        return render_uploads([], report, error, next(self._runs)), *self.status_panel()

    def upload(self, files: list | None, replace: bool, progress: gr.Progress = gr.Progress()) -> tuple:
        paths = [Path(_file_path(f)) for f in (files or [])]
        if not paths:
            return _notice("请先选择要添加的文件。(Choose files to add first.)", next(self._runs)), \
                *self.status_panel(), None
        progress(0, desc="保存文件 Saving files")
        results = save_uploads(self.bot.config.corpus, [(p.name, p) for p in paths], self.bot.config,
                               replace=bool(replace))
        _discard(paths)
        report, error = None, None
        if any(r.wrote for r in results):
            report, error = self._index(self.bot.update, progress)
        return render_uploads(results, report, error, next(self._runs)), *self.status_panel(), None

    def rebuild(self, progress: gr.Progress = gr.Progress()) -> tuple:
        report, error = self._index(self.bot.rebuild, progress)
        return render_uploads([], report, error, next(self._runs)), *self.status_panel()

    @staticmethod
    def _index(run: Callable, progress: gr.Progress) -> tuple[IndexReport | None, str | None]:
        try:
            return run(progress=_progress_callback(progress)), None
        except (IndexProblem, OSError) as exc:
            log.warning("index update failed: %s", exc)
            return None, f"索引没有更新。(The index was not updated: {exc}.)"


def _file_path(f: object) -> str:
    """Gradio hands files over as paths (type="filepath") or objects with a .name/.path."""
    if isinstance(f, (str, Path)):
        return str(f)
    return str(getattr(f, "path", None) or getattr(f, "name"))


def _discard(uploads: list[Path]) -> None:
    """Delete Gradio's temporary copies once handled: what was kept now lives in the corpus, and
    what was refused must not linger on disk. Only files under Gradio's upload folder are touched."""
    root = Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio").resolve()
    for path in uploads:
        path = path.resolve()
        if not path.is_relative_to(root) or path == root:
            continue
        path.unlink(missing_ok=True)
        if path.parent != root:
            try:
                path.parent.rmdir()  # Gradio keeps each upload in a folder of its own
            except OSError:
                pass


def _progress_callback(progress: gr.Progress) -> Progress:
    def update(stage: str, done: int, total: int) -> None:
        progress(done / total if total else 0.0, desc=STAGES.get(stage, stage))
    return update


def _notice(text: str, run: int) -> str:
    return f'<div class="qa-upload-result" data-run="{run}"><div class="qa-muted">{esc(text)}</div></div>'
