"""The chat page (Gradio): ask in a conversation, read quoted answers, add files, watch the index.

    qa serve                       # http://127.0.0.1:7860
    python app.py --port 8000

The page only shows what :class:`qa.Bot` returns; it never recomputes an answer. The module has
three parts:

* rendering: pure functions from API objects (Answer, IndexStatus, IndexReport, UploadResult)
  to HTML. Every piece of text that comes from a document, a file name or the user goes
  through ``html.escape`` before our own markup (``<mark>``, ``<details>``) is added;
* the page: :func:`build_app` lays out the components and wires events to small handlers;
* serving: :func:`launch` and :func:`serve` (local only by default, no analytics, no share
  link, nothing fetched from the network by the server or the page).

A named endpoint ``/ask`` returns ``bot.ask(question).to_dict()``, the JSON of ``qa ask --json``::

    from gradio_client import Client
    Client("http://127.0.0.1:7860/").predict("南通的代市长是谁？", api_name="/ask")
"""

from __future__ import annotations

import os

# Before gradio is imported: it reads these at import and Blocks() time.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import html  # noqa: E402
import itertools  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import gradio as gr  # noqa: E402

from .answer import Answer, Quote, Source  # noqa: E402
from .bot import Bot, IndexStatus, format_time  # noqa: E402
from .config import Config  # noqa: E402
from .indexer import IndexReport  # noqa: E402
from .progress import STAGES, Progress, console_progress  # noqa: E402
from .store import IndexProblem  # noqa: E402
from .uploads import ADDED, RENAMED, REPLACED, UNCHANGED, UploadResult, save_uploads  # noqa: E402

log = logging.getLogger(__name__)

EXAMPLES = [
    "谁主持召开了市委常委会第167次会议？",
    "许昆林参加了哪些会议？",
    "截至2月16日，无锡规模以上工业企业累计复工比例是多少？",
    "南通的代市长是谁？",
]
#: Characters of passage text shown before and after the quoted sentence.
CONTEXT_CHARS = 60
#: Longest question echoed in full in the conversation.
ECHO_CHARS = 200



# ==================================================================================================
# Rendering: API objects → HTML. Pure functions, no Gradio.
# ==================================================================================================


def esc(text: object) -> str:
    """Text (from a document, a file name or a person) as HTML text, never as markup."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Paragraph:
    """The whole paragraph a quote comes from, and where the quoted passage starts in it."""

    text: str
    offset: int


def marked(text: str, start: int, end: int, marks: Sequence[tuple[int, int]] = (),
           sentence: tuple[int, int] | None = None) -> str:
    """``text[start:end]`` escaped, with ``marks`` in ``<mark>`` and ``sentence`` emphasised.

    Spans are (start, end) offsets into ``text``; parts outside [start, end) are ignored.
    """
    start, end = max(0, start), min(len(text), end)
    clip = [(max(a, start), min(b, end)) for a, b in marks if min(b, end) > max(a, start)]
    cuts = {start, end} | {x for span in clip for x in span}
    if sentence:
        cuts |= {min(max(x, start), end) for x in sentence}
    points = sorted(cuts)
    runs: list[tuple[bool, str]] = []  # (inside the sentence, html)
    for a, b in zip(points, points[1:]):
        piece = esc(text[a:b])
        if any(x <= a and b <= y for x, y in clip):
            piece = f"<mark>{piece}</mark>"
        inside = bool(sentence) and sentence[0] <= a and b <= sentence[1]
        if runs and runs[-1][0] == inside:
            runs[-1] = (inside, runs[-1][1] + piece)
        else:
            runs.append((inside, piece))
    if not sentence:
        return "".join(h for _, h in runs)
    return "".join(f'<span class="{"qa-sentence" if inside else "qa-around"}">{h}</span>' for inside, h in runs)


def render_question(question: str) -> str:
    """The person's question as it appears in the conversation."""
    if not question.strip():
        return '<span class="qa-empty-question">（空问题 empty question）</span>'
    if len(question) > ECHO_CHARS:
        return f"{esc(question[:ECHO_CHARS])}…<span class=\"qa-muted\">（共 {len(question)} 字 characters）</span>"
    return esc(question)


