"""The on-disk index: generations of (SQLite metadata, FAISS vectors, BM25), switched atomically.

Layout under the index folder::

    CURRENT            name of the live generation, replaced atomically
    .lock              held by the one process that writes
    cache.sqlite       embedding cache shared by all generations
    gen-000007/        a complete, read-only generation
        meta.sqlite    files, passages (text, offsets, sentences, words), skipped files
        dense.faiss    normalised vectors by passage id: exact (flat) or IVF above a size (dense_index)
        lexical/       BM25 + document frequencies
        manifest.json  model, dimension, counts and a checksum of every file above

A writer builds ``gen-N.tmp-<pid>`` beside the live one and only then renames it and swaps
CURRENT, so a reader never sees a half-written generation and a crash leaves the last good
one in place. Readers load a generation once and keep answering from it until they notice
CURRENT has changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import faiss
import numpy as np
from filelock import FileLock, Timeout

from ..ingest.meetings import Meeting
from ..ingest.passages import Passage
from . import dense_index
from .lexical import Lexical
from .meeting_rows import ensure_tables, read_meetings, stale_sources, write_meetings

FORMAT_VERSION = 1
_SCHEMA = """
CREATE TABLE files (source TEXT PRIMARY KEY, sha256 TEXT, size INTEGER, encoding TEXT, passages INTEGER,
                    indexed_at REAL);
CREATE TABLE passages (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT, paragraph INTEGER, text TEXT, start INTEGER,
                       end_ INTEGER, title TEXT, date TEXT, sentences TEXT, offsets TEXT, words TEXT);
