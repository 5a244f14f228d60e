"""Candidate short answers inside one sentence, and the features the span ranker scores.

Candidates are runs of one to four jieba words inside a clause, plus dates, numbers with
units and 《titles》 found by pattern (they may cut across jieba's words), plus what the
rule extractors of ``extract`` pick. The strongest features align the question with the
sentence: the words just before the question word should stand just before the answer
("首都是哪里" / "首都是北京"), the words just after it just after the answer.
"""

from __future__ import annotations

import re

from ..ingest.phrases import DATE, NUMBER
from ..ingest.tokens import tagged
from .features import TITLE, QuestionInfo, longest_shared

Span = tuple[int, int]
#: Characters that end a candidate (a clause or sentence boundary).
STOP = set("，,。；;：:！？!?“”\"‘’「」【】\n\t")
#: Characters a candidate may hold inside but not start or end with ("鼓、锣、钹和板", "ω-force").
SOFT = set("、 　-·.()（）《》—…/&")
PUNCT = STOP | SOFT
#: Words an answer does not start or end with.
EDGE_STOP = set(["的", "了", "是", "在", "和", "与", "及", "或", "并", "而", "被", "把", "将", "对", "于", "为", "以", "从", "到", "由", "等", "着", "过", "也", "都", "就", "还", "又", "其", "之", "这", "那", "该", "所"])
MAX_WORDS = 8
MAX_CHARS = 40
NOUNISH = ("n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "eng", "m", "t", "q", "j", "l", "i")

SPAN_FEATURES = [
    "len", "words", "q_overlap", "left_adj", "left_near", "right_adj", "right_near", "left_ctx", "right_ctx",
    "near_word", "clause_cov", "date", "number", "unit", "title", "first_tag_noun", "last_tag_noun", "has_nr",
    "has_ns", "has_nt", "last_verb", "head", "rule", "edge_before", "edge_after", "position",
    "person_x", "time_x", "place_x", "number_x", "thing_x", "meeting_x", "other_x", "whole_clause", "list",
]
#: Span features also given relative to the best candidate of the sentence.
RELATIVE = ["left_adj", "left_near", "right_adj", "right_near", "left_ctx", "right_ctx"]
SPAN_FEATURES = SPAN_FEATURES + [f"rel_{name}" for name in RELATIVE] + ["rel_near_word"]


def candidates(text: str, start: int, end: int, rule: list[Span] | None = None) -> list[tuple[Span, list[str]]]:
    """((start, end), tags of its words) for every candidate in ``text[start:end]``."""
    words, pos = [], start
    for word, tag in tagged(text[start:end]):
        words.append((pos, pos + len(word), word, tag))
        pos += len(word)
    out: dict[Span, list[str]] = {}
    for i, (a, _, w0, _) in enumerate(words):
        if not w0.strip() or w0 in EDGE_STOP or w0[0] in PUNCT and w0[0] not in "《(（":
            continue
        for j in range(i, min(i + MAX_WORDS, len(words))):
            b, wj = words[j][1], words[j][2]
            if any(ch in STOP for ch in wj) or b - a > MAX_CHARS:
                break
            if wj not in EDGE_STOP and (wj[-1] not in PUNCT or wj[-1] in "》)）"):
                out[(a, b)] = [t for *_, t in words[i:j + 1]]
    for m in re.finditer(r"[^，,。；;：:！？!?“”\"「」\n]+", text[start:end]):  # whole clauses
        a, b = start + m.start(), start + m.end()
        if 1 < b - a <= MAX_CHARS * 2:
            out.setdefault((a, b), _tags_within(words, (a, b)))
    for m in _LIST.finditer(text, start, end):  # "孟加拉、缅甸、中国及越南等": the whole list
        for a in [m.start()] + [w[0] for w in words if m.start() < w[0] < m.end() and w[0] < _first_sep(text, m)]:
            for b in {m.end(), m.end() - m.group().endswith("等")}:
                out.setdefault((a, b), _tags_within(words, (a, b)))
    for pattern in (DATE, NUMBER, TITLE, _MEASURE):
        for m in pattern.finditer(text, start, end):
            span = (m.start(), m.start() + len(m.group().rstrip()))
            if span[1] - span[0] >= 1 and re.search(r"[\w]", m.group()):
                out.setdefault(span, _tags_within(words, span))
    for span in rule or []:
        if start <= span[0] < span[1] <= end:
            out.setdefault(span, _tags_within(words, span))
    return list(out.items())


_MEASURE = re.compile(r"(?:约|近|逾|超过|大约)?\d+(?:[.,]\d+)*\s*(?:多)?(?:万|亿|千|百)?"
                      r"(?:平方公里|平方千米|平方米|立方米|公里|[\u4e00-\u9fff]{1,2}|%|％|km|m|kg)(?:前|后|以上|左右)?")
#: A list of two or more items joined by 、/和/及/与 (ending with 等 when the text says so).
_ITEM = r"[^，,。；;：:、\s和及与或等（）()“”「」]{1,15}"
_LIST = re.compile(rf"{_ITEM}(?:(?:、|和|及|与|以及|或)(?:{_ITEM}))+等?")


def _first_sep(text: str, m: re.Match) -> int:
    """Where a list's first separator stands: its first item may start at any word before it."""
    found = (text.find(sep, m.start(), m.end()) for sep in "、和及与或")
    return min((at for at in found if at >= 0), default=m.end())


def _tags_within(words: list[tuple[int, int, str, str]], span: Span) -> list[str]:
    return [t for a, b, _, t in words if a < span[1] and b > span[0]] or ["x"]


def span_rows(info: QuestionInfo, text: str, start: int, end: int, cands: list[tuple[Span, list[str]]],
              rule: list[Span] | None = None) -> tuple[list[Span], list[list[float]]]:
    """Feature rows for the candidates not already said by the question."""
    q = info.q.folded
    sentence = text[start:end]
    anchors = [m.start() + start for w in info.weights for m in re.finditer(re.escape(w), sentence)]
    clauses = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^，,；;。！？!?]+", sentence)]
    head = info.q.head or _after_wh(info.right)
    unit = info.q.unit
    rule_set = set(rule or [])
    spans, rows = [], []
    for (a, b), tags in cands:
        value = text[a:b]
        if value in q or not value.strip():
            continue
        left, right = text[max(start, a - 10):a], text[b:min(end, b + 10)]
        clause = next(((s, e) for s, e in clauses if s <= a < e), (start, end))
        clause_text = text[clause[0]:clause[1]]
        near = min((min(abs(x - a), abs(x - b)) for x in anchors), default=60)
        is_date = bool(DATE.fullmatch(value))
        is_number = bool(NUMBER.fullmatch(value)) and bool(re.search(r"\d|[一二三四五六七八九十百千万两]", value))
        is_title = value.startswith("《") and value.endswith("》")
        nouns = [t.startswith(NOUNISH) for t in tags]
        typed = {
            "person": "nr" in tags or any(t.startswith("nr") for t in tags),
            "time": is_date or "t" in tags,
            "place": any(t.startswith("ns") for t in tags),
            "number": is_number or "m" in tags,
            "thing": is_title or bool(nouns and nouns[-1]),
            "meeting": value.endswith("会") or value.endswith("会议"),
            "other": True,
        }
        rows.append([
            min(b - a, 20) / 10, min(len(tags), 6) / 3, sum(c in q for c in value) / max(b - a, 1),
            _suffix_match(info.left, text, a) / 4, longest_shared(info.left, left) / 4,
            _prefix_match(info.right, text, b) / 4, longest_shared(info.right, right) / 4,
            sum(c in q for c in left) / max(len(left), 1), sum(c in q for c in right) / max(len(right), 1),
            min(near, 60) / 20, sum(v for w, v in info.weights.items() if w in clause_text) / info.total,
            float(is_date), float(is_number), float(bool(unit) and value.endswith(unit)), float(is_title),
            float(nouns[0]) if nouns else 0.0, float(nouns[-1]) if nouns else 0.0, float(typed["person"]),
            float(typed["place"]), float(any(t.startswith("nt") for t in tags)), float(tags[-1].startswith("v")),
            float(bool(head) and value.endswith(head)), float((a, b) in rule_set),
            float(a == start or text[a - 1] in PUNCT), float(b >= end or text[b] in PUNCT),
            (a - start) / max(end - start, 1),
            *[float(info.group == g and typed[g]) for g in ("person", "time", "place", "number", "thing", "meeting")],
            float(info.group == "other"), float(clause == (a, b)), float("、" in value or "和" in value[1:-1]),
        ])
        spans.append((a, b))
    if rows:
        at = [SPAN_FEATURES.index(c) for c in RELATIVE]
        best = [max(r[i] for r in rows) for i in at]
        near = SPAN_FEATURES.index("near_word")
        closest = min(r[near] for r in rows)
        rows = [r + [r[i] - b for i, b in zip(at, best)] + [r[near] - closest] for r in rows]
    return spans, rows


def _after_wh(right: str) -> str | None:
    """"什么奖" → 奖: the noun right after the question word names the answer's kind."""
    m = re.match(r"[\u4e00-\u9fff]{1,2}", right)
    return m.group()[-1] if m else None


def _suffix_match(left: str, text: str, a: int) -> int:
    """How many characters of the question before its question word stand right before ``a``."""
    k = 0
    while k < len(left) and a - k - 1 >= 0 and text[a - k - 1] == left[len(left) - k - 1]:
        k += 1
    return k


def _prefix_match(right: str, text: str, b: int) -> int:
    k = 0
    while k < len(right) and b + k < len(text) and text[b + k] == right[k]:
        k += 1
    return k