def render_answer(answer: Answer, paragraphs: Sequence[Paragraph | None] = ()) -> str:
    """One reply: the short answer, then one block per quote (``paragraphs[i]`` for quote i)."""
    if answer.kind == "invalid":
        return f'<div class="qa-reply qa-invalid"><div class="qa-notice">{esc(answer.message)}</div></div>'
    parts = [_render_resolved(answer)]
    if not answer.found:
        parts.append(
            '<div class="qa-notice"><span class="qa-notfound-title">没有找到 · Not found</span>'
            f'<span class="qa-notfound-text">{esc(answer.message)}</span></div>'
        )
        if answer.quotes:
            parts.append('<div class="qa-muted qa-nearest">最接近的段落 (nearest passages, not an answer):</div>')
    elif answer.answer:
        parts.append(
            '<div class="qa-short"><span class="qa-label">答案 Answer</span>'
            f'<span class="qa-short-text">{esc(answer.answer)}</span></div>'
        )
    else:
        parts.append('<div class="qa-short qa-short-none">没有可以直接摘出的短答案，请看下面的原文。'
                     '(No short answer could be quoted; see the passages below.)</div>')
    padded = list(paragraphs) + [None] * (len(answer.quotes) - len(paragraphs))
    parts += [render_quote(q, i + 1, p) for i, (q, p) in enumerate(zip(answer.quotes, padded))]
    kind = "qa-found" if answer.found else "qa-notfound"
    return f'<div class="qa-reply {kind}">{"".join(parts)}</div>'


def _render_resolved(answer: Answer) -> str:
    if not answer.resolved_question:
        return ""
    return (f'<div class="qa-resolved">↪ 结合上文理解为 (understood as)：'
            f'<span class="qa-resolved-text">{esc(answer.resolved_question)}</span></div>')


def render_quote(quote: Quote, number: int, paragraph: Paragraph | None = None) -> str:
    """A quote block: the sentence in its context, its source(s), and the whole paragraph on a click."""
    s, e = quote.sentence_span
    lo, hi = max(0, s - CONTEXT_CHARS), min(len(quote.text), e + CONTEXT_CHARS)
    before = "…" if lo > 0 else ""
    after = "…" if hi < len(quote.text) else ""
    body = marked(quote.text, lo, hi, quote.highlights, (s, e))
    return (
        f'<div class="qa-quote" data-source="{esc(quote.source)}">'
        f'<div class="qa-quote-text"><span class="qa-num">{number}</span>'
        f'<span class="qa-context">{before}</span>{body}<span class="qa-context">{after}</span></div>'
        f"{render_sources(quote)}"
        f"{_render_paragraph(quote, paragraph)}"
        "</div>"
    )


def render_sources(quote: Quote) -> str:
    sources = quote.sources or [Source(quote.source, quote.paragraph, quote.title, quote.date)]
    items = "".join(f"<li>{_render_source(src)}</li>" for src in sources)
    reprint = (f'<div class="qa-reprint">同一段文字见于 {len(sources)} 处 (the same text appears in '
               f"{len(sources)} places)</div>") if len(sources) > 1 else ""
    return f'<div class="qa-sources">{reprint}<ul>{items}</ul></div>'


def _render_source(src: Source) -> str:
    bits = [f'<span class="qa-file">{esc(src.source)}</span>',
            f'<span class="qa-para">第 {src.paragraph} 段 (¶{src.paragraph})</span>']
    if src.date:
        bits.append(f'<span class="qa-date">{esc(src.date)}</span>')
    if src.title:
        short = src.title if len(src.title) <= 40 else src.title[:40] + "…"
        bits.append(f'<span class="qa-title" title="{esc(src.title)}">《{esc(short)}》</span>')
    return " · ".join(bits)


def _render_paragraph(quote: Quote, paragraph: Paragraph | None) -> str:
    if paragraph is None:
        paragraph = Paragraph(quote.text, 0)
    shift = paragraph.offset
    marks = [(a + shift, b + shift) for a, b in quote.highlights]
    s, e = quote.sentence_span
    body = marked(paragraph.text, 0, len(paragraph.text), marks, (s + shift, e + shift))
    return (f'<details class="qa-paragraph"><summary>展开整段 · whole paragraph '
            f'<span class="qa-muted">({len(paragraph.text)} 字)</span></summary>'
            f'<div class="qa-paragraph-text">{body}</div></details>')


