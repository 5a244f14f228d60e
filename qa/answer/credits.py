"""Who wrote, reported, edited or recorded a report: "这篇报道的记者是谁？", "那篇评论是谁写的？",
"会议由谁记录？".

A page names them in its byline and chrome ("本报讯（记者 某某）", "责任编辑：某某"), which the cleaner keeps
as paragraphs after the article's (see :mod:`..ingest.clean`). The question names a role, or asks who
wrote the piece; the answer is the name written right after that role.
"""

from __future__ import annotations

import re

from ..ingest.clean import OFFICE
from ..ingest.phrases import person_like

#: Roles a page credits, as folded text writes them.
ROLES = ("记者", "通讯员", "实习生", "评论员", "责任编辑", "编辑", "作者", "审核", "摄影", "撰稿", "记录人", "记录")
_ROLE = "|".join(sorted(ROLES, key=len, reverse=True))
#: "…的记者是谁", "责任编辑叫什么", "作者是哪位".
_ASKED_ROLE = re.compile(rf"(?P<role>{_ROLE})人?(?:是谁|是哪位|是哪一位|叫什么|叫啥|姓名|名字|是何人)")
#: "…是谁写的", "是哪位记者写的", "谁采写的".
_WROTE = re.compile(r"(?:谁|哪位|哪个|哪一位)(?P<role>记者|作者|评论员)?(?:写|撰写|采写|执笔)的")
#: "谁做的记录", "由谁负责记录": the minutes' recorder.
_RECORDED = re.compile(r"(?:谁|哪位)(?:来|负责|做|作)?的?记录|由谁(?:负责|来)?记录")
#: Whoever "wrote" a piece: its reporter, its author or the paper's commentator.
_WRITERS = ("记者", "作者", "评论员", "通讯员")


def asked_roles(folded: str) -> tuple[str, ...]:
    """The roles whose holder the question asks for; empty for any other question."""
    if m := _ASKED_ROLE.search(folded):
        role = m.group("role")
        return _WRITERS if role == "作者" else (role,)
    if _RECORDED.search(folded):  # minutes: "记录：某某"
        return ("记录人", "记录")
    if m := _WROTE.search(folded):
        return (m.group("role"),) if m.group("role") in ("记者", "评论员") else _WRITERS
    return ()


def credited(folded: str, roles: tuple[str, ...], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the names written right after one of ``roles`` ("作者：记者 某某" credits a 记者 and an
    作者), never a word that only follows the role ("记者从会上获悉", "作者：宣传部")."""
    asked = "|".join(sorted(roles, key=len, reverse=True))
    pattern = re.compile(rf"(?:{asked})\s*[:：]?\s*(?:(?:{_ROLE})\s*[:：]?\s*)?(?:{OFFICE}\s*)?([\u4e00-\u9fff·]{{2,4}})(?![\u4e00-\u9fff])")
    return [m.span(1) for m in pattern.finditer(folded, start, len(folded) if end is None else end)
            if person_like(m.group(1)) and not re.search(r"[部办室局委]$|中心$", m.group(1))]
