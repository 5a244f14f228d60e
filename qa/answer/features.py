"""What the learned reader looks at: the question's parts, and features of sentences.

Everything here is plain string arithmetic on folded text (no model calls), so scoring all
sentences of the top passages costs a few milliseconds. The same functions serve training
(``qa train``) and answering, so the two cannot drift apart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..ingest.phrases import DATE, NUMBER
from .question import Question

#: Question words, longest first: the answer stands where the question has one of these.
WH = re.compile(r"什么时候|什么地方|为什么|什么|哪里|哪儿|哪些|哪个|哪位|哪一|哪年|哪天|哪|谁|多少|几|何时|何地|何处|何人|如何|怎样|怎么|是否|何")
CJK = re.compile(r"[\u3400-\u9fff]")
ORDINAL = re.compile(r"第\s*([0-9]+|[一二三四五六七八九十百千零两]+)\s*(?:次|届|个|期|批|轮|号|版|条|季)")
DIGITS = re.compile(r"\d+(?:\.\d+)?")
TITLE = re.compile(r"《[^《》]{1,60}》")
#: A token no index holds: its IDF is the largest the index can give (a word it never saw).
UNSEEN = "\x00unseen"

#: The answer type a question kind wants; kinds not listed (or new ones) are "other".
GROUPS = {
    "who": "person", "who-chaired": "person", "when": "time", "time": "time", "time-of-day": "time", "where": "place",
    "number": "number", "duration": "number", "which-meeting": "meeting", "what": "thing",
}


def group(kind: str) -> str:
    return GROUPS.get(kind, "other")


@dataclass
class QuestionInfo:
    """A question prepared once for every sentence and span it is compared with."""

    q: Question
    weights: dict[str, float]  # question word -> IDF
    total: float
    chars: set[str]  # CJK/alnum characters of the question, question words removed
    bigrams: set[str]
    left: str  # the question's text just before its question word
    right: str  # ... and just after it
    ordinals: list[str]  # "第200次" as written
    numbers: list[str]  # digit strings
    group: str
    #: Each question word's IDF over the largest IDF the index gives (1.0: a word it never uses).
    rarity: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, q: Question, idf: Callable[[str], float]) -> QuestionInfo:
        weights = {w: idf(w) for w in q.words}
        text = q.folded
        content = WH.sub(" ", text)
        chars = {c for c in content if c.isalnum()}
        bigrams = {content[i:i + 2] for i in range(len(content) - 1) if content[i:i + 2].isalnum()}
        left = right = ""
        if m := WH.search(text):
            left = _clean(text[:m.start()])[-8:]
            right = _clean(text[m.end():])[:8]
        ordinals = [m.group() for m in ORDINAL.finditer(text)]
        numbers = [d for d in DIGITS.findall(text) if not any(d in o for o in ordinals)]
        top = idf(UNSEEN) or 1.0
        return cls(q, weights, sum(weights.values()) or 1.0, chars, bigrams, left, right, ordinals, numbers,
                   group(q.kind), {w: v / top for w, v in weights.items()})


def _clean(text: str) -> str:
    return re.sub(r"[\s？?！!。，,：:；;“”\"'（）()]", "", text)


def coverage(info: QuestionInfo, text: str) -> float:
    """Share of the question's IDF mass whose words occur in ``text``."""
    return sum(v for w, v in info.weights.items() if w in text) / info.total


def longest_shared(question: str, text: str, cap: int = 12) -> int:
    """Length of the longest piece of ``question`` (up to ``cap`` chars) found in ``text``."""
    best = 0
    for s in range(len(question)):
        e = s + best + 1
        while e <= len(question) and e - s <= cap and question[s:e] in text:
            best, e = e - s, e + 1
    return best


def type_present(group_name: str, text: str) -> float:
    """Does ``text`` hold something of the wanted type (cheap regex tests only)?"""
    if group_name == "time":
        return float(bool(DATE.search(text)))
    if group_name == "number":
        return float(bool(re.search(r"\d|[一二三四五六七八九十百千万两]+[个家人次天名位年岁种倍%％]", text)))
    if group_name == "thing":
        return float(bool(TITLE.search(text)))
    if group_name == "meeting":
        return float("会" in text)
    return 0.0


SENTENCE_FEATURES = [
    "cov", "cov_window", "bigram", "chars", "shared", "left", "right", "type", "position", "first",
    "length", "rank0", "rank1", "fused_gap", "dense", "passage_cov", "best_in_passage", "gap_in_passage",
    "local_cov", "local_chars", "local_bigram", "near_wh",
]
#: Features also given relative to the question's best sentence (a pointwise model then ranks).
RELATIVE = ["cov", "cov_window", "bigram", "chars", "shared", "left", "right", "local_cov", "local_chars",
            "local_bigram", "near_wh"]
SENTENCE_FEATURES = SENTENCE_FEATURES + [f"rel_{name}" for name in RELATIVE]


