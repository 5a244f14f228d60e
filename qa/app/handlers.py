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
from . import audit
from .access import Access
from .limits import RateLimiter, too_many
from .progress import STAGES
from .render import esc, render_answer, render_question, render_status, render_uploads, status_title
from .uploads import UploadResult, save_uploads

log = logging.getLogger(__name__)

Chat = list[dict]
Turns = list[list]  # [[question searched, short answer or None], ...] for bot.ask(history=...)


class Handlers:
    """The page's event handlers; each takes component values and returns component values."""

    def __init__(self, bot: Bot, access: Access | None = None):
        self.bot = bot
        self.access = access or Access.from_config(bot.config)
        self.limiter = RateLimiter(bot.config.ask_per_minute, bot.config.ask_burst)
        self._runs = itertools.count(1)  # numbers the upload/rebuild reports

    # --- conversation ---------------------------------------------------------------------------

    def show_question(self, question: str, chat: Chat) -> tuple[Chat, str, str]:
        """Echo the question at once; the answer follows in :meth:`answer`. A blank one (Enter in
        an empty box) is no question: the conversation stays as it was."""
        if not (question or "").strip():
            return list(chat or []), "", ""
        chat = list(chat or []) + [{"role": "user", "content": render_question(question)}]
        return chat, "", question

    def answer(self, question: str, chat: Chat, turns: Turns, k: float, follow_ups: bool,
               request: gr.Request = None) -> tuple[Chat, Turns]:
        """Ask through the bot's :class:`Conversation` over the session's turns, as ``qa chat`` does."""
        if not (question or "").strip():
            return list(chat or []), list(turns or [])
        conversation = self.bot.conversation(history=[tuple(t) for t in turns or []])
        try:
            if wait := self.limiter.wait(client(request)):
                answer = Answer(question or "", None, False, [], kind="invalid", message=too_many(wait))
            elif follow_ups:
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

    def ask_api(self, question: str, history: list | None = None, request: gr.Request = None) -> dict:
        """The JSON of ``qa ask --json``, plus ``history``: the turns to send with the next question.

        ``history`` is a list of [question, short answer] pairs (oldest first), as returned by the
        previous call; follow-ups ("他还参加了哪些会议？") are resolved against it. A client over
        its question limit gets an error saying how long to wait (gradio_client raises it).
        """
        if wait := self.limiter.wait(client(request)):
            raise gr.Error(too_many(wait), title="Busy")
        if not isinstance(question, str):
            message = "问题必须是文字。(The question must be text.)"
            return {**Answer(str(question)[:100], None, False, [], kind="invalid", message=message).to_dict(),
                    "history": []}
        turns = [(str(t[0]), None if t[1] is None else str(t[1])) for t in (history if isinstance(history, list) else [])
                 if isinstance(t, (list, tuple)) and len(t) >= 2]
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

    def remove(self, source: str | None, confirmed: bool, request: gr.Request = None,
               progress: gr.Progress = gr.Progress()) -> tuple:
        """Delete one corpus file and re-index; only after the person confirmed it in the browser."""
        if refused := self._refuse_edit(request, "remove", str(source or "")):
            return refused, *self.status_panel(selected=source)
        if not source or not confirmed:
            text = "请先选择要删除的文件。(Choose a file to remove first.)" if not source else \
                "没有删除。(Nothing was removed.)"
            return _notice(text, next(self._runs)), *self.status_panel(selected=source)
        report, error = self._index(lambda progress: self.bot.remove(source, progress=progress), progress)
        self._audit(request, "remove", source, _outcome(report, error))
        return render_uploads([], report, error, next(self._runs)), *self.status_panel()

    def upload(self, files: list | None, replace: bool, request: gr.Request = None,
               progress: gr.Progress = gr.Progress()) -> tuple:
        paths = [Path(_file_path(f)) for f in (files or [])]
        names = ", ".join(p.name for p in paths)
        limit = self.bot.config.max_uploads
        refused = self._refuse_edit(request, "upload", names)
        if not refused and len(paths) > limit:
            refused = _notice(f"一次最多添加 {limit} 个文件，这次有 {len(paths)} 个，没有添加任何文件。"
                              f"(At most {limit} files per upload; this one had {len(paths)}: nothing was added.)",
                              next(self._runs))
            self._audit(request, "upload", names, f"refused: {len(paths)} files, over the limit of {limit}")
        if refused or not paths:
            _discard(paths)
            return refused or _notice("请先选择要添加的文件。(Choose files to add first.)", next(self._runs)), \
                *self.status_panel(), None
        progress(0, desc="保存文件 Saving files")
        results = save_uploads(self.bot.config.corpus, [(p.name, p) for p in paths], self.bot.config,
                               replace=bool(replace))
        _discard(paths)
        report, error = None, None
        if any(r.wrote for r in results):
            report, error = self._index(self.bot.update, progress)
        for r in results:
            self._audit(request, "upload", _upload_file(r), _upload_outcome(r, report, error))
        return render_uploads(results, report, error, next(self._runs)), *self.status_panel(), None

    def rebuild(self, request: gr.Request = None, progress: gr.Progress = gr.Progress()) -> tuple:
        if refused := self._refuse_edit(request, "rebuild", ""):
            return refused, *self.status_panel()
        report, error = self._index(self.bot.rebuild, progress)
        self._audit(request, "rebuild", "", _outcome(report, error))
        return render_uploads([], report, error, next(self._runs)), *self.status_panel()

    # --- who may change the corpus ----------------------------------------------------------------

    def permissions(self, request: gr.Request = None) -> tuple:
        """On page load: show the editing controls to those who may use them, and why not to others."""
        why = self.access.edit_refusal(user(request))
        return (gr.update(visible=why is None), gr.update(visible=why is None),
                gr.update(value=_notice(why, 0) if why else "", visible=why is not None))

    def _refuse_edit(self, request: gr.Request | None, action: str, file: str) -> str | None:
        """The refusal to show (and log) when this request may not change the corpus."""
        why = self.access.edit_refusal(user(request))
        if why is None:
            return None
        self._audit(request, action, file, f"refused: {why}")
        return _notice(why, next(self._runs))

    def _audit(self, request: gr.Request | None, action: str, file: str, result: str) -> None:
        try:
            audit.record(self.bot.config.index, client(request, address="address "), action, file, result)
        except OSError as exc:  # the change itself stands; say so in the server's log
            log.error("could not write the audit log: %s", exc)

    @staticmethod
    def _index(run: Callable, progress: gr.Progress) -> tuple[IndexReport | None, str | None]:
        try:
            return run(progress=_progress_callback(progress)), None
        except (IndexProblem, OSError) as exc:
            log.warning("index update failed: %s", exc)
            return None, f"索引没有更新。(The index was not updated: {exc}.)"


def user(request: gr.Request | None) -> str | None:
    """The logged-in user's name (None without a login)."""
    return getattr(request, "username", None) or None


def client(request: gr.Request | None, address: str = "") -> str:
    """Who is asking: the user name when logged in, else the client's address."""
    name = user(request)
    if name:
        return name
    host = getattr(getattr(request, "client", None), "host", None)
    return f"{address}{host or 'unknown'}"


def _outcome(report: IndexReport | None, error: str | None) -> str:
    if error:
        return f"failed: {error}"
    if report is None:
        return "ok"
    return (f"ok: {len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed; "
            f"index {report.generation}")


def _upload_file(result: UploadResult) -> str:
    if result.saved and result.saved != result.original:
        return f"{result.original} → {result.saved}"
    return result.saved or result.original


def _upload_outcome(result: UploadResult, report: IndexReport | None, error: str | None) -> str:
    if not result.ok:
        return f"rejected: {result.message}"
    if not result.wrote:
        return result.status
    return f"{result.status}; {_outcome(report, error)}"


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
