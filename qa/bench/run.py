"""``qa bench``: indexing end to end, encoder paths, ask latency at growing corpus sizes, memory
and cold start.

One run measures everything side by side and writes ``bench.json``, ``bench.md`` and
``bench.png`` into ``--out``. Heavy by design (minutes to hours): it is a command, not a test.
"""

from __future__ import annotations

import gc
import os
import platform
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import faiss

from ..answer.example_cache import store_examples
from ..bot import Bot
from ..config import Config
from ..index import dense_index
from ..index.embed import Embedder, EmbeddingCache, embed_with_cache
from ..index.indexer import Progress
from ..index.store import Store
from ..ingest.script import fold
from . import corpora, encoders, indexing, report, timing
from .evaluate import load_squad


@dataclass
class Options:
    datasets: list[Path]
    out: Path
    sizes: list[int] = field(default_factory=lambda: [10_000, 100_000, 1_000_000])
    questions: int = 200
    encode_sample: int = 256
    recall_limit: int | None = None
    skip_encoders: bool = False
    skip_recall: bool = False
    random_from: int = 2_000_000  # 1M passages of real mixes fit (peak ≈ 9 GB) and give a real recall
    cold_start_size: int = 100_000
    work: Path | None = None
    #: Also build each corpus in a Milvus Lite file and time asking it (QA_STORE=milvus), side by side.
    milvus: bool = False
    #: Dev-set contexts indexed end to end (files → published generation), by stage; 0: none.
    index_contexts: int = 400


def run(config: Config, options: Options, progress: Progress | None = None) -> dict:
    results: dict = {"machine": f"{platform.processor() or platform.machine()}, {_cores()} cores",
                     "config": {"encoder": config.encoder, "ann_threshold": config.ann_threshold,
                                "nprobe": config.nprobe, "candidates": config.candidates}}
    embedder = Embedder.from_config(config)
    plain = None if options.skip_encoders else Embedder.from_config(config.replace(encoder="torch"))
    if options.index_contexts:
        results["indexing"] = indexing.indexing(options.datasets[0], options.index_contexts, config, embedder, plain,
                                                progress)
    if not options.skip_encoders:
        results["encoders"] = _encoders(config, options, embedder, plain, progress)
    if options.sizes:
        results.update(_scale(config, options, embedder, progress))
    results["peak_rss"] = timing.peak_rss_bytes()
    results["files"] = [str(p) for p in report.write(results, options.out)]
    return results


def _encoders(config: Config, options: Options, fast: Embedder, plain: Embedder, progress: Progress | None) -> dict:
    others = [fast] if fast.encoder != "torch" else [Embedder.from_config(config.replace(encoder="onnx-int8"))]
    texts = encoders.sample_passages(options.datasets[0], options.encode_sample, config.max_passage_chars)
    out: dict = {"throughput": [asdict(t) | {"per_second": t.per_second}
                                for t in encoders.throughput(texts, [plain, *others], progress=progress)]}
    if not options.skip_recall:
        out["recall"] = [asdict(encoders.recall(d, config, e, progress, options.recall_limit))
                         for e in (plain, *others) for d in options.datasets]
    return out


