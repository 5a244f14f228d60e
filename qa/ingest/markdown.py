"""Markdown notes as plain text: what the cleaner reads for a .md file.

People keep meeting notes in Markdown: headings, bullet lists of fields ("- **时间**：3月19日"),
tables of figures, to-do lists. Read as prose, a list's lines ran into one another (an item
with a comma looks like a line the layout broke) and a table's figures lost the column that
says what they count. Here each item becomes a line of its own, ended like a sentence, and
each table row a line of "column：value" fields, so that "产业项目 | 124" reads as
"类别：产业项目，项目数：124".
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
#: Inline markup, its text kept: images (alt), links (text), bold, italics, code.
_INLINE = ((re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"), (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
           (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"), (re.compile(r"(?<![*\d])\*(?![\s*])(.+?)(?<![\s*])\*(?![*\d])"), r"\1"),
           (re.compile(r"`([^`]+)`"), r"\1"))
#: What ends a sentence: an item already ended keeps its own punctuation.
_ENDED = re.compile(r"[。！？!?；;…]$")


def markdown_to_text(markdown: str) -> str:
    """Plain text of a Markdown document: a heading or a paragraph line is a line, a whole list or
    table one line (a paragraph) of sentences, one per item or row."""
    out: list[str] = []
    header: list[str] | None = None
    run = False  # the last line out is a list or a table that the next item or row continues
    for line in markdown.splitlines():
        if _FENCE.match(line) or _RULE.match(line):
            continue
        if _is_row(line):
            cells = [_inline(c.strip()) for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            elif not _TABLE_RULE.match(line):
                run = _add(out, _row(header, cells), run)
            continue
        header = None
        line = _QUOTE.sub("", line)
        if item := _ITEM.match(line):
            text = _inline(line[item.end():]).strip()
            run = _add(out, text if not text or _ENDED.search(text) else text + "。", run)
            continue
        run = False
        heading = _HEADING.match(line)
        out.append(_inline(heading.group(1) if heading else line))
    return "\n".join(out) + "\n"


def _add(out: list[str], sentence: str, run: bool) -> bool:
    if run:
        out[-1] += sentence
    else:
        out.append(sentence)
    return True


def _is_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


def _row(header: list[str], cells: list[str]) -> str:
    """"类别：产业项目，项目数：124。": each value with its column's name, where the header gives one."""
    fields = [f"{name}：{value}" if name and value and name != value else value
              for name, value in zip(header + [""] * len(cells), cells) if value]
    return "，".join(fields) + "。" if fields else ""


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text
