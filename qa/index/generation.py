"""One loaded, read-only generation: passages, vectors, BM25 and meeting rows.

:class:`Metadata` is the SQLite half (passages, files, skipped files, meetings) that every
backend keeps in the generation folder; :class:`Generation` adds the local FAISS and bm25s
files, ``milvus_generation.MilvusGeneration`` a Milvus collection.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path

import faiss
import numpy as np

from ..ingest.meetings import Meeting
from ..ingest.passages import Passage
from . import dense_index
from .lexical import Lexical
from .meeting_rows import read_meetings
from .records import FORMAT_VERSION, CorruptIndex, FileRecord, Manifest, passage_from_row, sha256_file


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a generation folder, with every file it lists checked against its checksum."""
    try:
        manifest = Manifest(**{"reading": 0} | json.loads((folder / "manifest.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise CorruptIndex(f"index generation {folder.name} has no readable manifest: {exc}") from exc
    if manifest.format != FORMAT_VERSION:
        raise CorruptIndex(f"index format {manifest.format} is not {FORMAT_VERSION}; rebuild it")
    for rel, digest in manifest.checksums.items():
        try:
            intact = sha256_file(folder / rel) == digest
        except OSError:  # missing, or removed by a writer while we read
            intact = False
        if not intact:
            raise CorruptIndex(f"index file {folder.name}/{rel} is missing or damaged")
    return manifest


def open_metadata(folder: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"file:{folder / 'meta.sqlite'}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise CorruptIndex(f"index generation {folder.name} cannot be loaded: {exc}") from exc


class Metadata:
    """The SQLite side of a loaded generation, shared by every backend. Thread-safe for readers."""

    def __init__(self, folder: Path, manifest: Manifest, db: sqlite3.Connection):
        self.folder = folder
        self.manifest = manifest
        self._db = db
        self._db_lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.manifest.generation

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._db_lock:
            return self._db.execute(sql, args).fetchall()

    def passages(self, ids: list[int]) -> dict[int, Passage]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._query(
            f"SELECT id, source, paragraph, text, start, end_, title, date, sentences, offsets FROM passages "
            f"WHERE id IN ({marks})",
            tuple(int(i) for i in ids),
        )
        return {row[0]: passage_from_row(row) for row in rows}

    def first_passages(self, limit: int) -> list[Passage]:
        """The first ``limit`` passages in index order (a cheap look at what the corpus holds)."""
        rows = self._query(
            "SELECT id, source, paragraph, text, start, end_, title, date, sentences, offsets FROM passages "
            "ORDER BY id LIMIT ?", (int(limit),))
        return [passage_from_row(r) for r in rows]

    def paragraph(self, source: str, paragraph: int) -> list[Passage]:
        rows = self._query(
            "SELECT id, source, paragraph, text, start, end_, title, date, sentences, offsets FROM passages "
            "WHERE source = ? AND paragraph = ? ORDER BY id",
            (source, paragraph),
        )
        return [passage_from_row(r) for r in rows]

    def files(self) -> list[FileRecord]:
        rows = self._query("SELECT source, sha256, size, encoding, passages FROM files ORDER BY source")
        return [FileRecord(*r) for r in rows]

    def skipped(self) -> list[tuple[str, str]]:
        return [(s, r) for s, r in self._query("SELECT source, reason FROM skipped ORDER BY source")]

    def meetings(self) -> list[Meeting]:
        """Every file's meeting rows, unmerged (qa.ingest.meeting_merge merges reprints)."""
        with self._db_lock:
            return read_meetings(self._db)

    def close(self) -> None:
        with self._db_lock:
            self._db.close()


class Generation(Metadata):
    """A loaded, read-only local generation (FAISS + bm25s files). Thread-safe for readers."""

    def __init__(self, folder: Path, manifest: Manifest, db: sqlite3.Connection, dense: faiss.Index,
                 lexical: Lexical):
        super().__init__(folder, manifest, db)
        self.dense = dense
        self.lexical = lexical

    @classmethod
    def open(cls, folder: Path) -> "Generation":
        manifest = read_manifest(folder)
        try:
            db = open_metadata(folder)
            dense = faiss.read_index(str(folder / "dense.faiss"))
            lexical = Lexical.load(folder / "lexical")
        except Exception as exc:  # faiss/sqlite/numpy raise many types on damaged files
            raise CorruptIndex(f"index generation {folder.name} cannot be loaded: {exc}") from exc
        if dense.ntotal != manifest.passages or dense.d != manifest.dim:
            raise CorruptIndex(f"index generation {folder.name}: vectors do not match the manifest")
        return cls(folder, manifest, db, dense, lexical)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return np.vstack([self.dense.reconstruct(int(i)) for i in ids]) if len(ids) else np.zeros((0, self.dense.d))

    # --- the search side of :class:`qa.index.protocol.IndexView` ---

    @property
    def size(self) -> int:
        return int(self.dense.ntotal)

    def dense_search(self, query: np.ndarray, n: int, nprobe: int) -> dict[int, float]:
        """Passage id → cosine of the ``n`` nearest passages (approximate above the IVF threshold)."""
        sims, ids = dense_index.search(self.dense, query, min(n, self.size), nprobe)
        return {int(i): float(s) for i, s in zip(ids, sims) if i >= 0}

    def dense_scores(self, ids: list[int], query: np.ndarray) -> dict[int, float]:
        """Exact cosine of ``query`` with the given passages."""
        if not ids:
            return {}
        return {i: float(s) for i, s in zip(ids, self.vectors(np.asarray(ids, dtype=np.int64)) @ query)}

    def lexical_search(self, words: list[str], n: int) -> tuple[list[int], Mapping[int, float]]:
        """The mapping holds every passage with a BM25 score, not only the ``n`` best."""
        return self.lexical.search(words, n)

    def lexical_scores(self, ids: list[int], words: list[str]) -> dict[int, float]:
        """Nothing to add: lexical_search already scored every passage that has any of the words."""
        return {}

    def idf(self, word: str) -> float:
        return self.lexical.idf(word)