def status_title(status: IndexStatus) -> str:
    return f"索引状态 Index status · {len(status.files)} files, {status.passages} passages"


def render_status(status: IndexStatus) -> str:
    """The index panel: totals, model, build time, files with passage counts, skipped files."""
    files = "".join(
        f'<tr><td class="qa-file">{esc(src)}</td><td class="qa-count">{n}</td></tr>' for src, n in status.files
    ) or '<tr><td colspan="2" class="qa-muted">（没有文件 no files）</td></tr>'
    skipped = ""
    if status.skipped:
        rows = "".join(f'<li><span class="qa-file">{esc(s)}</span>：{esc(r)}</li>' for s, r in status.skipped)
        skipped = (f'<div class="qa-skipped"><div class="qa-skipped-title">未收录的文件 skipped '
                   f"({len(status.skipped)})</div><ul>{rows}</ul></div>")
    return (
        '<div class="qa-status">'
        '<dl class="qa-facts">'
        f"<dt>文件 Files</dt><dd>{len(status.files)}</dd>"
        f"<dt>段落 Passages</dt><dd>{status.passages}</dd>"
        f'<dt>模型 Model</dt><dd class="qa-wrap">{esc(status.model)} (dim {status.dim})</dd>'
        f"<dt>版本 Generation</dt><dd>{esc(status.generation)}</dd>"
        f"<dt>建立于 Built</dt><dd>{esc(format_time(status.built))}</dd>"
        f'<dt>文件夹 Corpus</dt><dd class="qa-wrap">{esc(status.corpus)}</dd>'
        "</dl>"
        f'<div class="qa-files"><table><thead><tr><th>文件 File</th><th>段落 Passages</th></tr></thead>'
        f"<tbody>{files}</tbody></table></div>"
        f"{skipped}"
        "</div>"
    )


_STATUS_TEXT = {
    ADDED: ("qa-ok", "已添加 added"),
    REPLACED: ("qa-ok", "已替换 replaced"),
    RENAMED: ("qa-warn", "已另存 saved as new name"),
    UNCHANGED: ("qa-same", "未改动 unchanged"),
}


def render_uploads(results: Sequence[UploadResult], report: IndexReport | None = None,
                   error: str | None = None, run: int = 0) -> str:
    """What happened to each uploaded file, and to the index (``run`` numbers the reports)."""
    items = []
    for r in results:
        css, label = _STATUS_TEXT.get(r.status, ("qa-bad", "未添加 rejected"))
        name = esc(r.saved or r.original)
        note = "" if r.status in (ADDED, REPLACED) else f'<div class="qa-muted">{esc(r.message)}</div>'
        items.append(f'<li class="{css}"><span class="qa-badge">{label}</span> <span class="qa-file">{name}</span>'
                     f"{note}</li>")
    parts = [f'<ul class="qa-uploads">{"".join(items)}</ul>'] if items else []
    if error:
        parts.append(f'<div class="qa-bad">{esc(error)}</div>')
    if report is not None:
        parts.append(render_report(report, only={r.saved for r in results if r.saved}))
    return f'<div class="qa-upload-result" data-run="{run}">{"".join(parts)}</div>'


def render_report(report: IndexReport, only: set[str] | None = None) -> str:
    """One line on an index update, plus the files it could not read (among ``only``, if given)."""
    line = (f"索引已更新 Index updated: {len(report.added)} added, {len(report.changed)} changed, "
            f"{len(report.removed)} removed; {report.embedded} passages embedded; "
            f"now {report.files} files, {report.passages} passages ({esc(report.generation or '')}).")
    skipped = [(s, r) for s, r in report.skipped if only is None or s in only]
    rows = "".join(f'<li class="qa-bad"><span class="qa-file">{esc(s)}</span>：{esc(r)}</li>' for s, r in skipped)
    unread = f'<div>无法收录 (could not be indexed):</div><ul>{rows}</ul>' if rows else ""
    return f'<div class="qa-report">{line}{unread}</div>'


# ==================================================================================================
# The page: components and event handlers.
# ==================================================================================================

Chat = list[dict]
Turns = list[list]  # [[question searched, short answer or None], ...] for bot.ask(history=...)


