"""Stage 3b: the neural reader reads the best passage around the sentence the ranker quotes.

One window per question (about 190 tokens: the quoted sentence, its quoted neighbour and what
surrounds them), so a question costs one int8 run. What it finds is one more proposal for the
next stage, with its probability as the feature the decision weighs; a list question, whose
answers are many, is not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import Analysis
from .evidence import Evidence
from .sentences import Reading, sentence_of
from .span_reader import SpanReader, SpanReading


@dataclass(frozen=True)
class NeuralSpan:
    candidate: int  # index into the evidence's candidates
    sentence: int  # the sentence of the passage the span starts in
    reading: SpanReading


def read_best(a: Analysis, evidence: Evidence, reading: Reading, reader: SpanReader | None) -> NeuralSpan | None:
    if reader is None or reading.best is None or a.question.plural:
        return None
    ci = reading.best[0]
    c = evidence.candidates[ci]
    s, e = sentence_of(c, c.sentence)
    if c.second is not None:
        s2, e2 = sentence_of(c, c.second)
        s, e = min(s, s2), max(e, e2)
    got = reader.read(a.asked if a.english else a.question.folded, c.folded, (s, e))
    if not got.text.strip():
        return None
    sentences = c.passage.sentences or [(0, len(c.folded))]
    at = next((i for i, (x, y) in enumerate(sentences) if x <= got.start < y), c.sentence)
    return NeuralSpan(ci, at, got)
