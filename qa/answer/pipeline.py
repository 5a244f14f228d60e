"""A question's whole path, one stage after another, each run once and handing on a typed value.

    analyse → retrieve → gather evidence → rank sentences → read the best passage (neural)
    → propose short answers → decide → reply

Follow-ups are resolved before (:class:`.conversation.Conversation`); everything the index knows,
passages and the meeting table alike, comes in as evidence; the decision is one, for Chinese and
English questions, list questions and single ones.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..config import Config
from ..index.protocol import IndexView
from ..ingest.clean import is_credit
from ..ingest.script import fold
from ..ingest.meetings import Meeting
from .analysis import analyse
from .answer import Answer
from .decide import decide
from .evidence import gather
from .model import load_model
from .neural import read_best
from .proposals import propose
from .quotes import reply
from .retrieve import Hit, retrieve
from .sentences import rank

#: Passages retrieved for the reader (at least; more when more quotes are asked for).
RETRIEVED = 10
#: Hits retrieved beyond those read, for the pages' credit lines that evidence skips (:func:`.evidence.gather`).
CREDITS = 3
#: Passages an English question's names and words are looked for in.
PEEKED = 20


def process(question: str, index: IndexView, encode: Callable[[str], np.ndarray], table: list[Meeting],
            config: Config, k: int) -> Answer:
    """Answer ``question`` (already resolved against the conversation) from ``index``."""
    model = load_model(config.reader_model, config.neural_reader)

    def search(query: str, words: list[str]) -> list[Hit]:
        return retrieve(index, encode(query), words, k=max(RETRIEVED, 2 * k) + CREDITS, candidates=config.candidates,
                        dense_weight=config.dense_weight, nprobe=config.nprobe)

    def peek(query: str) -> list:  # the passages an English question's meaning finds, to read its names off
        hits = retrieve(index, encode(query), [], k=2 * PEEKED, candidates=config.candidates,
                        dense_weight=config.dense_weight, nprobe=config.nprobe)
        found = index.passages([h.id for h in hits])  # a page's credit line is near any question: not read
        return [p for h in hits if (p := found.get(h.id)) is not None and not is_credit(p.text)][:PEEKED]

    a = analyse(question, index.idf, peek, lambda: tuple(dict.fromkeys(fold(n) for m in table for n in m.people)))
    # an English question is looked up by its meaning as asked, unless every name in it was rendered
    hits = search(a.asked if a.english and a.question.unknown_names else a.question.folded, a.question.words)
    evidence = gather(a, index, hits, table, keep=max(RETRIEVED, 2 * k))
    reading = rank(a.info, evidence.candidates, model.sentence, config.second_sentence)
    neural = read_best(a, evidence, reading, model.reader)
    proposals = propose(a, evidence, reading, model.span, neural)
    decision = decide(a, evidence, reading, proposals, model)
    return reply(a, evidence, decision, index, k, config.duplicate_similarity)
