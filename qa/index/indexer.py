"""Bringing the index up to date with the corpus folder: the only code that writes an index.

Files are tracked by content hash: an added file is embedded alone, a changed one replaces
its passages, a removed one takes its passages out. Vectors come from the embedding cache
whenever the same text was embedded before with the same model.

New files are prepared (parsed, cleaned, cut, tokenised, meetings extracted) on a producer
thread (``pipeline.Prefetch``) while the files before them are encoded, and encoded in groups
of about ``ENCODE_GROUP`` passages, so the encoder's streams stay busy across small files. The
whole generation is one SQLite transaction, written beside the live one and published at once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..ingest.meetings import extract_meetings
from ..ingest.passages import READING_VERSION, Passage, document_passages
from ..ingest.readers import ReadError, file_sha256, parse_document, read_bytes
from ..ingest.script import fold
from ..ingest.tokens import words
from .embed import Embedder, EmbeddingCache, embed_with_cache, encode_uncached
from .pipeline import Prefetch, Prepared, StageTimes, timed
from .store import FileRecord, GenerationWriter, Metadata, ModelMismatch, Store
from .writer import MetadataWriter

log = logging.getLogger(__name__)

#: Progress of long work, reported as (stage, done, total); stages: read, embed, write (and ask
#: in the benchmarks). The CLI shows it on the console, the page as a Gradio progress bar.
Progress = Callable[[str, int, int], None]

#: Passages encoded together: enough to keep every stream busy, few enough to show progress.
ENCODE_GROUP = 256


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    #: Passages whose vectors were computed by the model (not found in the cache).
    embedded: int = 0
    passages: int = 0
    files: int = 0
    generation: str | None = None

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def scan_corpus(root: Path, config: Config) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to index and files to skip (with the reason), in a stable order."""
    root = root.resolve()
    index = Path(config.index).resolve()  # an index kept inside the corpus is not part of it
    wanted: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and Path(dirpath, d) != index)
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):  # os.walk does not enter them
                rel = _shown((Path(dirpath) / name).relative_to(root).as_posix())
                skipped.append((rel, "symbolic link to a folder (links to folders are not followed)"))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if _shown(rel) != rel:
                skipped.append((_shown(rel), "file name is not valid UTF-8; rename the file"))
                continue
            if path.is_symlink():
                try:
                    target = path.resolve()
                except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
                    skipped.append((rel, "symbolic link that loops or cannot be resolved"))
                    continue
                if not target.is_relative_to(root):
                    skipped.append((rel, "symbolic link to a file outside the corpus folder"))
                    continue
                if not target.is_file():
                    skipped.append((rel, "symbolic link to nothing readable"))
                    continue
            if path.suffix.lower() not in config.extensions:
                skipped.append((rel, f"unsupported file type {path.suffix or '(none)'}"))
                continue
            if not path.is_file():  # reading a named pipe would block forever
                skipped.append((rel, "not a regular file (a pipe, socket or device)"))
                continue
            wanted.append(path)
    return wanted, skipped


