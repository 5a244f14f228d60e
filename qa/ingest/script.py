"""Folding traditional Chinese to simplified, so either script finds passages in either.

Search runs on folded text; quotes keep the document's own script. ``fold_aligned`` keeps a
one-to-one character alignment with its input, so spans found in folded text can be marked
in the original.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

#: Lone surrogates (a str can hold them, from a JSON "\\ud800" or a badly decoded file) cannot be
#: encoded as UTF-8, which OpenCC needs; each becomes one U+FFFD, so lengths and offsets hold.
_SURROGATES = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate as U+FFFD: what can be encoded (by OpenCC, a tokenizer)."""
    return _SURROGATES.sub("\ufffd", text)


def fold(text: str) -> str:
    """Traditional → simplified with OpenCC's phrase tables (best for search)."""
    return _converter().convert(without_surrogates(text))


def fold_aligned(text: str) -> str:
    """Like :func:`fold`, but guaranteed the same length as ``text``."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    convert = _converter().convert
    text = without_surrogates(text)
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)
