"""CMRC 2018's official short-answer scoring: exact match and character F1.

Both compare after removing punctuation and spaces (and folding traditional to simplified
script, so DRCD scores the same way), and take the best over the gold answers. A substring
test either way would count '000人' for '3,000人'; these do not.
"""

from __future__ import annotations

import re
import unicodedata

from ..ingest.script import fold

#: CMRC 2018's evaluate script strips these (plus every Unicode punctuation character).
_PUNCT = set("-:_*^/\\~`+=，。：？！“”；’《》……·、「」（）－～『』")


def normalize(text: str) -> str:
    """Folded, lower-cased, without spaces or punctuation (what EM and F1 compare)."""
    out = []
    for ch in fold(text or "").lower():
        if ch.isspace() or ch in _PUNCT or unicodedata.category(ch).startswith("P"):
            continue
        out.append(ch)
    return "".join(out)


def normalize_loose(text: str) -> str:
    """Folded, lower-cased, spaces removed: for "is the gold inside the quote" tests."""
    return re.sub(r"\s+", "", fold(text or "")).lower()


def exact_match(prediction: str | None, golds: list[str]) -> float:
    if not prediction:
        return 0.0
    p = normalize(prediction)
    return float(any(p == normalize(g) for g in golds if normalize(g)))


def f1(prediction: str | None, golds: list[str]) -> float:
    """Character F1 against the best gold answer, as CMRC 2018's script computes it.

    Its overlap is the longest common substring of the two character strings (not a bag of
    characters), so scattered shared characters earn nothing.
    """
    if not prediction:
        return 0.0
    p = normalize(prediction)
    best = 0.0
    for g in golds:
        g = normalize(g)
        if not g or not p:
            continue
        common = _longest_common_substring(p, g)
        if common:
            precision, recall = common / len(p), common / len(g)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def _longest_common_substring(a: str, b: str) -> int:
    best, previous = 0, [0] * (len(b) + 1)
    for ca in a:
        current = [0] * (len(b) + 1)
        for j, cb in enumerate(b):
            if ca == cb:
                current[j + 1] = previous[j] + 1
                best = max(best, current[j + 1])
        previous = current
    return best


def contains_gold(text: str, golds: list[str]) -> bool:
    """Does ``text`` hold one of the gold answers (spaces and script ignored)?"""
    t = normalize_loose(text)
    return any(g and g in t for g in (normalize_loose(x) for x in golds))
