"""Writing a new generation beside the live one: the writer copies the previous generation and
applies the changes of one update (files removed and added, skipped files, meeting rows).

:class:`MetadataWriter` writes the SQLite half every backend keeps in the generation folder;
:class:`GenerationWriter` adds the local FAISS and bm25s files, ``milvus_writer.MilvusWriter``
a Milvus collection. The indexer only calls the methods they share."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

from ..ingest.meetings import Meeting
from ..ingest.passages import Passage
from . import dense_index
from .generation import Generation, Metadata
from .lexical import Lexical
from .meeting_rows import ensure_tables, stale_sources, write_meetings
from .records import SCHEMA, FileRecord, Manifest, offset_runs, sha256_file


class MetadataWriter:
    """Builds the SQLite metadata of a new generation folder from the previous one plus changes."""

    def __init__(self, tmp: Path, name: str, previous: Metadata | None, model: str, dim: int,
                 encoder: str = "torch"):
        self.tmp, self.name, self.model, self.dim, self.encoder = tmp, name, model, dim, encoder
        tmp.mkdir(parents=True)
        self.db = sqlite3.connect(tmp / "meta.sqlite")
        if previous is not None:
            with previous._db_lock:
                previous._db.backup(self.db)
        else:
            self.db.executescript(SCHEMA)
        ensure_tables(self.db)

    def next_id(self) -> int:
        """Ids are never reused (AUTOINCREMENT remembers the largest ever), so a passage id names
        one passage across generations."""
        row = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'passages'").fetchone()
        return int(row[0]) + 1 if row else 1

    def remove_file(self, source: str) -> list[int]:
        """Forget ``source``; returns the passage ids it had."""
        ids = [r[0] for r in self.db.execute("SELECT id FROM passages WHERE source = ?", (source,))]
        self.db.execute("DELETE FROM passages WHERE source = ?", (source,))
        self.db.execute("DELETE FROM files WHERE source = ?", (source,))
        write_meetings(self.db, source, None)
        return ids

    def add_file(self, record: FileRecord, passages: list[Passage], words: list[list[str]],
                 vectors: np.ndarray) -> np.ndarray:
        """Replace ``record.source``'s rows; returns the new passages' ids."""
        self.remove_file(record.source)
        first = self.next_id()
        ids = np.arange(first, first + len(passages), dtype=np.int64)
        self.db.executemany(
            "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (int(i), p.source, p.paragraph, p.text, p.start, p.end, p.title, p.date,
                 json.dumps(p.sentences), json.dumps(offset_runs(p.offsets)), " ".join(w))
                for i, p, w in zip(ids, passages, words)
            ],
        )
        self.db.execute(
            "INSERT INTO files VALUES (?,?,?,?,?,?)",
            (record.source, record.sha256, record.size, record.encoding, len(passages), time.time()),
        )
        return ids

    def set_meetings(self, source: str, meetings: list[Meeting]) -> None:
        write_meetings(self.db, source, meetings)

    def stale_meetings(self) -> list[str]:
        """Files whose meetings must be (re-)extracted: never were, or by an older extractor."""
        return stale_sources(self.db)

    def set_skipped(self, skipped: list[tuple[str, str]]) -> None:
        self.db.execute("DELETE FROM skipped")
        self.db.executemany("INSERT INTO skipped VALUES (?, ?)", skipped)

    def sources(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT source, sha256 FROM files"))

    def all_words(self) -> tuple[list[int], list[list[str]]]:
        """(ids, BM25 words) of every passage, in id order."""
        ids, words = [], []
        one: dict[str, str] = {}  # one string object per distinct word: a million passages' words fit in RAM
        for pid, text in self.db.execute("SELECT id, words FROM passages ORDER BY id"):
            ids.append(pid)
            words.append([one.setdefault(w, w) for w in text.split()])
        return ids, words

    def checksums(self) -> dict[str, str]:
        return {p.relative_to(self.tmp).as_posix(): sha256_file(p)
                for p in sorted(self.tmp.rglob("*")) if p.is_file()}

    def published(self, root: Path) -> None:
        """Called once the generation is live (a backend's clean-up of what no one can see)."""

    def close(self) -> None:
        """Let go of connections (the local files need none)."""

    def abort(self) -> None:
        try:
            self.db.close()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


class GenerationWriter(MetadataWriter):
    """Builds a new local generation folder (SQLite, FAISS, bm25s) from the previous one plus changes."""

    def __init__(self, tmp: Path, name: str, previous: Generation | None, model: str, dim: int,
                 encoder: str = "torch", ann_threshold: int = 1 << 62):
        super().__init__(tmp, name, previous, model, dim, encoder)
        self.ann_threshold = ann_threshold
        self.dense = faiss.clone_index(previous.dense) if previous is not None else dense_index.empty_flat(dim)

    def remove_file(self, source: str) -> list[int]:
        ids = super().remove_file(source)
        if ids:
            self.dense.remove_ids(np.asarray(ids, dtype=np.int64))
        return ids

    def add_file(self, record: FileRecord, passages: list[Passage], words: list[list[str]],
                 vectors: np.ndarray) -> np.ndarray:
        ids = super().add_file(record, passages, words, vectors)
        if len(passages):
            self.dense.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
        return ids

    def finish(self, progress: Callable[[int, int], None] | None = None) -> Manifest:
        """Write BM25, the dense index and the manifest; ``progress(done, 4)`` after each step
        (minutes at a million passages)."""
        step = progress or (lambda done, total: None)
        self.db.commit()
        ids, words = self.all_words()
        step(1, 4)
        Lexical.build(ids, words).save(self.tmp / "lexical")
        del words
        step(2, 4)
        files = self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        self.db.close()
        self.dense = dense_index.fit(self.dense, self.ann_threshold)
        faiss.write_index(self.dense, str(self.tmp / "dense.faiss"))
        step(3, 4)
        manifest = Manifest(self.name, self.model, self.dim, files, int(self.dense.ntotal), time.time(),
                            self.checksums(), encoder=self.encoder, dense_kind=dense_index.kind_of(self.dense))
        (self.tmp / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
        step(4, 4)
        return manifest
