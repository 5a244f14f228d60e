"""BM25 over jieba words (bm25s), plus the document frequencies the reader uses as IDF.

Building uses bm25s; reading does not: bm25s keeps BM25 scores as a sparse word × passage matrix
(CSC arrays ``data``/``indices``/``indptr`` and a vocabulary), and a question only needs the
columns of its own words. So a loaded index memory-maps those arrays and never imports bm25s
(and the SciPy it pulls in): opening a large index costs almost nothing and touches only the
posting lists questions read.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Postings:
    """BM25 scores by word: ``data[indptr[t]:indptr[t+1]]`` are word t's scores in the rows
    ``indices[...]`` (bm25s's CSC layout, as it saves it)."""

    vocab: dict[str, int]
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    num_docs: int

    @classmethod
    def of(cls, retriever) -> "Postings":
        s = retriever.scores
        return cls(dict(retriever.vocab_dict), s["data"], s["indices"], s["indptr"], int(s["num_docs"]))

    @classmethod
    def load(cls, folder: Path) -> "Postings":
        """Memory-mapped arrays of a folder written by ``bm25s.BM25.save``."""
        def array(name: str) -> np.ndarray:
            return np.load(folder / f"{name}.csc.index.npy", mmap_mode="r")

        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        return cls(vocab, array("data"), array("indices"), array("indptr"), int(params["num_docs"]))

    def token_ids(self, words: Sequence[str]) -> list[int]:
        return [self.vocab[w] for w in words if w in self.vocab]

    def column(self, token: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = int(self.indptr[token]), int(self.indptr[token + 1])
        return self.indices[a:b], self.data[a:b]


class ScoreMap(Mapping[int, float]):
    """Passage id → BM25 score, over ids in ascending order (rows follow passage ids)."""

    def __init__(self, ids: np.ndarray, scores: np.ndarray):
        if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):  # the indexer writes rows in id order
            order = np.argsort(ids, kind="stable")
            ids, scores = ids[order], scores[order]
        self._ids, self._scores = ids, scores

    def _row(self, pid: object) -> int:
        try:
            key = int(pid)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return -1
        row = int(np.searchsorted(self._ids, key))
        return row if row < len(self._ids) and self._ids[row] == key else -1

    def __getitem__(self, pid: object) -> float:
        row = self._row(pid)
        if row < 0:
            raise KeyError(pid)
        return float(self._scores[row])

    def __contains__(self, pid: object) -> bool:
        return self._row(pid) >= 0

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids.tolist())

    def __len__(self) -> int:
        return len(self._ids)

#: BM25 parameters (Lucene variant); the Milvus store weighs its sparse vectors with the same ones.
K1, B = 1.2, 0.75


def bm25_idf(df: int, n: int) -> float:
    """BM25's (Lucene) IDF of a word found in ``df`` of ``n`` passages."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class Lexical:
    def __init__(self, postings: Postings | None, ids: np.ndarray, df: dict[str, int], retriever=None):
        self._postings = postings
        self._retriever = retriever  # the bm25s index of a fresh build, which save() writes
        self.ids = ids  # row in the BM25 matrix → passage id
        self.df = df
        self.n = len(ids)

    @classmethod
    def build(cls, ids: Sequence[int], tokens: Sequence[list[str]]) -> "Lexical":
        df: Counter[str] = Counter()
        for words in tokens:
            df.update(set(words))
        postings = retriever = None
        if len(ids):
            retriever = _bm25s().BM25(method="lucene", k1=K1, b=B)
            retriever.index([list(w) for w in tokens], show_progress=False)
            postings = Postings.of(retriever)
        return cls(postings, np.asarray(ids, dtype=np.int64), dict(df), retriever)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._retriever is not None:
            self._retriever.save(str(folder / "bm25"), show_progress=False)
        np.save(folder / "bm25_ids.npy", self.ids)
        (folder / "df.json").write_text(json.dumps(self.df, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "Lexical":
        ids = np.load(folder / "bm25_ids.npy")
        df = json.loads((folder / "df.json").read_text(encoding="utf-8"))
        return cls(Postings.load(folder / "bm25") if len(ids) else None, ids, df)

    @cached_property
    def row_of(self) -> dict[int, int]:
        """Passage id → row in the BM25 matrix."""
        return {int(pid): row for row, pid in enumerate(self.ids)}

    def idf(self, word: str) -> float:
        """BM25's IDF; a word the corpus never uses gets the largest value."""
        return bm25_idf(self.df.get(word, 0), self.n)

    def search(self, words: list[str], n: int) -> tuple[list[int], Mapping[int, float]]:
        """The ``n`` best passage ids for ``words`` and the BM25 score of every passage that has one.

        Only the posting lists of the question's words are read, so the cost grows with how many
        passages share a word with the question, not with the corpus; a passage missing from the
        mapping scores 0. The mapping is a view of two arrays, not a dict: at a million passages
        a common word touches hundreds of thousands of them and fusion looks up a few hundred.
        """
        if self._postings is None:
            return [], {}
        token_ids = self._postings.token_ids([w for w in words if w in self.df])
        if not token_ids:
            return [], {}
        columns = [self._postings.column(t) for t in token_ids]
        rows = np.concatenate([r for r, _ in columns])
        weights = np.concatenate([w for _, w in columns])
        # Either way each row's weights are added in the order they come (the same float64 sums):
        # counting into an array of every row beats sorting once the lists are long.
        if len(rows) * 16 > self.n:
            sums = np.bincount(rows, weights=weights, minlength=self.n)
            touched = np.flatnonzero(sums)
            scores = sums[touched].astype(np.float32)
        else:
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
        return [int(pids[b]) for b in best], ScoreMap(pids, scores)

    def scores(self, words: list[str]) -> np.ndarray:
        """BM25 score of every indexed passage (row order of ``ids``), as bm25s's ``get_scores``."""
        out = np.zeros(self.n, dtype=np.float32)
        if self._postings is None:
            return out
        for t in self._postings.token_ids([w for w in words if w in self.df]):
            rows, weights = self._postings.column(t)
            np.add.at(out, rows, weights)
        return out


def _bm25s():
    """bm25s (and SciPy under it) only when an index is built."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets its own logger to DEBUG
    return bm25s
