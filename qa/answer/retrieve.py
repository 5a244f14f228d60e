"""Hybrid retrieval: dense and BM25 candidates fused by weighted z-scores.

Reciprocal rank fusion throws the score gaps away and, on traditional-script text where the
dense model is weaker, falls below BM25 alone; standardising each retriever's scores over
the union of candidates and mixing them keeps a confident retriever's margin.

Neither side scores every passage: the dense side asks the index for its nearest ``candidates``
(approximate above the IVF threshold), the lexical side reads only the posting lists of the
question's words; a dense-only candidate gets its BM25 score from those lists (0 when it has
none of the words; a store whose BM25 search returns only its best scores fills them in with
``lexical_scores``), a BM25-only candidate its exact cosine from its stored vector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..index.protocol import IndexView


@dataclass(frozen=True)
class Hit:
    id: int
    score: float  # fused
    dense: float  # cosine between question and passage
    lexical: float  # BM25


def retrieve(gen: IndexView, query_vector: np.ndarray, query_words: list[str], k: int, candidates: int,
             dense_weight: float, nprobe: int = 64) -> list[Hit]:
    if gen.size == 0:
        return []
    query_vector = np.asarray(query_vector, dtype=np.float32)
    dense = gen.dense_search(query_vector, candidates, nprobe)
    lexical_top, bm25 = gen.lexical_search(query_words, candidates)
    union = list(dict.fromkeys([*dense, *lexical_top]))
    dense.update(gen.dense_scores([i for i in union if i not in dense], query_vector))
    # The local store's BM25 scores are a read-only view over arrays: fill-ins go beside them.
    filled = gen.lexical_scores([i for i in union if i not in bm25], query_words)
    # A passage whose vector is gone drops out: a store that deletes the rows of old generations
    # (Milvus) may do so under a reader that still holds one. The local store always has them.
    union = [i for i in union if i in dense]
    if not union:
        return []
    d = np.asarray([dense[i] for i in union], dtype=np.float64)
    b = np.asarray([bm25[i] if i in bm25 else filled.get(i, 0.0) for i in union], dtype=np.float64)
    fused = dense_weight * _z(d) + (1 - dense_weight) * _z(b)
    order = np.argsort(-fused, kind="stable")[:k]
    return [Hit(union[j], float(fused[j]), float(d[j]), float(b[j])) for j in order]


def _z(x: np.ndarray) -> np.ndarray:
    std = x.std()
    return (x - x.mean()) / std if std > 1e-9 else np.zeros_like(x)
