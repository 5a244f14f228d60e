"""The on-disk index: generations of (SQLite metadata, FAISS vectors, BM25), switched atomically.

With ``QA_STORE=milvus`` the vectors and BM25 live in a Milvus collection instead of
``dense.faiss`` and ``lexical/`` (see ``milvus_writer``); the folder, CURRENT, the lock and
``meta.sqlite`` work the same way.

Layout under the index folder::

    CURRENT            name of the live generation, replaced atomically
    .lock              held by the one process that writes
    cache.sqlite       embedding cache shared by all generations
    gen-000007/        a complete, read-only generation
        meta.sqlite    files, passages (text, offsets, sentences, words), skipped files
        dense.faiss    normalised vectors by passage id: exact (flat) or IVF above a size (dense_index)
        lexical/       BM25 + document frequencies
        manifest.json  model, dimension, counts and a checksum of every file above
        examples.json  the page's example questions, added after publishing (qa.answer.example_cache)
    milvus-id          QA_STORE=milvus: names this folder's collections on a Milvus server
    milvus.db/         QA_STORE=milvus without a URI: the Milvus Lite data

A writer builds ``gen-N.tmp-<pid>`` beside the live one and only then renames it and swaps
CURRENT, so a reader never sees a half-written generation and a crash leaves the last good
one in place. Readers load a generation once and keep answering from it until they notice
CURRENT has changed.
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from .generation import Generation, Metadata
from .records import (
    CorruptIndex,
    FileRecord,
    IndexBusy,
    IndexProblem,
    Manifest,
    ModelMismatch,
    crash_point,
    fsync_dir,
    fsync_file,
    fsync_tree,
)
from .writer import GenerationWriter

__all__ = ["CorruptIndex", "FileRecord", "Generation", "GenerationWriter", "IndexBusy", "IndexProblem", "Manifest",
           "Metadata", "ModelMismatch", "Store"]


def _store_kind(folder: Path) -> str:
    """Which backend wrote a generation (its manifest is checked in full when it is opened)."""
    try:
        return str(json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("store", "local"))
    except (OSError, ValueError, AttributeError):
        return "local"


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

    def load(self) -> "Metadata":
        name = self.current_name()
        if name is None:
            raise CorruptIndex(f"no index at {self.root} (run `qa index`)")
        if not (self.root / name).is_dir():
            raise CorruptIndex(f"the live index generation {name} named in {self.root / 'CURRENT'} is missing; "
                               "rebuild it with `qa index --full`")
        folder = self.root / name
        if _store_kind(folder) == "milvus":
            from .milvus_generation import MilvusGeneration  # pymilvus is needed only by this store

            return MilvusGeneration.open(folder)
        return Generation.open(folder)

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
        fsync_tree(tmp)
        os.replace(tmp, final)
        fsync_dir(self.root)
        crash_point("publish:renamed")
        pointer = self.root / f"CURRENT.tmp-{os.getpid()}"
        pointer.write_text(name, encoding="utf-8")
        fsync_file(pointer)
        crash_point("publish:pointer-written")
        os.replace(pointer, self.root / "CURRENT")
        fsync_dir(self.root)
        crash_point("publish:swapped")
        self._remove_old(name, keep)

    def _remove_unfinished(self) -> None:
        for p in self.root.glob("*.tmp-*"):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)

    def _remove_old(self, live: str, keep: int) -> None:
        done = sorted(p for p in self.root.glob("gen-*") if p.is_dir() and ".tmp-" not in p.name and p.name != live)
        for p in done[: max(0, len(done) - keep)]:
            shutil.rmtree(p, ignore_errors=True)
