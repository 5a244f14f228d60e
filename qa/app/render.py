"""The page's HTML: pure functions from API objects (Answer, IndexStatus, IndexReport, UploadResult).

Every piece of text that comes from a document, a file name or the user goes through
``html.escape`` before our own markup (``<mark>``, ``<details>``) is added. No Gradio here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..answer.answer import Answer, Paragraph, Quote, Source
from ..bot import IndexStatus, format_time
from ..index.indexer import IndexReport
from .uploads import ADDED, RENAMED, REPLACED, UNCHANGED, UploadResult

#: Characters of passage text shown before and after the quoted sentence.
CONTEXT_CHARS = 60
#: Longest question echoed in full in the conversation.
ECHO_CHARS = 200


def esc(text: object) -> str:
    """Text (from a document, a file name or a person) as HTML text, never as markup."""
    return html.escape(str(text), quote=True)




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


def render_answer(answer: Answer) -> str:
    """One reply: the short answer, then one block per quote."""
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
        parts.append('<div class="qa-short qa-short-none">'
                     + esc(answer.message or '没有可以直接摘出的短答案，请看下面的原文。'
                           '(No short answer could be quoted; see the passages below.)') + '</div>')
    parts += [render_quote(q, i + 1) for i, q in enumerate(answer.quotes)]
    kind = "qa-found" if answer.found else "qa-notfound"
    return f'<div class="qa-reply {kind}">{"".join(parts)}</div>'


def _render_resolved(answer: Answer) -> str:
    if not answer.resolved_question:
        return ""
    return (f'<div class="qa-resolved">↪ 理解为 (understood as)：'
            f'<span class="qa-resolved-text">{esc(answer.resolved_question)}</span></div>')


def render_quote(quote: Quote, number: int) -> str:
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
        f"{_render_paragraph(quote)}"
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
        bits.append(f'<span class="qa-title" title="{esc(src.title)}">“{esc(short_title(src.title))}”</span>')
    return " · ".join(bits)


#: Longest headline shown in a quote's source line (the whole one is on hover).
TITLE_CHARS = 40


def short_title(title: str, limit: int = TITLE_CHARS) -> str:
    """A headline short enough for a source line, cut where it breaks anyway.

    Headlines copied from web pages arrive as their lines joined by spaces; whole lines are kept
    while they fit, else the first line is cut after a clause (，、：；). Never inside a 《…》 the
    cut would leave open, so what is shown is always the page's own words, only fewer.
    """
    if len(title) <= limit:
        return title
    kept = ""
    for line in title.split():
        if len(kept) + len(line) + 1 > limit:
            break
        kept = f"{kept} {line}".strip()
    if not kept:
        head = title[:limit]
        cut = max(head.rfind(c) for c in "，,、：:；;")
        kept = head[: cut + 1] if cut > limit // 3 else head
    if kept.count("《") > kept.count("》"):
        kept = kept[: kept.rfind("《")].rstrip()
    return f"{kept} …" if " " in kept else f"{kept}…"


def _render_paragraph(quote: Quote) -> str:
    paragraph = quote.context or Paragraph(quote.text, 0)
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
        f'<dt>文件夹 Folder</dt><dd class="qa-wrap"><span class="qa-file">{esc(status.corpus)}</span>'
        '<div class="qa-muted">上传的文件保存在这里 · uploads are saved here</div></dd>'
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
