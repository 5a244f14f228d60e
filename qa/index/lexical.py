"""BM25 over jieba words (bm25s), plus the document frequencies the reader uses as IDF."""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import bm25s
import numpy as np

# bm25s sets its own logger to DEBUG, which would print through any root handler.
logging.getLogger("bm25s").setLevel(logging.WARNING)

#: BM25 parameters (Lucene variant); the Milvus store weighs its sparse vectors with the same ones.
K1, B = 1.2, 0.75


def bm25_idf(df: int, n: int) -> float:
    """BM25's (Lucene) IDF of a word found in ``df`` of ``n`` passages."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class Lexical:
    def __init__(self, retriever: bm25s.BM25 | None, ids: np.ndarray, df: dict[str, int]):
        self._bm25 = retriever
        self.ids = ids  # row in the BM25 matrix → passage id
        self.df = df
        self.n = len(ids)

    @classmethod
    def build(cls, ids: Sequence[int], tokens: Sequence[list[str]]) -> "Lexical":
        df: Counter[str] = Counter()
        for words in tokens:
            df.update(set(words))
        retriever = None
        if len(ids):
            retriever = bm25s.BM25(method="lucene", k1=K1, b=B)
            retriever.index([list(w) for w in tokens], show_progress=False)
        return cls(retriever, np.asarray(ids, dtype=np.int64), dict(df))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(folder / "bm25"), show_progress=False)
        np.save(folder / "bm25_ids.npy", self.ids)
        (folder / "df.json").write_text(json.dumps(self.df, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "Lexical":
        ids = np.load(folder / "bm25_ids.npy")
        df = json.loads((folder / "df.json").read_text(encoding="utf-8"))
        retriever = bm25s.BM25.load(str(folder / "bm25"), show_progress=False) if len(ids) else None
        return cls(retriever, ids, df)

    @cached_property
    def row_of(self) -> dict[int, int]:
        """Passage id → row in the BM25 matrix."""
        return {int(pid): row for row, pid in enumerate(self.ids)}

    def idf(self, word: str) -> float:
        """BM25's IDF; a word the corpus never uses gets the largest value."""
        return bm25_idf(self.df.get(word, 0), self.n)

    def search(self, words: list[str], n: int) -> tuple[list[int], dict[int, float]]:
        """The ``n`` best passage ids for ``words`` and the BM25 score of every passage that has one.

        Only the posting lists of the question's words are read (bm25s keeps BM25 scores as a
        sparse word × passage matrix), so the cost grows with how many passages share a word
        with the question, not with the corpus; a passage missing from the dict scores 0.
        """
        if self._bm25 is None:
            return [], {}
        token_ids = self._bm25.get_tokens_ids([w for w in words if w in self.df])
        if not token_ids:
            return [], {}
        matrix = self._bm25.scores
        indptr, indices, data = matrix["indptr"], matrix["indices"], matrix["data"]
        rows = np.concatenate([indices[indptr[t]:indptr[t + 1]] for t in token_ids])
        weights = np.concatenate([data[indptr[t]:indptr[t + 1]] for t in token_ids])
        touched, inverse = np.unique(rows, return_inverse=True)
        scores = np.bincount(inverse, weights=weights).astype(np.float32)
        keep = scores > 0
        touched, scores = touched[keep], scores[keep]
        if len(scores) > n:
            best = np.argpartition(-scores, n)[:n]
        else:
            best = np.arange(len(scores))
        best = best[np.argsort(-scores[best], kind="stable")]
        pids = self.ids[touched]
        return [int(pids[b]) for b in best], dict(zip(pids.tolist(), scores.tolist()))

    def scores(self, words: list[str]) -> np.ndarray:
        """BM25 score of every indexed passage (row order of ``ids``)."""
        known = [w for w in words if w in self.df]
        if self._bm25 is None or not known:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
