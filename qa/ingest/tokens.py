"""Words for lexical search: jieba over folded text, punctuation and function words dropped."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

from .script import fold

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
#: Function words and question words that carry no topic: they would only add noise to BM25.
STOPWORDS = frozenset(
    """的 了 和 与 及 是 在 有 也 都 而 或 并 对 把 被 将 就 这 那 之 其 为 于 以 从 到 由 给 等 着 过 吗 呢 吧 啊
    谁 哪 哪个 哪些 哪位 哪里 哪儿 什么 怎么 怎样 如何 多少 几 何时 为何 为什么 是否 是不是 请问 一下
    the a an of to in is are was were what which who whom when where how why do does did""".split()
)


@lru_cache(maxsize=1)
def _warm() -> None:
    jieba.initialize()


@lru_cache(maxsize=1)
def _tagger():
    """jieba's tagger; imported on first use (its HMM tables take ~0.3 s to import)."""
    import jieba.posseg

    return jieba.posseg


def warm() -> None:
    """Load jieba's dictionary and tagger now rather than in the first question (~1–2 s)."""
    _warm()
    _tagger()


def words(text: str) -> list[str]:
    """Lower-cased jieba words of the folded text, without punctuation or stopwords; a name jieba
    glued a verb onto is there with and without it."""
    _warm()
    out = []
    for w in (t.strip().lower() for t in jieba.lcut(fold(text))):
        if w and w not in STOPWORDS and _WORD.search(w):
            out.append(w)
            if 3 <= len(w) <= 4 and w[-1] in _GLUED and not jieba.dt.FREQ.get(w):
                out.append(w[:-1])
    return out


#: One-character verbs and prepositions jieba's guesser glues onto a name it does not know:
#: "工会主席伍倩作提案工作报告" gives 伍倩作, which a question naming 伍倩 would not find.
_GLUED = frozenset("是在于为被将把对和与及向给让曾已也都又说作任等")


@lru_cache(maxsize=8192)
def tagged(segment: str) -> tuple[tuple[str, str], ...]:
    """jieba's (word, part of speech) pairs; cached, as the HMM tagger is slow."""
    _warm()
    return tuple((t.word, t.flag) for t in _tagger().cut(segment))
