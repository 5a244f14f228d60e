"""Example questions built from the indexed documents, so a new user sees what this corpus answers.

They are read off the text with the same phrase finders the reader uses: a chaired meeting
gives "谁主持了…？", a person attending gives "…参加了哪些会议？". A corpus without such
sentences gets no examples rather than questions about documents it does not hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..ingest.passages import Passage
from ..ingest.phrases import MEETING_END, is_named, named_phrases, people
from ..ingest.script import fold

_CHAIRED = re.compile(r"主持")
_ATTENDED = re.compile(r"出席|参加")


def example_questions(passages: Iterable[Passage], n: int = 4) -> list[str]:
    """Up to ``n`` distinct questions, alternating kinds, in the order the documents give them."""
    chaired: list[str] = []
    attended: list[str] = []
    for passage in passages:
        text = fold(passage.text)
        for s, e in passage.sentences:
            if _CHAIRED.search(text, s, e):
                for a, b in named_phrases(text, s, e, MEETING_END):
                    if is_named(text, (a, b)) and b - a <= 30:
                        chaired.append(f"谁主持了{passage.text[a:b]}？")
            if _ATTENDED.search(text, s, e):
                for a, b, _ in people(text, s, e)[:1]:
                    attended.append(f"{passage.text[a:b]}参加了哪些会议？")
        if len(set(chaired)) >= n and len(set(attended)) >= n:
            break
    out: list[str] = []
    for pair in zip(dict.fromkeys(chaired), dict.fromkeys(attended)):
        out.extend(pair)
    rest = [q for q in [*dict.fromkeys(chaired), *dict.fromkeys(attended)] if q not in out]
    return (out + rest)[:n]
