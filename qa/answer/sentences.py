"""Stage 3: which sentence of the evidence answers, scored by the learned sentence ranker.

Sentences of the best few retrieved passages get one feature row each (see :mod:`.features`);
the ranker's probabilities choose each candidate's quoted sentence (and a neighbour rated
nearly as high). ``qa train`` builds its rows with the same :func:`read_sentences`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .evidence import Candidate
from .features import RELATIVE, SENTENCE_FEATURES, QuestionInfo, coverage, relative, sentence_rows
from .model import Scorer

#: Sentences are ranked in this many of the best retrieved passages.
TOP_PASSAGES = 3


@dataclass
class Reading:
    """The sentence rows of one question's evidence (shared with ``qa train``)."""

    candidates: list[Candidate]
    rows: list[list[float]]  # sentence features
    where: list[tuple[int, int]]  # (candidate, sentence) of each row
    probs: np.ndarray | None = None  # the ranker's probability per row, once ranked

    @property
    def best(self) -> tuple[int, int, float] | None:
        """(candidate, sentence, probability) of the best-rated sentence."""
        if self.probs is None or not len(self.probs):
            return None
        i = int(np.argmax(self.probs))
        return (*self.where[i], float(self.probs[i]))


def read_sentences(info: QuestionInfo, candidates: list[Candidate]) -> Reading:
    """Feature rows for the sentences of the best retrieved candidates (table-only ones excluded:
    they have no retrieval scores to compare)."""
    ranked = [c for c in candidates if c.hit.score or c.hit.dense or c.hit.lexical]
    rows, where = [], []
    if ranked:
        top = ranked[0].hit.score
        for c in ranked[:TOP_PASSAGES]:
            ci = candidates.index(c)
            sentences = c.passage.sentences or [(0, len(c.folded))]
            got = sentence_rows(info, c.folded, sentences, ci, c.hit.score - top, c.hit.dense,
                                c.coverage)
            rows.extend(got)
            where.extend((ci, si) for si in range(len(got)))
    width = len(SENTENCE_FEATURES) - len(RELATIVE)
    return Reading(candidates, relative(rows, SENTENCE_FEATURES[:width], RELATIVE), where)


def rank(info: QuestionInfo, candidates: list[Candidate], ranker: Scorer, second: float) -> Reading:
    """Score every sentence row and set each candidate's quoted sentence(s)."""
    reading = read_sentences(info, candidates)
    reading.probs = ranker.probability(reading.rows)
    by_candidate: dict[int, dict[int, float]] = {}
    for (ci, si), p in zip(reading.where, reading.probs):
        by_candidate.setdefault(ci, {})[si] = float(p)
    for ci, c in enumerate(candidates):
        scores = by_candidate.get(ci)
        if not scores:  # not ranked: the row's evidence sentence, else the best-covered one
            c.sentence = c.row_sentence if c.row_sentence is not None else _best_covered(info, c)
            continue
        c.sentence = max(scores, key=scores.get)
        near = [i for i in (c.sentence - 1, c.sentence + 1) if i in scores]
        if near:
            other = max(near, key=scores.get)
            if scores[other] >= second * scores[c.sentence]:
                c.second = other
    return reading


def sentence_of(c: Candidate, i: int) -> tuple[int, int]:
    return c.passage.sentences[i] if c.passage.sentences else (0, len(c.folded))


def _best_covered(info: QuestionInfo, c: Candidate) -> int:
    n = len(c.passage.sentences)
    if not n:
        return 0
    return max(range(n), key=lambda i: coverage(info, c.folded[slice(*sentence_of(c, i))]))
