"""Synthetic corpora of any size for timing, made from real Chinese paragraphs.

How a corpus of N passages is made (the report repeats this):

* text: every passage is 2–4 real sentences of one real dev-set context (in their order) plus
  one real sentence of another context, so passages read like news and share vocabulary the
  way a real corpus does; BM25 words are the jieba words of those real sentences;
* vectors (``real``): the normalised mix 0.8·v(base context) + 0.2·v(other context) + noise,
  where v are the model's real vectors of the contexts: they cluster as real embeddings do,
  which matters for approximate search; no passage is encoded, so this is for timing and
  recall against exact search only, never for answer quality;
* vectors (``random``): random unit vectors of the model's dimension (``--random-from``, by
  default above 1M passages): cheaper, but they do not cluster, so IVF's recall on them says
  nothing (0.25 at 1M against 0.998 with the mixes).

The corpus is written as an ordinary index generation (SQLite + FAISS + bm25s) through
``new_writer``, the same code the indexer uses, so the timings are the bot's own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..config import Config
from ..index.indexer import Progress, new_writer
from ..index.store import FileRecord, Store
from ..ingest.passages import Passage, split_sentences
from ..ingest.script import fold
from ..ingest.tokens import words

#: Passages per synthetic file (a long news article; the reader looks paragraphs up by file).
PASSAGES_PER_FILE = 50


@dataclass
class Source:
    """Real material: context sentences, their words, and the contexts' vectors."""

    sentences: list[list[str]]  # per context: its sentences (folded)
    sentence_words: list[list[list[str]]]  # per context, per sentence: jieba words
    vectors: np.ndarray  # per context: the model's vector


def load_source(contexts: list[str], vectors: np.ndarray, progress: Progress | None = None) -> Source:
    sentences, sentence_words = [], []
    for n, text in enumerate(contexts):
        folded = fold(text)
        parts = [folded[a:b] for a, b in split_sentences(folded) if b > a] or [folded]
        sentences.append(parts)
        sentence_words.append([words(p) for p in parts])
        if progress:
            progress("read", n + 1, len(contexts))
    return Source(sentences, sentence_words, np.asarray(vectors, dtype=np.float32))


def build_corpus(source: Source, n: int, index: Path, vectors: str, dim: int, model: str, encoder: str,
                 ann_threshold: int, seed: int = 7, progress: Progress | None = None, store: str = "local") -> dict:
    """Write an index of ``n`` synthetic passages at ``index`` in ``store`` (local, or milvus: a Milvus
    Lite file in the folder); returns how long it took. The same seed makes the same corpus."""
    rng = np.random.default_rng(seed)
    folder = Store(index)
    started = time.perf_counter()
    with folder.writing():
        name, tmp = folder.new_generation_dir()
        writer = new_writer(folder, Config(store=store, ann_threshold=ann_threshold), model, dim, encoder, name, tmp,
                            None)
        contexts = len(source.sentences)
        for f, first in enumerate(range(0, n, PASSAGES_PER_FILE)):
            count = min(PASSAGES_PER_FILE, n - first)
            base = rng.integers(0, contexts, count)
            other = rng.integers(0, contexts, count)
            passages, passage_words = [], []
            for j in range(count):
                a, b = int(base[j]), int(other[j])
                take = rng.integers(2, 5)
                start = int(rng.integers(0, max(1, len(source.sentences[a]) - take + 1)))
                extra = int(rng.integers(0, len(source.sentences[b])))
                parts = source.sentences[a][start:start + take] + [source.sentences[b][extra]]
                text = "".join(parts)
                passages.append(Passage(f"synthetic/{f:05d}.txt", j + 1, text, 0, len(text),
                                        sentences=split_sentences(text), offsets=list(range(len(text)))))
                passage_words.append([w for ws in (source.sentence_words[a][start:start + take]
                                                   + [source.sentence_words[b][extra]]) for w in ws])
            if vectors == "random":
                v = rng.normal(size=(count, dim)).astype(np.float32)
            else:
                v = 0.8 * source.vectors[base] + 0.2 * source.vectors[other] + \
                    0.02 * rng.normal(size=(count, dim)).astype(np.float32)
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            record = FileRecord(f"synthetic/{f:05d}.txt", "", sum(len(p.text) for p in passages), "utf-8", count)
            writer.add_file(record, passages, passage_words, v)
            if progress:
                progress("build", first + count, n)
        if progress:
            progress("write", 0, 5)
        manifest = writer.finish((lambda done, total: progress("write", done, total + 1)) if progress else None)
        folder.publish(name, tmp, keep=0)
        writer.close()
        if progress:
            progress("write", 5, 5)
    disk = _disk(index / name)
    if store == "milvus":
        disk["dense"] = sum(p.stat().st_size for p in (index / "milvus.db").rglob("*") if p.is_file())
    return {"passages": n, "vectors": vectors, "dense_kind": manifest.dense_kind,
            "build_seconds": time.perf_counter() - started, "disk_bytes": disk}


def _disk(folder: Path) -> dict[str, int]:
    sizes = {"meta": 0, "dense": 0, "lexical": 0}
    for p in folder.rglob("*"):
        if p.is_file():
            key = "meta" if p.name.startswith("meta") else "dense" if p.name.startswith("dense") else \
                "lexical" if "lexical" in p.parts else None
            if key:
                sizes[key] += p.stat().st_size
    return sizes
