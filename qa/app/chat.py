"""``qa chat``: a conversation in the terminal, through the same :class:`Conversation` as the page.

Follow-ups work as on the page ("他还参加了哪些会议？"); the line editor keeps a history across
sessions (``~/.cache/qa-zh/chat_history``, arrow keys); the short answer is shown in colour (when
the output is a terminal and ``NO_COLOR`` is unset), then each quote with its source. ``/new``
starts a new conversation; ``/quit`` or Ctrl-D leaves.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from ..answer.answer import Answer
from ..bot import Bot

BOLD, ANSWER, MARK, DIM, RESET = "\033[1m", "\033[1;33m", "\033[1;32m", "\033[2m", "\033[0m"
HELP = "问题后按回车；/new 新对话，/quit 退出。(Enter a question; /new starts over, /quit leaves.)"


def chat(bot: Bot, k: int | None = None, color: bool | None = None, history_file: Path | None = None,
         stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    color = _want_color(out) if color is None else color
    history_file = history_file or bot.config.cache_dir / "chat_history"
    readline = _line_editor(history_file)
    conversation = bot.conversation()
    print(HELP, file=out, flush=True)
    try:
        while True:
            try:
                line = (stdin.readline() if stdin else input("问 > "))
            except EOFError:
                break
            if stdin and not line:
                break
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit", "/q"):
                break
            if line in ("/new", "/clear"):
                conversation.clear()
                print("（新对话 new conversation）", file=out, flush=True)
                continue
            print(render(conversation.ask(line, k=k), color), file=out, flush=True)
    finally:
        if readline is not None:
            try:
                readline.write_history_file(str(history_file))
            except OSError:
                pass
    return 0


def render(answer: Answer, color: bool = False) -> str:
    """One reply as terminal text: understood-as line, short answer, quotes with sources."""
    c = (lambda code, text: f"{code}{text}{RESET}") if color else (lambda code, text: text)
    lines = []
    if answer.resolved_question:
        lines.append(c(DIM, f"理解为：{answer.resolved_question}"))
    if answer.kind == "invalid" or not answer.found:
        lines.append(answer.message)
        return "\n".join(lines) + "\n"
    if answer.answer:
        lines.append(f"答案：{c(ANSWER, answer.answer)}")
    else:
        lines.append(answer.message or "没有可以直接摘出的短答案，请看原文。(No short answer; see the quotes.)")
    for i, q in enumerate(answer.quotes, 1):
        where = "；".join(f"{s.source} ¶{s.paragraph}" for s in q.sources)
        lines.append(f"\n[{i}] {c(BOLD, where)}" + (f"  {q.title}" if q.title else ""))
        lines.append("    " + _marked(q.text, q.highlights, q.sentence_span, color))
    return "\n".join(lines) + "\n"


def _marked(text: str, spans: list[tuple[int, int]], sentence: tuple[int, int], color: bool) -> str:
    """The quoted sentence, the answer in colour (or in 【】 without colour)."""
    start, end = sentence
    out, pos = [], start
    for a, b in sorted(spans):
        if a < pos or b > end:
            continue
        out += [text[pos:a], f"{MARK}{text[a:b]}{RESET}" if color else f"【{text[a:b]}】"]
        pos = b
    out.append(text[pos:end])
    return "".join(out)


def _want_color(out: TextIO) -> bool:
    return hasattr(out, "isatty") and out.isatty() and not os.environ.get("NO_COLOR")


def _line_editor(history_file: Path):
    """GNU readline (arrow keys, history kept across sessions) where Python has it."""
    try:
        import readline
    except ImportError:  # e.g. Windows without pyreadline
        return None
    try:
        history_file.parent.mkdir(parents=True, exist_ok=True)
        if history_file.exists():
            readline.read_history_file(str(history_file))
        readline.set_history_length(1000)
    except OSError:
        pass
    return readline
