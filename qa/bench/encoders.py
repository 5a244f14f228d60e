"""Encoder paths side by side: indexing throughput and R@1 of plain fp32 against the fast path.

Throughput is measured in one run on the same passages, the two paths taking turns chunk by
chunk (so a neighbour's load on a shared machine falls on both alike), with no embedding
cache. R@1 is retrieval only (``Bot.search``, the same fusion users get) over a dev set's own
contexts, each encoder in its own temporary index; vectors come from the per-user benchmark
cache, under a key per encoder path.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..bot import Bot
from ..config import Config
from ..index.embed import Embedder
from ..index.indexer import Progress
from ..index.store import Store
from ..ingest.script import fold
from .squad import build_context_index, load_squad


@dataclass
class Throughput:
    encoder: str
    passages: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.passages / self.seconds if self.seconds else 0.0


@dataclass
class Recall:
    dataset: str
    encoder: str
    questions: int
    r1: float
    r5: float
    index_seconds: float


def throughput(texts: list[str], embedders: list[Embedder], chunk: int = 32,
               progress: Progress | None = None) -> list[Throughput]:
    """Passages per second of each embedder on ``texts`` (prompted as passages), turn by turn."""
    spent = {e.encoder: 0.0 for e in embedders}
    for e in embedders:  # warm-up: first calls allocate
        e.encode_passages(texts[:2])
    for start in range(0, len(texts), chunk):
        part = texts[start:start + chunk]
        for e in embedders:
            t = time.perf_counter()
            e.encode_passages(part)
            spent[e.encoder] += time.perf_counter() - t
        if progress:
            progress("encode", min(start + chunk, len(texts)), len(texts))
    return [Throughput(e.encoder, len(texts), spent[e.encoder]) for e in embedders]


def sample_passages(dataset: Path, n: int, max_chars: int) -> list[str]:
    """``n`` passage texts cut from a dev set's contexts the way the indexer cuts paragraphs."""
    contexts, _ = load_squad(dataset)
    out: list[str] = []
    for text in (c.text for c in contexts):
        for start in range(0, len(text), max_chars):
            out.append(fold(text[start:start + max_chars]))
            if len(out) >= n:
                return out
    return out


def recall(dataset: Path, config: Config, embedder: Embedder, progress: Progress | None = None,
           limit: int | None = None) -> Recall:
    """R@1 and R@5 of retrieval over the dataset's contexts with ``embedder``."""
    contexts, questions = load_squad(dataset)
    if limit:
        questions = questions[:limit]
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        index = Path(tmp) / "index"
        config = config.replace(index=index, corpus=Path(tmp))
        t = time.perf_counter()
        build_context_index(contexts, index, embedder, config.cache_dir / "benchmark-embeddings.sqlite", progress)
        built = time.perf_counter() - t
        bot = Bot(config, embedder, Store(index).load())
        r1 = r5 = 0
        for n, item in enumerate(questions):
            question, cid = item.question, item.context
            ranked = [h.source for h in bot.search(question, k=5)]
            r1 += bool(ranked) and ranked[0] == cid
            r5 += cid in ranked
            if progress:
                progress("ask", n + 1, len(questions))
        bot.generation.close()
    total = max(len(questions), 1)
    return Recall(dataset.name, embedder.encoder, len(questions), r1 / total, r5 / total, built)
