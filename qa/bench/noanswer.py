"""The "not found" benchmark: index half of a set's paragraphs, ask about both halves.

The even-numbered paragraphs of each article are indexed (an article of one paragraph is
alternated over the whole file instead). The questions of the indexed paragraphs should be
answered (``refused`` is the share answered "not found"); the questions of the others whose
gold answer appears nowhere in the indexed text should be refused (``false_answer`` is the
share that were not).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..index.indexer import Progress
from .metrics import normalize_loose
from .squad import Context, Item, context_bot, load_squad, sample


@dataclass
class NoAnswerReport:
    indexed_paragraphs: int = 0
    answerable: int = 0
    unanswerable: int = 0
    refused: float = 0.0
    false_answer: float = 0.0


def split_half(contexts: list[Context]) -> tuple[list[Context], list[Context]]:
    """(indexed, held out): even paragraphs per article; lone paragraphs alternate file-wide."""
    sizes: dict[int, int] = {}
    for c in contexts:
        sizes[c.article] = sizes.get(c.article, 0) + 1
    indexed, held, lone = [], [], 0
    for c in contexts:
        if sizes[c.article] > 1:
            keep = c.position % 2 == 0
        else:
            keep, lone = lone % 2 == 0, lone + 1
        (indexed if keep else held).append(c)
    return indexed, held


def no_answer_sets(contexts: list[Context], items: list[Item]) -> tuple[list[Context], list[Item], list[Item]]:
    """The indexed contexts, their questions, and the held-out questions the index cannot answer."""
    indexed, _ = split_half(contexts)
    kept = {c.id for c in indexed}
    text = "\n".join(normalize_loose(c.text) for c in indexed)
    answerable = [i for i in items if i.context in kept]
    unanswerable = [i for i in items if i.context not in kept and i.answers
                    and not any(normalize_loose(g) in text for g in i.answers)]
    return indexed, answerable, unanswerable


def evaluate_no_answer(path: Path, config: Config, progress: Progress | None = None,
                       limit: int | None = None, seed: int = 0) -> NoAnswerReport:
    contexts, items = load_squad(path)
    indexed, answerable, unanswerable = no_answer_sets(contexts, items)
    answerable, unanswerable = sample(answerable, limit, seed), sample(unanswerable, limit, seed)
    refused = false = 0
    with context_bot(indexed, config, progress) as bot:
        for n, item in enumerate(answerable + unanswerable):
            found = bot.ask(item.question).found
            if n < len(answerable):
                refused += not found
            else:
                false += found
            if progress:
                progress("ask", n + 1, len(answerable) + len(unanswerable))
    return NoAnswerReport(len(indexed), len(answerable), len(unanswerable),
                          refused / max(len(answerable), 1), false / max(len(unanswerable), 1))
