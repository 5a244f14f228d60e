"""What an index generation is made of: its manifest, file records, SQLite schema and errors,
and the small file-system helpers that make writing it crash-safe (fsync, checksums)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest.passages import READING_VERSION, Passage

FORMAT_VERSION = 1
SCHEMA = """
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
    #: Where vectors and BM25 live: ``local`` (FAISS + bm25s files in the generation folder) or
    #: ``milvus`` (a Milvus collection; ``milvus`` below says which one and how to read it).
    store: str = "local"
    #: Milvus only: ``uri`` ("" = the Milvus Lite file in the index folder), ``collection``,
    #: ``number`` (the generation number its rows are tagged with) and ``avgdl`` (the BM25 length norm).
    milvus: dict = field(default_factory=dict)
    #: How its files were read into passages and words (``READING_VERSION``; 0 before it was recorded).
    reading: int = READING_VERSION

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1)


@dataclass(frozen=True)
class FileRecord:
    source: str
    sha256: str
    size: int
    encoding: str
    passages: int


def passage_from_row(row: tuple) -> Passage:
    pid, source, paragraph, text, start, end, title, date, sentences, offsets = row
    return Passage(
        source=source, paragraph=paragraph, text=text, start=start, end=end, title=title or "", date=date,
        sentences=[tuple(s) for s in json.loads(sentences)], offsets=unruns(json.loads(offsets)), id=pid,
    )


def offset_runs(offsets: list[int]) -> list[list[int]]:
    """Compress per-character offsets into [original_start, length] runs."""
    runs: list[list[int]] = []
    for o in offsets:
        if runs and runs[-1][0] + runs[-1][1] == o:
            runs[-1][1] += 1
        else:
            runs.append([o, 1])
    return runs


def unruns(runs: list[list[int]]) -> list[int]:
    return [start + i for start, length in runs for i in range(length)]


def crash_point(name: str) -> None:
    """Test-only hook: ``QA_TEST_CRASH_AT=<name>`` SIGKILLs the process here (tests/test_crash.py)."""
    if os.environ.get("QA_TEST_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    for p in root.rglob("*"):
        if p.is_file():
            fsync_file(p)
    for p in [root, *[d for d in root.rglob("*") if d.is_dir()]]:
        fsync_dir(p)
