"""Questions that name what they ask about outright: "X是谁？" and "南通的代市长是谁？".

They share almost no words with their answers, so overlap features (and the answerability model
built on them) undervalue the passage that answers them; a passage that gives X a title, or
names the place and the title with a person right after it, answers them on its own.
"""

from __future__ import annotations

import re

from ..ingest.phrases import NOT_NAME, TITLES, people
from ..ingest.script import fold
from .question import Question


def title_of(q: Question, folded: str, sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """"X是谁？" asks who X is: the title the text gives X (市长杜小刚 → 市长), not another person."""
    m = re.fullmatch(r"([\u4e00-\u9fff]{2,4})(?:是|为)(?:谁|何人|什么人)[？?]?", q.folded.strip())
    if not m:
        return None
    name = m.group(1)
    for s, e in sentences or [(0, len(folded))]:
        for at in (x.start() + s for x in re.finditer(re.escape(name), folded[s:e])):
            title = re.search(rf"(?:{TITLES})$", folded[max(s, at - 12):at])
            if title:
                start = max(s, at - 12) + title.start()
                # "市委书记" and "副市长": take the organisation and title run right before the name.
                while start > s and re.match(r"[\u4e00-\u9fff]", folded[start - 1]) and \
                        re.search(r"(?:市|省|县|区|委|镇|政府|人大|政协|党组|局|厅|部)$", folded[max(s, start - 4):start]):
                    start -= 1
                return start, at
    return None


def holder_of(q: Question, folded: str, sentences: list[tuple[int, int]],
              heading: str = "") -> tuple[int, int, int] | None:
    """"南通的代市长是谁？": (sentence, start, end) of the person the text names right after that very
    title ("代市长吴新明"), in a passage that also names what the title belongs to (南通): the
    mirror of "X是谁？". Without that name ("上海市长是谁？" over Nantong's news) the answerability
    model decides as for any question."""
    m = re.fullmatch(rf"(?P<org>[\u4e00-\u9fff]{{2,8}}?)的?(?P<title>{TITLES})(?:是|为)(?:谁|哪位|何人)[？?]?",
                     q.folded.strip())
    if not m or not sentences:
        return None
    org = re.sub(r"[市省县区镇]$", "", m.group("org"))
    if len(org) < 2 or org not in folded + "\n" + fold(heading):
        return None
    title = m.group("title")
    for i, (s, e) in enumerate(sentences):
        after = {x.end() + s for x in re.finditer(re.escape(title), folded[s:e])}
        for start, end, _ in people(folded, s, e) if after else []:
            if start in after:
                return i, start, end
            # jieba cuts some names short ("李|卫东"): one character between title and name joins it
            if start - 1 in after and re.match(r"[\u4e00-\u9fff]", folded[start - 1]) and \
                    folded[start - 1] not in NOT_NAME:
                return i, start - 1, end
    return None
