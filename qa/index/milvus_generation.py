"""A loaded generation whose vectors and BM25 sparse vectors live in Milvus.

Passages, files, skipped files, meeting rows and the BM25 vocabulary stay in the generation
folder's SQLite (as in the local store); Milvus holds, per passage, its id, source, dense
vector, BM25 sparse vector and two generation tags. A row belongs to generation ``g`` when
``born <= g < died``: an incremental update adds rows born in the new generation and marks the
rows it replaces as died there, so one collection serves the live generation and the older ones
readers may still hold, and rows of an update that never finished belong to no published
generation. Every search is filtered by the generation's own number.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from . import milvus_client
from .generation import Metadata, open_metadata, read_manifest
from .lexical import bm25_idf
from .milvus_bm25 import dot, question_vector, read_vocabulary
from .records import CorruptIndex, Manifest

DENSE, SPARSE = "vector", "sparse"


def visible(number: int) -> str:
    """The Milvus filter of the rows generation ``number`` holds."""
    return f"born <= {number} and died > {number}"


class MilvusGeneration(Metadata):
    """A loaded, read-only generation backed by a Milvus collection. Thread-safe for readers."""

    def __init__(self, folder: Path, manifest: Manifest, db: sqlite3.Connection, uri: str):
        super().__init__(folder, manifest, db)
        self.uri = uri
        self.collection = manifest.milvus["collection"]
        self.number = int(manifest.milvus["number"])
        self._filter = visible(self.number)
        self.vocab, self.df = read_vocabulary(db)
        self._client = milvus_client.acquire(uri)

    @classmethod
    def open(cls, folder: Path) -> "MilvusGeneration":
        manifest = read_manifest(folder)
        uri = milvus_client.resolve_uri(manifest.milvus.get("uri", ""), folder.parent)
        generation = cls(folder, manifest, open_metadata(folder), uri)
        try:
            generation._check()
        except BaseException:
            generation.close()
            raise
        return generation

    def _check(self) -> None:
        """The collection exists and holds this generation's first and last passages (the local
        store checks its FAISS file against the manifest; counting every row with the generation
        filter takes Milvus Lite over a second per 10,000 passages, so opening spot-checks)."""
        client, name = self._client, self.folder.name
        ends = [i for i in self._query("SELECT MIN(id), MAX(id) FROM passages")[0] if i is not None]
        try:
            if not client.has_collection(self.collection):
                raise CorruptIndex(f"index generation {name}: Milvus collection {self.collection} is missing")
            client.load_collection(self.collection)
            rows = client.query(self.collection, ids=sorted(set(ends)), output_fields=["born", "died"]) if ends else []
        except CorruptIndex:
            raise
        except Exception as exc:
            raise CorruptIndex(f"index generation {name} cannot be read from Milvus ({self.uri}): {exc}") from exc
        if len(rows) != len(set(ends)) or any(not r["born"] <= self.number < r["died"] for r in rows):
            raise CorruptIndex(f"index generation {name}: its passages are not in Milvus collection {self.collection}")

    def count(self) -> int:
        """How many rows Milvus holds for this generation (a full check; slow on Milvus Lite)."""
        return int(self._client.query(self.collection, filter=self._filter, output_fields=["count(*)"])[0]["count(*)"])

    # --- the search side of :class:`qa.index.protocol.IndexView` ---

    @property
    def size(self) -> int:
        return int(self.manifest.passages)

    def dense_search(self, query: np.ndarray, n: int, nprobe: int) -> dict[int, float]:
        """Passage id → cosine of the ``n`` nearest passages (exact: a FLAT index)."""
        if self.size == 0 or n <= 0:
            return {}
        hits = self._client.search(self.collection, [np.asarray(query, dtype=np.float32).tolist()],
                                   anns_field=DENSE, limit=min(n, self.size), filter=self._filter,
                                   output_fields=["id"], search_params={"metric_type": "IP"})[0]
        return {int(h["id"]): float(h["distance"]) for h in hits}

    def dense_scores(self, ids: list[int], query: np.ndarray) -> dict[int, float]:
        """Exact cosine of ``query`` with the given passages (their vectors read back from Milvus)."""
        if not ids:
            return {}
        rows = self._client.query(self.collection, ids=[int(i) for i in ids], output_fields=[DENSE])
        q = np.asarray(query, dtype=np.float32)
        return {int(r["id"]): float(np.asarray(r[DENSE], dtype=np.float32) @ q) for r in rows}

    def lexical_search(self, words: list[str], n: int) -> tuple[list[int], dict[int, float]]:
        """The ``n`` best BM25 passages and their scores (Milvus sparse inner product)."""
        query = question_vector(words, self.vocab, self.df, self.size)
        if not query or n <= 0:
            return [], {}
        hits = self._client.search(self.collection, [query], anns_field=SPARSE, limit=min(n, self.size),
                                   filter=self._filter, output_fields=["id"], search_params={"metric_type": "IP"})[0]
        scores = {int(h["id"]): float(h["distance"]) for h in hits if h["distance"] > 0}
        return list(scores), scores

    def lexical_scores(self, ids: list[int], words: list[str]) -> dict[int, float]:
        """BM25 of passages outside the ``n`` best (found by the dense side): their sparse vectors
        read back and multiplied here."""
        query = question_vector(words, self.vocab, self.df, self.size)
        if not ids or not query:
            return {}
        rows = self._client.query(self.collection, ids=[int(i) for i in ids], output_fields=[SPARSE])
        return {int(r["id"]): dot(query, {int(k): float(v) for k, v in r[SPARSE].items()}) for r in rows}

    def idf(self, word: str) -> float:
        return bm25_idf(self.df.get(word, 0), self.size)

    def close(self) -> None:
        super().close()
        if self._client is not None:
            self._client = None
            milvus_client.release(self.uri)