def relative(rows: list[list[float]], names: list[str], columns: list[str]) -> list[list[float]]:
    """Append, for each named column, the row's value minus the best value over ``rows``."""
    if not rows:
        return rows
    at = [names.index(c) for c in columns]
    best = [max(r[i] for r in rows) for i in at]
    return [r + [r[i] - b for i, b in zip(at, best)] for r in rows]


def sentence_rows(info: QuestionInfo, folded: str, sentences: list[tuple[int, int]], rank: int, fused_gap: float,
                  dense: float, passage_cov: float) -> list[list[float]]:
    """One feature row per sentence of one passage (``folded`` is its folded text)."""
    texts = [folded[s:e] for s, e in sentences] or [folded]
    covs = [coverage(info, t) for t in texts]
    # Words the passage repeats in many sentences name its topic, not the sentence that answers:
    # weigh the question's words, characters and bigrams by how rare they are inside the passage.
    local_words = _local_weights(info.weights, texts)
    local_chars = _local_weights(info.chars, texts)
    local_bigrams = _local_weights(info.bigrams, texts)
    near = {info.left[i:i + 2] for i in range(max(0, len(info.left) - 4), len(info.left) - 1)} | \
        {info.right[i:i + 2] for i in range(min(3, max(0, len(info.right) - 1)))}
    best = max(covs)
    qlen = max(len(info.q.folded), 1)
    rows = []
    for i, t in enumerate(texts):
        window = "".join(texts[max(0, i - 1):i + 2])
        bigram = sum(b in t for b in info.bigrams) / max(len(info.bigrams), 1)
        chars = sum(c in t for c in info.chars) / max(len(info.chars), 1)
        rows.append([
            covs[i], coverage(info, window), bigram, chars, longest_shared(info.q.folded, t) / qlen,
            longest_shared(info.left, t) / max(len(info.left), 1) if info.left else 0.0,
            longest_shared(info.right, t) / max(len(info.right), 1) if info.right else 0.0,
            type_present(info.group, t), min(i, 10) / 10, float(i == 0), min(len(t), 200) / 100,
            float(rank == 0), float(rank == 1), fused_gap, dense, passage_cov, float(covs[i] == best), best - covs[i],
            _share(local_words, t), _share(local_chars, t), _share(local_bigrams, t),
            sum(g in t for g in near) / max(len(near), 1),
        ])
    return rows


def _local_weights(items, texts: list[str]) -> dict[str, float]:
    n = len(texts)
    return {w: math.log((n + 1) / (sum(w in t for t in texts) + 0.5)) for w in items}


def _share(weights: dict[str, float], text: str) -> float:
    total = sum(weights.values())
    return sum(v for w, v in weights.items() if w in text) / total if total > 0 else 0.0


ANSWERABLE_FEATURES = [
    "sentence_p", "cov", "sentence_cov", "bigram", "chars", "shared", "dense", "dense_gap", "fused_gap",
    "bm25", "numbers_missing", "people_missing", "type", "span_p", "missing_rare", "left_here", "right_here",
]


def answerable_row(info: QuestionInfo, sentence_p: float, passage_text: str, sentence_text: str, dense: float,
                   dense_gap: float, fused_gap: float, bm25: float, span_p: float) -> list[float]:
    """Features of "does the best quote answer the question" (an English question arrives rendered
    in Chinese, so every question has words to count).

    A question about a paragraph the index lacks tends to name a rare word the quoted passage
    lacks (``missing_rare``: the rarest such word, 1.0 for one the index never saw), and the words
    around its question word do not stand in the quoted sentence (``left_here``, ``right_here``),
    even when the passage is on the same subject. (A share of never-seen words was tried and
    dropped: training makes its unanswerable cases by hiding passages from the hits, not from the
    index, so it never sees such words there, and the feature misled the model on new text.)"""
    numbers_missing = sum(n not in passage_text for n in info.numbers) / len(info.numbers) if info.numbers else 0.0
    people = info.q.people
    people_missing = sum(p not in passage_text for p in people) / len(people) if people else 0.0
    qlen = max(len(info.q.folded), 1)
    return [
        sentence_p, coverage(info, passage_text), coverage(info, sentence_text),
        sum(b in sentence_text for b in info.bigrams) / max(len(info.bigrams), 1),
        sum(c in sentence_text for c in info.chars) / max(len(info.chars), 1),
        longest_shared(info.q.folded, sentence_text) / qlen, dense, dense_gap, fused_gap,
        min(bm25, 60.0) / 20, numbers_missing, people_missing, type_present(info.group, sentence_text), span_p,
        max((r for w, r in info.rarity.items() if w not in passage_text), default=0.0),
        longest_shared(info.left, sentence_text) / len(info.left) if info.left else 0.0,
        longest_shared(info.right, sentence_text) / len(info.right) if info.right else 0.0,
    ]


__all__ = [
    "ANSWERABLE_FEATURES",
    "NUMBER",
    "SENTENCE_FEATURES",
    "QuestionInfo",
    "answerable_row",
    "coverage",
    "group",
    "longest_shared",
    "relative",
    "sentence_rows",
    "type_present",
]
