"""Hybrid retrieval: dense and BM25 candidates fused by weighted z-scores.

Reciprocal rank fusion throws the score gaps away and, on traditional-script text where the
dense model is weaker, falls below BM25 alone; standardising each retriever's scores over
the union of candidates and mixing them keeps a confident retriever's margin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..index.store import Generation


@dataclass(frozen=True)
class Hit:
    id: int
    score: float  # fused
    dense: float  # cosine between question and passage
    lexical: float  # BM25


def retrieve(gen: Generation, query_vector: np.ndarray, query_words: list[str], k: int, candidates: int,
             dense_weight: float) -> list[Hit]:
    total = gen.dense.ntotal
    if total == 0:
        return []
    n = min(candidates, total)
    sims, ids = gen.dense.search(np.asarray(query_vector, dtype=np.float32)[None, :], n)
    dense = {int(i): float(s) for i, s in zip(ids[0], sims[0]) if i >= 0}
    bm25_all = gen.lexical.scores(query_words)
    rows = _top_rows(bm25_all, n)
    lexical_ids = gen.lexical.ids
    union = list(dict.fromkeys([*dense, *(int(lexical_ids[r]) for r in rows if bm25_all[r] > 0)]))
    missing = np.asarray([i for i in union if i not in dense], dtype=np.int64)
    if len(missing):
        for i, s in zip(missing, gen.vectors(missing) @ query_vector):
            dense[int(i)] = float(s)
    row_of = gen.lexical.row_of
    d = np.asarray([dense[i] for i in union], dtype=np.float64)
    b = np.asarray([bm25_all[row_of[i]] if i in row_of else 0.0 for i in union], dtype=np.float64)
    fused = dense_weight * _z(d) + (1 - dense_weight) * _z(b)
    order = np.argsort(-fused, kind="stable")[:k]
    return [Hit(union[j], float(fused[j]), float(d[j]), float(b[j])) for j in order]


def _top_rows(scores: np.ndarray, n: int) -> np.ndarray:
    if len(scores) <= n:
        return np.argsort(-scores, kind="stable")
    rows = np.argpartition(-scores, n)[:n]
    return rows[np.argsort(-scores[rows], kind="stable")]


def _z(x: np.ndarray) -> np.ndarray:
    std = x.std()
    return (x - x.mean()) / std if std > 1e-9 else np.zeros_like(x)