def paragraphs_for(bot: Bot, answer: Answer) -> list[Paragraph | None]:
    """The stored paragraph of each quote (reads the index; computes nothing new)."""
    generation = bot.generation
    out: list[Paragraph | None] = []
    for quote in answer.quotes:
        try:
            pieces = generation.paragraph(quote.source, quote.paragraph)
        except Exception:  # a generation closed by a concurrent rebuild: show the passage alone
            log.debug("paragraph lookup failed", exc_info=True)
            pieces = []
        out.append(_locate(quote, pieces))
    return out


def _locate(quote: Quote, pieces: list) -> Paragraph | None:
    text, offset, found = "", 0, False
    for piece in pieces:
        if not found and (piece.id == quote.passage_id or piece.text == quote.text):
            offset, found = len(text), True
        text += piece.text
    return Paragraph(text, offset) if found else None


class Handlers:
    """The page's event handlers; each takes component values and returns component values."""

    def __init__(self, bot: Bot):
        self.bot = bot
        self._runs = itertools.count(1)  # numbers the upload/rebuild reports

    # --- conversation ---------------------------------------------------------------------------

    def show_question(self, question: str, chat: Chat) -> tuple[Chat, str, str]:
        """Echo the question at once; the answer follows in :meth:`answer`."""
        chat = list(chat or []) + [{"role": "user", "content": render_question(question or "")}]
        return chat, "", question or ""

    def answer(self, question: str, chat: Chat, turns: Turns, k: float, follow_ups: bool) -> tuple[Chat, Turns]:
        history = [tuple(t) for t in turns] if follow_ups else None
        try:
            answer = self.bot.ask(question, history=history, k=int(k))
        except IndexProblem as exc:  # e.g. the index was replaced by one built with another model
            log.warning("cannot answer: %s", exc)
            answer = Answer(question, None, False, [], kind="invalid",
                            message=f"索引不可用 (the index cannot be used): {exc}")
        reply = render_answer(answer, paragraphs_for(self.bot, answer))
        chat = list(chat or []) + [{"role": "assistant", "content": reply}]
        if answer.kind != "invalid":
            turns = list(turns or []) + [[answer.resolved_question or question.strip(), answer.answer]]
        return chat, turns

    def example(self, sample: list | str, chat: Chat) -> tuple[Chat, str, str]:
        question = sample[0] if isinstance(sample, (list, tuple)) else str(sample)
        return self.show_question(question, chat)

    @staticmethod
    def clear() -> tuple[Chat, Turns]:
        return [], []

    # --- the API endpoint ------------------------------------------------------------------------

    def ask_api(self, question: str) -> dict:
        """The same JSON as ``qa ask --json``."""
        return self.bot.ask(question).to_dict()

    # --- files and index -------------------------------------------------------------------------

    def status_panel(self) -> tuple[str, gr.Accordion]:
        """The status HTML, and the panel's title with the totals (seen while it is closed)."""
        status = self.bot.status()
        return render_status(status), gr.Accordion(label=status_title(status))

    def upload(self, files: list | None, replace: bool, progress: gr.Progress = gr.Progress()) -> tuple:
        paths = [Path(_file_path(f)) for f in (files or [])]
        if not paths:
            return _notice("请先选择要添加的文件。(Choose files to add first.)", next(self._runs)), \
                *self.status_panel(), None
        progress(0, desc="保存文件 Saving files")
        results = save_uploads(self.bot.config.corpus, [(p.name, p) for p in paths], self.bot.config,
                               replace=bool(replace))
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
            return None, f"索引没有更新 (the index was not updated): {exc}"


def _file_path(f: object) -> str:
    """Gradio hands files over as paths (type="filepath") or objects with a .name/.path."""
    if isinstance(f, (str, Path)):
        return str(f)
    return str(getattr(f, "path", None) or getattr(f, "name"))


def _progress_callback(progress: gr.Progress) -> Progress:
    def update(stage: str, done: int, total: int) -> None:
        progress(done / total if total else 0.0, desc=STAGES.get(stage, stage))
    return update


def _notice(text: str, run: int) -> str:
    return f'<div class="qa-upload-result" data-run="{run}"><div class="qa-muted">{esc(text)}</div></div>'


PRIVATE = {"api_visibility": "private"}  # the page's own events; only /ask is an API