def _shown(name: str) -> str:
    """A file name as text; bytes that are not UTF-8 (kept by Python as surrogates) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def update_index(
    config: Config,
    embedder: Embedder,
    full: bool = False,
    progress: Progress | None = None,
    wait: float = -1,
    times: StageTimes | None = None,
) -> IndexReport:
    """Bring ``config.index`` in line with ``config.corpus``; returns what changed (``times``, when
    given, collects the busy seconds of each stage)."""
    store = Store(config.index)
    corpus = Path(config.corpus).resolve()
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus} does not exist")
    with store.writing(wait=wait):
        previous = None if full else _load_previous(store, embedder, config)
        try:
            with timed(times, "read"):
                plan = _plan(corpus, config, previous, progress)
            report = plan.report
            report.generation = _write(store, previous, embedder, config, plan, progress, times)
        finally:
            if previous is not None:
                previous.close()
        final = store.load()
        report.files, report.passages = final.manifest.files, final.manifest.passages
        final.close()
        return report


@dataclass
class _Plan:
    report: IndexReport  # removed and skipped are filled in; added and changed come with the write
    todo: list[tuple[str, bytes]]  # (source, bytes) of every new or changed file
    indexed: set[str]  # sources the previous generation holds


def _plan(corpus: Path, config: Config, previous: Metadata | None, progress: Progress | None) -> _Plan:
    """Read the folder once and compare it with the previous generation."""
    report = IndexReport()
    paths, report.skipped = scan_corpus(corpus, config)
    old = {f.source: f.sha256 for f in previous.files()} if previous else {}
    seen: set[str] = set()
    todo: list[tuple[str, bytes]] = []
    for i, path in enumerate(paths):
        rel = path.relative_to(corpus).as_posix()
        try:
            data = read_bytes(path, config.max_file_bytes)
        except ReadError as exc:
            report.skipped.append((rel, str(exc)))
            continue
        seen.add(rel)
        if old.get(rel) == file_sha256(data):
            report.unchanged += 1
        else:
            todo.append((rel, data))
        if progress:
            progress("read", i + 1, len(paths))
    report.removed = sorted(set(old) - seen)
    return _Plan(report, todo, set(old))


def _write(store: Store, previous: Metadata | None, embedder: Embedder, config: Config, plan: _Plan,
           progress: Progress | None, times: StageTimes | None = None) -> str:
    """Apply the plan as a new generation and publish it; returns the live generation's name."""
    report, todo, old = plan.report, plan.todo, plan.indexed
    name, tmp = store.new_generation_dir()
    writer = new_writer(store, config, embedder.name, embedder.dim, embedder.encoder, name, tmp, previous)
    cache = EmbeddingCache(store.cache_path)
    try:
        for rel in report.removed:
            writer.remove_file(rel)
        group: list[Prepared] = []
        done = 0
        with Prefetch(todo, config.max_passage_chars, times) as prepared:
            for item in prepared:
                if item.error is not None:
                    report.skipped.append((item.source, str(item.error)))
                    if item.source in old:  # it was readable before: keep nothing stale
                        writer.remove_file(item.source)
                        report.removed.append(item.source)
                    continue
                group.append(item)
                if sum(len(g.texts) for g in group) >= ENCODE_GROUP:
                    done = _add_group(writer, cache, embedder, group, report, old, times, progress, done, len(todo))
                    group = []
        if group:
            _add_group(writer, cache, embedder, group, report, old, times, progress, done, len(todo))
        refreshed = _refresh_meetings(writer, Path(config.corpus), config)
        if previous is not None and not report.changed_anything and not refreshed and \
                sorted(report.skipped) == sorted(previous.skipped()):
            writer.abort()
            return previous.name
        writer.set_skipped(sorted(report.skipped))
        if progress:
            progress("write", 0, 1)
        with timed(times, "write"):
            manifest = writer.finish()
            store.publish(name, tmp, config.keep_generations)
            writer.published(store.root)
        if progress:
            progress("write", 1, 1)
        return manifest.generation
    except BaseException:
        writer.abort()
        raise
    finally:
        writer.close()
        cache.close()


def new_writer(store: Store, config: Config, model: str, dim: int, encoder: str, name: str, tmp: Path,
               previous: Metadata | None) -> MetadataWriter:
    """The writer of the configured store (``local``: FAISS + bm25s files; ``milvus``) for vectors of
    ``model`` (``dim`` wide, from ``encoder``)."""
    if config.store == "milvus":
        from .milvus_client import resolve_uri
        from .milvus_writer import MilvusWriter  # pymilvus is needed only by this store

        return MilvusWriter(tmp, name, previous, model, dim, encoder,
                            uri=resolve_uri(config.milvus_uri, store.root), store_uri=config.milvus_uri)
    if config.store != "local":
        raise ValueError(f"unknown store {config.store!r} (QA_STORE is local or milvus)")
    return GenerationWriter(tmp, name, previous, model, dim, encoder, ann_threshold=config.ann_threshold)


