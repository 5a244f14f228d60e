"""``qa chat`` in a real pseudo-terminal: follow-ups, the answer in colour, sources, readline history."""

from __future__ import annotations

import codecs
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from qa.answer.answer import Answer, Quote, Source
from qa.app.chat import chat, render

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class Terminal:
    """A child process on a pty: write keys, read until a pattern shows."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                                     close_fds=True)
        os.close(slave)
        self.seen = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def expect(self, pattern: str, timeout: float = 120) -> str:
        """Raw output (with colour codes) up to and including ``pattern`` (matched without them)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            plain = ANSI.sub("", self.seen)
            if re.search(pattern, plain):
                out, self.seen = self.seen, ""
                return out
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    self.seen += self._decoder.decode(os.read(self.master, 65536))
                except OSError:
                    break
        raise AssertionError(f"{pattern!r} did not show; got {ANSI.sub('', self.seen)[-800:]!r}")

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=30)
        finally:
            os.close(self.master)


def test_qa_chat_in_a_terminal(seed_bot, seed_dirs, tmp_path):
    corpus, index = seed_dirs
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "QA_CACHE_DIR": str(tmp_path),
           "TERM": "xterm", "NO_COLOR": "", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    env.pop("NO_COLOR")
    term = Terminal([sys.executable, "-m", "qa.app.cli", "--corpus", str(corpus), "--index", str(index), "chat"], env)
    try:
        term.expect(r"/quit")
        term.send("谁主持召开了市委常委会第167次会议？\r")
        out = term.expect(r"\[1\].*\n.*黄钦.*\n(.|\n)*问 >")
        assert "\x1b[1;33m黄钦\x1b[0m" in out  # the short answer in colour
        assert "001_267acecd1d091097.txt ¶" in ANSI.sub("", out)  # its source
        term.send("他还参加了哪些会议？\r")
        out = ANSI.sub("", term.expect(r"理解为：黄钦参加了哪些会议？(.|\n)*问 >"))
        assert "答案：" in out
        term.send("\x1b[A\x1b[A\r")  # arrow up twice: the first question again, from readline's history
        out = ANSI.sub("", term.expect(r"答案：黄钦(.|\n)*问 >"))
        term.send("/new\r")
        term.expect(r"新对话")
        term.send("他还参加了哪些会议？\r")
        out = ANSI.sub("", term.expect(r"问 >"))
        assert "理解为" not in out
        term.send("/quit\r")
        assert term.close() == 0
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
    assert "他还参加了哪些会议？" in (tmp_path / "chat_history").read_text(encoding="utf-8")


def test_render_without_colour_marks_the_answer():
    text = "市委书记黄钦主持会议。"
    quote = Quote(text=text, sentence=text, source="a.txt", paragraph=3, score=1.0, sentence_span=(0, len(text)),
                  highlights=[(4, 6)], sources=[Source("a.txt", 3)])
    out = render(Answer("谁主持？", "黄钦", True, [quote], kind="who-chaired", resolved_question="谁主持会议？"))
    assert "理解为：谁主持会议？" in out and "答案：黄钦" in out and "【黄钦】" in out and "a.txt ¶3" in out
    assert "\x1b" not in out


def test_chat_reads_questions_from_a_stream(seed_bot, tmp_path):
    import io

    out = io.StringIO()
    chat(seed_bot, history_file=tmp_path / "h", stdin=io.StringIO("南通的代市长是谁？\n\n/quit\n"), out=out)
    assert "答案：吳新明" in out.getvalue()