def build_app(bot: Bot) -> gr.Blocks:
    """The whole page over ``bot``. Launch it with :func:`launch` (it adds the styles)."""
    h = Handlers(bot)
    config = bot.config
    with gr.Blocks(title="文档问答 · Document QA", analytics_enabled=False, fill_width=True) as app:
        gr.HTML(_HEADER, elem_id="qa-header")
        turns = gr.State([])
        pending = gr.State("")
        with gr.Row(equal_height=False):
            with gr.Column(scale=7, min_width=420):
                chat = gr.Chatbot(
                    label="对话 Conversation", show_label=False, elem_id="qa-chat", height="66vh", min_height=360,
                    layout="panel", placeholder=_PLACEHOLDER, autoscroll=False,  # SCROLL_JS instead
                    # Our HTML is built from escaped text; no Markdown or LaTeX re-reading of it,
                    # and the browser-side sanitizer stays on as a second line of defence.
                    render_markdown=False, sanitize_html=True, latex_delimiters=[], allow_tags=False,
                    feedback_options=None, buttons=[], group_consecutive_messages=False,
                )
                with gr.Row(equal_height=True, elem_id="qa-ask-row"):
                    question = gr.Textbox(
                        show_label=False, placeholder="输入问题，按回车提问 · Ask a question about the documents",
                        max_lines=4, scale=6, elem_id="qa-question", autofocus=True, submit_btn=False,
                    )
                    ask = gr.Button("提问 Ask", variant="primary", scale=1, min_width=90, elem_id="qa-ask")
                examples = gr.Dataset(
                    label="示例问题 Example questions", components=[gr.Textbox(visible=False)],
                    samples=[[q] for q in EXAMPLES], type="values", elem_id="qa-examples",
                    layout="gallery",
                )
            with gr.Column(scale=3, min_width=300, elem_id="qa-side"):
                with gr.Accordion("设置 Settings", open=True):
                    top_k = gr.Slider(1, 10, value=config.top_k, step=1, label="引文数量 Quotes shown (top-k)")
                    follow_ups = gr.Checkbox(value=True, label="结合上文理解追问 Use the conversation for follow-ups")
                    clear = gr.Button("新对话 New conversation", size="sm")
                with gr.Accordion("添加文件 Add documents", open=True):
                    files = gr.File(
                        label=f"{' '.join(config.extensions)} · ≤ {config.max_file_mb:g} MB",
                        file_count="multiple", file_types=list(config.extensions), type="filepath",
                        elem_id="qa-files", height=120,
                    )
                    replace = gr.Checkbox(value=False, label="替换同名文件 Replace files with the same name",
                                          elem_id="qa-replace")
                    add = gr.Button("添加并更新索引 Add and index", variant="primary", size="sm", elem_id="qa-add")
                    upload_result = gr.HTML(elem_id="qa-upload-result")
                with gr.Accordion(status_title(bot.status()), open=False, elem_id="qa-status-panel") as panel:
                    status = gr.HTML(elem_id="qa-status")
                    with gr.Row():
                        refresh = gr.Button("刷新 Refresh", size="sm")
                        rebuild = gr.Button("全部重建 Rebuild all", size="sm", variant="stop", elem_id="qa-rebuild")

        def answer_after(shown: gr.events.Dependency) -> None:
            """Asked (question echoed) → scroll to it → answer → scroll to the question again."""
            shown.then(None, js=SCROLL_JS, **PRIVATE) \
                .then(h.answer, [pending, chat, turns, top_k, follow_ups], [chat, turns],
                      show_progress="minimal", concurrency_id="ask", **PRIVATE) \
                .then(None, js=SCROLL_JS, **PRIVATE)

        for trigger in (question.submit, ask.click):
            answer_after(trigger(h.show_question, [question, chat], [chat, question, pending], queue=False,
                                 **PRIVATE))
        answer_after(examples.click(h.example, [examples, chat], [chat, question, pending], queue=False,
                                    **PRIVATE))
        clear.click(h.clear, None, [chat, turns], queue=False, **PRIVATE)

        indexing = dict(concurrency_id="index", concurrency_limit=1, **PRIVATE)
        add.click(lambda: "", None, upload_result, queue=False, **PRIVATE) \
            .then(h.upload, [files, replace], [upload_result, status, panel, files], **indexing)
        rebuild.click(h.rebuild, None, [upload_result, status, panel], **indexing)
        refresh.click(h.status_panel, None, [status, panel], **PRIVATE)
        app.load(h.status_panel, None, [status, panel], **PRIVATE)

        gr.api(h.ask_api, api_name="ask", concurrency_id="ask",
               api_description="Answer a question with quotes; the JSON of `qa ask --json`.")
    app.qa_bot = bot  # for launch() and tests
    return app


