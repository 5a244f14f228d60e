"""What the Bot, retrieval and the reader need from a loaded index: one small explicit protocol.

:class:`qa.index.generation.Generation` (SQLite + FAISS + bm25s on local disk) and
:class:`qa.index.milvus_generation.MilvusGeneration` (SQLite + a Milvus collection) implement it;
any other backend the Bot is given must too. Everything is read-only and thread-safe for readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import numpy as np

from ..ingest.passages import Passage


@runtime_checkable
class IndexView(Protocol):
    @property
    def name(self) -> str:
        """The generation's name; changes whenever the index is rebuilt or updated."""

    @property
    def size(self) -> int:
        """How many passages the index holds."""

    # --- metadata ---
    def passages(self, ids: list[int]) -> dict[int, Passage]: ...

    def paragraph(self, source: str, paragraph: int) -> list[Passage]: ...

    def first_passages(self, limit: int) -> list[Passage]: ...

    def files(self) -> list: ...  # list[FileRecord]

    def skipped(self) -> list[tuple[str, str]]: ...

    # --- search ---
    def dense_search(self, query: np.ndarray, n: int, nprobe: int) -> dict[int, float]:
        """Passage id → cosine for the ``n`` nearest passages."""

    def dense_scores(self, ids: list[int], query: np.ndarray) -> dict[int, float]:
        """Exact cosine for given passages (candidates that only BM25 found)."""

    def lexical_search(self, words: list[str], n: int) -> tuple[list[int], Mapping[int, float]]:
        """The ``n`` best BM25 passage ids, and BM25 scores: at least theirs (the local store gives
        every passage that has one)."""

    def lexical_scores(self, ids: list[int], words: list[str]) -> dict[int, float]:
        """BM25 of given passages that lexical_search's scores lack (candidates only the dense side
        found); a passage left out scores 0."""

    def idf(self, word: str) -> float: ...

    def close(self) -> None: ...