CREATE INDEX passages_source ON passages (source);
CREATE TABLE skipped (source TEXT PRIMARY KEY, reason TEXT);
"""


class IndexProblem(Exception):
    """Base for index problems that the user can fix by rebuilding."""


class CorruptIndex(IndexProblem):
    pass


class ModelMismatch(IndexProblem):
    pass


class IndexBusy(IndexProblem):
    pass


@dataclass(frozen=True)
class Manifest:
    generation: str
    model: str
    dim: int
    files: int
    passages: int
    created: float
    checksums: dict[str, str]
    format: int = FORMAT_VERSION
    #: The encoder path that made the vectors (``torch`` or ``onnx-int8``): two paths are two
    #: models to the index. Indexes written before this field existed were built with torch.
    encoder: str = "torch"
    #: The dense index kind (see ``dense_index``): ``flat``, or ``ivf<nlist>`` when approximate.
    dense_kind: str = "flat"

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1)


@dataclass(frozen=True)
class FileRecord:
    source: str
    sha256: str
    size: int
    encoding: str
    passages: int


# --- the whole folder ---------------------------------------------------------------------------


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def cache_path(self) -> Path:
        return self.root / "cache.sqlite"

    def current_name(self) -> str | None:
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def exists(self) -> bool:
        return self.current_name() is not None

    def load(self) -> "Generation":
        name = self.current_name()
        if name is None:
            raise CorruptIndex(f"no index at {self.root} (run `qa index`)")
        if not (self.root / name).is_dir():
            raise CorruptIndex(f"the live index generation {name} named in {self.root / 'CURRENT'} is missing; "
                               "rebuild it with `qa index --full`")
        return Generation.open(self.root / name)

    @contextmanager
    def writing(self, wait: float = -1) -> Iterator[None]:
        """Hold the single-writer lock; ``wait`` seconds (-1 = forever) before IndexBusy."""
        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.root / ".lock"))
        try:
            lock.acquire(timeout=wait)
        except Timeout as exc:
            raise IndexBusy(f"another process is writing the index at {self.root}") from exc
        try:
            self._remove_unfinished()
            yield
        finally:
            lock.release()

    def new_generation_dir(self) -> tuple[str, Path]:
        numbers = [int(p.name[4:10]) for p in self.root.glob("gen-*") if p.name[4:10].isdigit()]
        live = self.current_name() or ""
        if live[4:10].isdigit():  # never reuse the live name, even if its folder was deleted
            numbers.append(int(live[4:10]))
        name = f"gen-{max(numbers, default=0) + 1:06d}"
        return name, self.root / f"{name}.tmp-{os.getpid()}"

    def publish(self, name: str, tmp: Path, keep: int) -> None:
        """Make a finished generation live in one atomic step."""
        final = self.root / name
        _fsync_tree(tmp)
        os.replace(tmp, final)
        _fsync_dir(self.root)
        _crash_point("publish:renamed")
        pointer = self.root / f"CURRENT.tmp-{os.getpid()}"
        pointer.write_text(name, encoding="utf-8")
        _fsync_file(pointer)
        _crash_point("publish:pointer-written")
        os.replace(pointer, self.root / "CURRENT")
        _fsync_dir(self.root)
        _crash_point("publish:swapped")
        self._remove_old(name, keep)

    def _remove_unfinished(self) -> None:
        for p in self.root.glob("*.tmp-*"):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)

    def _remove_old(self, live: str, keep: int) -> None:
        done = sorted(p for p in self.root.glob("gen-*") if p.is_dir() and ".tmp-" not in p.name and p.name != live)
        for p in done[: max(0, len(done) - keep)]:
            shutil.rmtree(p, ignore_errors=True)


# --- one generation ---------------------------------------------------------------------------------


class Generation:
    """A loaded, read-only generation. Thread-safe for readers."""

    def __init__(self, folder: Path, manifest: Manifest, db: sqlite3.Connection, dense: faiss.Index,
                 lexical: Lexical):
        self.folder = folder
        self.manifest = manifest
        self._db = db
        self._db_lock = threading.Lock()
        self.dense = dense
        self.lexical = lexical

    @property
    def name(self) -> str:
        return self.manifest.generation

    @classmethod
    def open(cls, folder: Path) -> "Generation":
        try:
            manifest = Manifest(**json.loads((folder / "manifest.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise CorruptIndex(f"index generation {folder.name} has no readable manifest: {exc}") from exc
        if manifest.format != FORMAT_VERSION:
            raise CorruptIndex(f"index format {manifest.format} is not {FORMAT_VERSION}; rebuild it")
        for rel, digest in manifest.checksums.items():
            try:
                intact = _sha256_file(folder / rel) == digest
            except OSError:  # missing, or removed by a writer while we read
                intact = False
            if not intact:
                raise CorruptIndex(f"index file {folder.name}/{rel} is missing or damaged")
        try:
            db = sqlite3.connect(f"file:{folder / 'meta.sqlite'}?mode=ro", uri=True, check_same_thread=False)
            dense = faiss.read_index(str(folder / "dense.faiss"))
            lexical = Lexical.load(folder / "lexical")
        except Exception as exc:  # faiss/sqlite/numpy raise many types on damaged files
            raise CorruptIndex(f"index generation {folder.name} cannot be loaded: {exc}") from exc
        if dense.ntotal != manifest.passages or dense.d != manifest.dim:
            raise CorruptIndex(f"index generation {folder.name}: vectors do not match the manifest")
        return cls(folder, manifest, db, dense, lexical)

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
        return {row[0]: _passage_from_row(row) for row in rows}

    def first_passages(self, limit: int) -> list[Passage]:
        """The first ``limit`` passages in index order (a cheap look at what the corpus holds)."""
        rows = self._query(
            "SELECT id, source, paragraph, text, start, end_, title, date, sentences, offsets FROM passages "
            "ORDER BY id LIMIT ?", (int(limit),))
        return [_passage_from_row(r) for r in rows]

    def paragraph(self, source: str, paragraph: int) -> list[Passage]:
        rows = self._query(
            "SELECT id, source, paragraph, text, start, end_, title, date, sentences, offsets FROM passages "
            "WHERE source = ? AND paragraph = ? ORDER BY id",
            (source, paragraph),
        )
        return [_passage_from_row(r) for r in rows]

    def files(self) -> list[FileRecord]:
        rows = self._query("SELECT source, sha256, size, encoding, passages FROM files ORDER BY source")
        return [FileRecord(*r) for r in rows]

    def skipped(self) -> list[tuple[str, str]]:
        return [(s, r) for s, r in self._query("SELECT source, reason FROM skipped ORDER BY source")]

    def meetings(self) -> list[Meeting]:
        """Every file's meeting rows, unmerged (qa.ingest.meeting_merge merges reprints)."""
        with self._db_lock:
            return read_meetings(self._db)

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

    def lexical_search(self, words: list[str], n: int) -> tuple[list[int], dict[int, float]]:
        return self.lexical.search(words, n)

    def idf(self, word: str) -> float:
        return self.lexical.idf(word)

    def close(self) -> None:
        with self._db_lock:
            self._db.close()


# --- writing a generation -------------------------------------------------------------------------


