"""Example questions built from the indexed documents, so a new user sees what this corpus answers.

They are read off the text with the same phrase finders the reader uses, one kind of question
per kind of sentence, and spread over the documents (one file does not fill the list):

- a meeting chaired by someone → "谁主持了…？";
- a person attending or chairing → "…参加了哪些会议？" (出席, 主持: the sentence's verb), and then the follow-up "他还参加了哪些会议？"
  is worth trying, which the page's placeholder suggests;
- a named meeting in a dated sentence → "…是什么时候召开的？";
- a headline that names a meeting → "…是谁主持的？" when its lead sentence says who chaired.

A corpus without such sentences gets no examples rather than questions about documents it
does not hold.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from ..ingest.passages import Passage
from ..ingest.phrases import DATE, MEETING_END, is_named, named_phrases, people
from ..ingest.script import fold

_CHAIRED = re.compile(r"主持")
_ATTENDED = re.compile(r"出席|参加")
KINDS = ("chaired", "attended", "when")


def example_questions(passages: Iterable[Passage], n: int = 4) -> list[str]:
    """Up to ``n`` distinct questions: kinds in turn, each from the next document in turn."""
    #: kind → source → (what it is about, question); one question per person or meeting and kind
    found: dict[str, dict[str, list[tuple[str, str]]]] = {k: defaultdict(list) for k in KINDS}
    for passage in passages:
        text = fold(passage.text)
        for s, e in passage.sentences:
            meetings = [(a, b) for a, b in named_phrases(text, s, e, MEETING_END)
                        if is_named(text, (a, b)) and b - a <= 30 and not _ASKED.search(text, a, b)]
            if _CHAIRED.search(text, s, e):
                for a, b in meetings[:1]:
                    found["chaired"][passage.source].append((text[a:b], f"谁主持了{passage.text[a:b]}？"))
            verb = _ATTENDED.search(text, s, e) or _CHAIRED.search(text, s, e)
            # Tagging people is the slow part (jieba's HMM): only sentences with the verb need it.
            if verb and (names := people(text, s, e)):  # in the sentence's own words: 出席 / 参加 / 主持
                a, b, name = names[0]
                found["attended"][passage.source].append((name, f"{passage.text[a:b]}{verb.group()}了哪些会议？"))
            if meetings and DATE.search(text, s, e):
                a, b = meetings[0]
                found["when"][passage.source].append((text[a:b], f"{passage.text[a:b]}是什么时候召开的？"))
    out: list[str] = []
    seen: set[tuple[str, str]] = set()
    queues = {k: _round_robin(found[k]) for k in KINDS}
    while len(out) < n and any(queues.values()):
        for kind in KINDS:
            while queues[kind]:
                about, q = queues[kind].pop(0)
                if (kind, about) not in seen and q not in out:
                    seen.add((kind, about))
                    out.append(q)
                    break
            if len(out) >= n:
                break
    return out


#: Meeting names that are really part of a question or a list heading, not a name.
_ASKED = re.compile(r"[？?]|什么|哪")


def _round_robin(by_source: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """The first question of every document, then the second of every document, …"""
    lists = [list(dict.fromkeys(qs)) for qs in by_source.values()]
    out: list[tuple[str, str]] = []
    for i in range(max((len(x) for x in lists), default=0)):
        out.extend(x[i] for x in lists if i < len(x))
    return out