#: Brings the latest question (and the top of its answer) into view inside the conversation box:
#: a long answer should be read from its short answer down, not from its last quote up.
SCROLL_JS = """
() => {
  const rows = document.querySelectorAll('#qa-chat .user-row');
  const row = rows[rows.length - 1];
  const box = document.querySelector('#qa-chat [role="log"]');
  if (!row || !box) return;
  const top = row.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 8;
  box.scrollTo({top: Math.max(0, top), behavior: 'smooth'});
}
"""

_HEADER = """
<div class="qa-header">
  <div class="qa-header-title">文档问答 <span class="qa-header-en">Document QA</span></div>
  <div class="qa-header-sub">每个答案都直接引自文档，并标明出处 · Every answer is quoted from the documents, with its source.</div>
</div>
"""

_PLACEHOLDER = ("**问一个关于文档的问题** · Ask a question about the documents  \n"
                "可以追问，例如“他还参加了哪些会议？” · Follow-up questions work too.")

CSS = """
#qa-header { margin-bottom: 2px; }
.qa-header { padding: 4px 2px 0; }
.qa-header-title { font-size: 1.45rem; font-weight: 700; letter-spacing: .02em; }
.qa-header-en { font-weight: 400; color: var(--body-text-color-subdued); font-size: 1.05rem; margin-left: .3em; }
.qa-header-sub { color: var(--body-text-color-subdued); font-size: .92rem; margin-top: 2px; }
.qa-muted { color: var(--body-text-color-subdued); font-size: .88em; }
.qa-empty-question { color: var(--body-text-color-subdued); font-style: italic; }

#qa-chat .qa-reply { line-height: 1.75; font-size: 15px; }
.qa-short { display: flex; align-items: baseline; gap: .6em; margin: 2px 0 10px; flex-wrap: wrap; }
.qa-label { font-size: .75em; font-weight: 600; color: #fff; background: #16a34a; border-radius: 4px;
            padding: 1px 7px; white-space: nowrap; }
.qa-short-text { font-size: 1.22em; font-weight: 700; }
.qa-short-none { color: var(--body-text-color-subdued); }
.qa-resolved { font-size: .85em; color: var(--body-text-color-subdued); margin-bottom: 6px; }
.qa-resolved-text { color: var(--body-text-color); font-weight: 600; }

.qa-quote { border-left: 3px solid #f59e0b; background: var(--background-fill-secondary);
            border-radius: 0 8px 8px 0; padding: 8px 12px; margin: 8px 0; }
.qa-quote-text { color: var(--body-text-color); }
.qa-num { display: inline-block; min-width: 1.4em; height: 1.4em; line-height: 1.4em; text-align: center;
          font-size: .75em; font-weight: 700; border-radius: 50%; background: #f59e0b; color: #fff;
          margin-right: .5em; vertical-align: .1em; }
.qa-context { color: var(--body-text-color-subdued); }
.qa-quote-text .qa-around { color: var(--body-text-color-subdued); }
.qa-sentence { color: var(--body-text-color); }
.qa-paragraph-text .qa-sentence { background: rgba(253, 224, 71, .18); border-radius: 3px; }
.qa-reply mark, .qa-paragraph-text mark { background: #fde047; color: #1f2937; padding: 0 2px; border-radius: 3px;
            font-weight: 600; }
.qa-sources { font-size: .82em; color: var(--body-text-color-subdued); margin-top: 4px; }
.qa-sources ul { list-style: none; padding: 0 !important; margin: 0 !important; }
.qa-sources li { margin: 0 !important; padding: 0 !important; }
.qa-sources li::before { content: none !important; }
.qa-file { font-family: var(--font-mono); font-size: .95em; word-break: break-all; }
.qa-reprint { font-weight: 600; color: #b45309; }
.qa-paragraph { margin-top: 4px; font-size: .9em; }
.qa-paragraph summary { cursor: pointer; color: var(--link-text-color, #2563eb); user-select: none; }
.qa-paragraph-text { margin-top: 6px; padding: 8px 10px; border-radius: 6px; background: var(--background-fill-primary);
                     border: 1px solid var(--border-color-primary); white-space: pre-wrap; }

.qa-notfound .qa-notice, .qa-invalid .qa-notice { border: 1px dashed #9ca3af;
            background: var(--background-fill-secondary);
            border-radius: 8px; padding: 8px 12px; color: var(--body-text-color-subdued); }
.qa-notfound-title { font-weight: 700; margin-right: .6em; color: var(--body-text-color); }
.qa-invalid .qa-notice { border-color: #f59e0b; }
.qa-nearest { margin-top: 8px; }

#qa-side .qa-status { font-size: .88em; }
.qa-facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 8px; }
.qa-facts dt { color: var(--body-text-color-subdued); }
.qa-facts dd { margin: 0; font-weight: 600; }
.qa-wrap { word-break: break-all; }
.qa-files { max-height: 220px; overflow: auto; border: 1px solid var(--border-color-primary); border-radius: 6px; }
.qa-files table { width: 100%; border-collapse: collapse; margin: 0; }
.qa-files th, .qa-files td { padding: 3px 8px !important; text-align: left; border: none !important;
                             border-bottom: 1px solid var(--border-color-primary) !important; }
.qa-files tr:last-child td { border-bottom: none !important; }
.qa-files th { position: sticky; top: 0; background: var(--background-fill-secondary); font-weight: 600; }
.qa-count { text-align: right !important; font-variant-numeric: tabular-nums; }
.qa-skipped { margin-top: 8px; color: #b45309; }
.qa-skipped-title { font-weight: 600; }
.qa-skipped ul, .qa-uploads { margin: 4px 0; padding-left: 1.1em; }
.qa-upload-result { font-size: .88em; }
.qa-uploads { list-style: none; padding-left: 0 !important; }
.qa-uploads li { margin: 4px 0; }
.qa-badge { font-size: .8em; font-weight: 700; border-radius: 4px; padding: 0 6px; color: #fff; background: #6b7280; }
.qa-ok .qa-badge { background: #16a34a; }
.qa-warn .qa-badge { background: #d97706; }
.qa-same .qa-badge { background: #6b7280; }
.qa-bad .qa-badge { background: #dc2626; }
div.qa-bad, li.qa-bad { color: #b91c1c; }
.qa-report { margin-top: 6px; color: var(--body-text-color-subdued); }
#qa-examples { margin-top: 4px; }
"""