def _scale(config: Config, options: Options, embedder: Embedder, progress: Progress | None) -> dict:
    contexts, questions = load_squad(options.datasets[0])
    texts = [fold(c.text) for c in contexts]
    cache = EmbeddingCache(config.cache_dir / "benchmark-embeddings.sqlite")
    try:
        context_vectors, _ = embed_with_cache(embedder, cache, texts,
                                              (lambda d, t: progress("embed", d, t)) if progress else None)
    finally:
        cache.close()
    source = corpora.load_source([c.text for c in contexts], context_vectors, progress)
    asked = [q.question for q in questions[:options.questions]]
    query_vectors = embedder.encode_queries([fold(q) for q in asked])
    work = Path(options.work or tempfile.mkdtemp(prefix="qa-bench-"))
    rows, cold = [], None
    try:
        for n in options.sizes:
            index = work / f"index-{n}"
            shutil.rmtree(index, ignore_errors=True)
            kind = "random" if n >= options.random_from else "real"
            built = corpora.build_corpus(source, n, index, kind, embedder.dim, embedder.name, embedder.encoder,
                                         config.ann_threshold, progress=progress)
            _step(progress, f"examples {n:,}", lambda: store_examples(index))  # as `qa index` does
            gc.collect()
            before = timing.rss_bytes()
            generation = _step(progress, f"load {n:,}", lambda: Store(index).load())
            loaded = timing.rss_bytes()
            bot = Bot(config.replace(index=index, corpus=work), embedder, generation)
            flat, ivf = _step(progress, f"flat and IVF {n:,}", lambda: _both_kinds(generation.dense))
            row = built | {"rss_loaded": loaded, "latency": {},
                           "ivf_bytes": len(faiss.serialize_index(ivf)), "nlist": dense_index.nlist_for(n),
                           "recall_at_10": timing.recall_at_10(flat, ivf, query_vectors, config.nprobe, progress),
                           "load_average": os.getloadavg()[0]}
            for name, dense in (("flat", flat), ("ivf", ivf)):
                generation.dense = dense
                row["latency"][name] = timing.ask_latency(bot, asked, progress, f"ask {n:,} {name}")
            generation.close()
            del bot, generation, flat, ivf
            gc.collect()
            row["rss_serving"] = _step(progress, f"serving memory {n:,}", lambda: timing.serving_rss(
                index, asked[:50], {"QA_ENCODER": embedder.encoder}))
            if options.milvus:
                row |= _milvus(config, source, n, kind, work, embedder, asked, progress)
            rows.append(row)
            if n == options.cold_start_size:
                cold = timing.cold_start(index, {"QA_ENCODER": embedder.encoder}, progress=progress) | {"passages": n}
            shutil.rmtree(index, ignore_errors=True)
    finally:
        if options.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return {"scale": rows, "cold_start": cold, "corpus_note": _CORPUS_NOTE.format(
        dataset=options.datasets[0].name, contexts=len(contexts), questions=len(asked),
        random_from=f"{options.random_from:,}")}


def _milvus(config: Config, source: corpora.Source, n: int, kind: str, work: Path, embedder: Embedder,
            asked: list[str], progress: Progress | None) -> dict:
    """The same corpus (same seed) in a Milvus Lite file: build time, size on disk, ask latency."""
    index = work / f"index-{n}-milvus"
    shutil.rmtree(index, ignore_errors=True)
    built = corpora.build_corpus(source, n, index, kind, embedder.dim, embedder.name, embedder.encoder,
                                 config.ann_threshold, progress=progress, store="milvus")
    generation = Store(index).load()
    bot = Bot(config.replace(index=index, corpus=work, store="milvus", milvus_uri=""), embedder, generation)
    try:
        latency = timing.ask_latency(bot, asked, progress, f"ask {n:,} milvus-lite")
    finally:
        bot.close()
    shutil.rmtree(index, ignore_errors=True)
    return {"milvus": {"build_seconds": built["build_seconds"], "disk_bytes": built["disk_bytes"]},
            "latency_milvus": latency}


def _step(progress: Progress | None, label: str, work):
    """One long step without its own count, shown as a bar that fills when it is done."""
    if progress:
        progress(label, 0, 1)
    out = work()
    if progress:
        progress(label, 1, 1)
    return out


def _both_kinds(dense: faiss.Index) -> tuple[faiss.Index, faiss.Index]:
    """The same vectors as an exact and as an IVF index (one of them is ``dense`` itself)."""
    ids, vectors = dense_index.all_vectors(dense)
    if dense_index.kind_of(dense) == "flat":
        return dense, dense_index.build_ivf(ids, vectors)
    flat = dense_index.empty_flat(vectors.shape[1])
    flat.add_with_ids(vectors, ids)
    return flat, dense


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_CORPUS_NOTE = (
    "Corpora: synthetic passages made of 2–4 real sentences of one {dataset} context ({contexts} contexts) plus "
    "one real sentence of another; BM25 words are the real sentences' jieba words; vectors are the normalised mix "
    "0.8·v(context) + 0.2·v(other context) + noise of the model's real context vectors (random unit vectors from "
    "{random_from} passages on); questions: the first {questions} questions of the set, each asked once through "
    "Bot.ask with its embedding recomputed. Recall@10: IVF against exact search with the same question vectors."
)
