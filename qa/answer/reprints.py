"""Reprints: the same report printed in two files becomes one quote that lists every source.

A candidate is anything with the retrieved ``passage``, its ``folded`` text and a ``sources``
list to fill. Two passages are one report when they are near-copies *and* the later one holds
the very sentence the first quotes: a commentary that shares most of its words with the report
but not the quoted sentence is a source of its own, never listed as "the same text".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from ..ingest.passages import Passage
from .answer import Source


class Quotable(Protocol):
    passage: Passage
    folded: str
    sources: list[Source] | None


C = TypeVar("C", bound=Quotable)


def merge_reprints(candidates: list[C], threshold: float, quoted: Callable[[C], str] | None = None) -> list[C]:
    """Candidates in order, each near-copy (character-trigram Jaccard ≥ threshold, and holding
    ``quoted(first)``: the text the first quotes, when given) folded into the first of its kind
    as one more source."""
    kept: list[tuple[C, set[str]]] = []
    for c in candidates:
        grams = _trigrams(c.folded)
        src = Source(c.passage.source, c.passage.paragraph, c.passage.title, c.passage.date)
        for other, other_grams in kept:
            if _jaccard(grams, other_grams) >= threshold and (quoted is None or _squeeze(quoted(other)) in
                                                              _squeeze(c.folded)):
                if all(s.source != src.source for s in other.sources or []):
                    other.sources = [*(other.sources or []), src]
                break
        else:
            c.sources = [src]
            kept.append((c, grams))
    return [c for c, _ in kept]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _trigrams(text: str) -> set[str]:
    return {text[i:i + 3] for i in range(max(1, len(text) - 2))}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