class GenerationWriter:
    """Builds a new generation folder from the previous one plus changes."""

    def __init__(self, tmp: Path, name: str, previous: Generation | None, model: str, dim: int,
                 encoder: str = "torch", ann_threshold: int = 1 << 62):
        self.tmp, self.name, self.model, self.dim, self.encoder = tmp, name, model, dim, encoder
        self.ann_threshold = ann_threshold
        tmp.mkdir(parents=True)
        self.db = sqlite3.connect(tmp / "meta.sqlite")
        if previous is not None:
            with previous._db_lock:
                previous._db.backup(self.db)
            self.dense = faiss.clone_index(previous.dense)
        else:
            self.db.executescript(_SCHEMA)
            self.dense = dense_index.empty_flat(dim)
        ensure_tables(self.db)

    def next_id(self) -> int:
        """Ids are never reused (AUTOINCREMENT remembers the largest ever), so a passage id names
        one passage across generations."""
        row = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'passages'").fetchone()
        return int(row[0]) + 1 if row else 1

    def remove_file(self, source: str) -> None:
        ids = [r[0] for r in self.db.execute("SELECT id FROM passages WHERE source = ?", (source,))]
        if ids:
            self.dense.remove_ids(np.asarray(ids, dtype=np.int64))
        self.db.execute("DELETE FROM passages WHERE source = ?", (source,))
        self.db.execute("DELETE FROM files WHERE source = ?", (source,))
        write_meetings(self.db, source, None)

    def add_file(self, record: FileRecord, passages: list[Passage], words: list[list[str]],
                 vectors: np.ndarray) -> None:
        self.remove_file(record.source)
        first = self.next_id()
        ids = np.arange(first, first + len(passages), dtype=np.int64)
        self.db.executemany(
            "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (int(i), p.source, p.paragraph, p.text, p.start, p.end, p.title, p.date,
                 json.dumps(p.sentences), json.dumps(_runs(p.offsets)), " ".join(w))
                for i, p, w in zip(ids, passages, words)
            ],
        )
        self.db.execute(
            "INSERT INTO files VALUES (?,?,?,?,?,?)",
            (record.source, record.sha256, record.size, record.encoding, len(passages), time.time()),
        )
        if len(passages):
            self.dense.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)

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

    def finish(self) -> Manifest:
        self.db.commit()
        ids, words = [], []
        for pid, text in self.db.execute("SELECT id, words FROM passages ORDER BY id"):
            ids.append(pid)
            words.append(text.split())
        Lexical.build(ids, words).save(self.tmp / "lexical")
        files = self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        self.db.close()
        self.dense = dense_index.fit(self.dense, self.ann_threshold)
        faiss.write_index(self.dense, str(self.tmp / "dense.faiss"))
        checksums = {
            p.relative_to(self.tmp).as_posix(): _sha256_file(p)
            for p in sorted(self.tmp.rglob("*")) if p.is_file()
        }
        manifest = Manifest(self.name, self.model, self.dim, files, int(self.dense.ntotal), time.time(), checksums,
                            encoder=self.encoder, dense_kind=dense_index.kind_of(self.dense))
        (self.tmp / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
        return manifest

    def abort(self) -> None:
        try:
            self.db.close()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


# --- helpers ----------------------------------------------------------------------------------------


def _passage_from_row(row: tuple) -> Passage:
    pid, source, paragraph, text, start, end, title, date, sentences, offsets = row
    return Passage(
        source=source, paragraph=paragraph, text=text, start=start, end=end, title=title or "", date=date,
        sentences=[tuple(s) for s in json.loads(sentences)], offsets=_unruns(json.loads(offsets)), id=pid,
    )


def _runs(offsets: list[int]) -> list[list[int]]:
    """Compress per-character offsets into [original_start, length] runs."""
    runs: list[list[int]] = []
    for o in offsets:
        if runs and runs[-1][0] + runs[-1][1] == o:
            runs[-1][1] += 1
        else:
            runs.append([o, 1])
    return runs


def _unruns(runs: list[list[int]]) -> list[int]:
    return [start + i for start, length in runs for i in range(length)]


def _crash_point(name: str) -> None:
    """Test-only hook: ``QA_TEST_CRASH_AT=<name>`` SIGKILLs the process here (tests/test_crash.py)."""
    if os.environ.get("QA_TEST_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for p in root.rglob("*"):
        if p.is_file():
            _fsync_file(p)
    for p in [root, *[d for d in root.rglob("*") if d.is_dir()]]:
        _fsync_dir(p)