def _refresh_meetings(writer: MetadataWriter, corpus: Path, config: Config) -> bool:
    """Extract the meetings of unchanged files indexed before meetings were (or by an older extractor)."""
    stale = writer.stale_meetings()
    for rel in stale:
        try:
            doc = parse_document(rel, read_bytes(corpus / rel, config.max_file_bytes))
        except (ReadError, OSError) as exc:
            log.warning("meetings of %s not extracted: %s", rel, exc)
            writer.set_meetings(rel, [])
            continue
        writer.set_meetings(rel, extract_meetings(document_passages(doc, config.max_passage_chars)))
    return bool(stale)


def _add_group(writer: MetadataWriter, cache: EmbeddingCache, embedder: Embedder, group: list[Prepared],
               report: IndexReport, old: set[str], times: StageTimes | None, progress: Progress | None,
               done: int, files: int) -> int:
    """Encode a group of prepared files together, then cache and write them file by file (a
    killed build keeps the vectors of every file it reported); returns the files done so far."""
    with timed(times, "encode"):
        vectors, fresh = encode_uncached(embedder, cache, [t for item in group for t in item.texts])
    report.embedded += len(fresh)
    start = 0
    for item in group:
        end = start + len(item.texts)
        with timed(times, "write"):
            keys = {EmbeddingCache.key(t) for t in item.texts}
            new = [(k, fresh.pop(k)) for k in sorted(keys) if k in fresh]
            cache.put_many(embedder.vectors_id, new)
            writer.add_file(item.record, item.passages, item.words, vectors[start:end])
            writer.set_meetings(item.source, item.meetings)
        (report.changed if item.source in old else report.added).append(item.source)
        start = end
        done += 1
        if progress and new:  # files whose vectors came from the cache were not embedded
            progress("embed", done, files)
    return done


def add_files(writer: MetadataWriter, cache: EmbeddingCache, embedder: Embedder,
              files: list[tuple[FileRecord, list[Passage]]], progress: Callable[[int, int], None] | None = None) -> int:
    """Embed (cache first) and add the passages of ``files`` in one batch; returns how many were encoded."""
    texts = [fold(p.search_text) for _, passages in files for p in passages]
    vectors, embedded = embed_with_cache(embedder, cache, texts, progress)
    start = 0
    for record, passages in files:
        end = start + len(passages)
        writer.add_file(record, passages, [words(t) for t in texts[start:end]], vectors[start:end])
        start = end
    return embedded


def _load_previous(store: Store, embedder: Embedder, config: Config) -> Metadata | None:
    if not store.exists():
        return None
    try:
        previous = store.load()
    except Exception as exc:  # a damaged index is rebuilt from scratch, never trusted
        log.warning("existing index is unusable (%s); rebuilding from scratch", exc)
        return None
    m = previous.manifest
    if (m.store, m.milvus.get("uri", "")) != (config.store, config.milvus_uri if config.store == "milvus" else ""):
        log.warning("the index in %s is in the %s store, not %s; rebuilding it there", store.root, m.store,
                    config.store)  # vectors come from the embedding cache: nothing is embedded again
        previous.close()
        return None
    if m.reading != READING_VERSION:
        log.warning("the index in %s read its files another way (version %s, now %s); reading them again",
                    store.root, m.reading, READING_VERSION)  # vectors of unchanged passages come from the cache
        previous.close()
        return None
    if (m.model, m.dim, m.encoder) != (embedder.name, embedder.dim, embedder.encoder):
        previous.close()
        raise ModelMismatch(
            f"the index in {store.root} was built with {m.model} (dimension {m.dim}, encoder {m.encoder}), "
            f"not {embedder.name} (dimension {embedder.dim}, encoder {embedder.encoder}); "
            "rebuild it with `qa index --full` or choose the same model and QA_ENCODER"
        )
    return previous