THEME = gr.themes.Soft(
    primary_hue="blue", secondary_hue="slate", neutral_hue="slate",
    # System fonts only: the page must not fetch web fonts.
    font=("system-ui", "-apple-system", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
          "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"),
    font_mono=("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"),
)


# ==================================================================================================
# Serving.
# ==================================================================================================


def launch(app: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, block: bool = True,
           quiet: bool = False) -> str:
    """Start ``app`` on host:port (local only unless host says otherwise); returns the URL.

    With ``block=False`` it returns at once and the server runs in a thread (``app.close()``).
    """
    bot: Bot | None = getattr(app, "qa_bot", None)
    limit_mb = bot.config.max_file_mb if bot else 20.0
    app.queue(default_concurrency_limit=1)
    _, url, _ = app.launch(
        server_name=host, server_port=port, share=False, inbrowser=False, prevent_thread_lock=not block,
        quiet=quiet, show_error=True, ssr_mode=False, pwa=False, mcp_server=False, enable_monitoring=False,
        footer_links=["api"], theme=THEME, css=CSS,
        # Gradio's own cap is looser than ours, so a file just over the limit gets our clear message.
        max_file_size=f"{int(max(2 * limit_mb, limit_mb + 10))}mb",
    )
    return url


def serve(config: Config, host: str = "127.0.0.1", port: int = 7860) -> None:
    """``qa serve``: open (or build) the index, then serve the page until interrupted."""
    started = time.monotonic()
    print(f"qa: opening the index {config.index} for {config.corpus} …", file=sys.stderr, flush=True)
    bot = Bot.open(config=config, progress=console_progress())
    app = build_app(bot)
    print(f"qa: ready in {time.monotonic() - started:.1f}s; serving on http://{_display_host(host)}:{port}/ "
          "(Ctrl+C to stop)", file=sys.stderr, flush=True)
    launch(app, host=host, port=port, block=True, quiet=True)


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host

