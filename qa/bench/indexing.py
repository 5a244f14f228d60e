"""End-to-end indexing: files → published generation, by stage, beside the encoder alone.

The first ``contexts`` contexts of a dev set become a corpus folder (one text file per article,
its paragraphs separated by blank lines) that ``update_index`` builds from scratch, with a fresh
embedding cache, exactly as ``qa index --full`` would. The same passages (as the indexer cut
them) are then encoded by the encoder alone and by plain fp32 sentence-transformers, the figure
the speed-up is measured against. A shared machine's load changes from one step to the next:
each step records the load average it ran under.
"""

from __future__ import annotations

import os
import tempfile
import time
from itertools import groupby
from pathlib import Path

from ..config import Config
from ..index.embed import Embedder
from ..index.indexer import Progress, update_index
from ..index.pipeline import STAGES, StageTimes, prepare
from .squad import load_squad


def write_corpus(dataset: Path, contexts: int, folder: Path) -> int:
    """The first ``contexts`` contexts of ``dataset`` as one .txt per article; returns how many files."""
    items, _ = load_squad(dataset)
    folder.mkdir(parents=True, exist_ok=True)
    files = 0
    for article, paragraphs in groupby(items[:contexts], key=lambda c: c.article):
        (folder / f"{article:05d}.txt").write_text("\n\n".join(c.text for c in paragraphs) + "\n", encoding="utf-8")
        files += 1
    return files


def indexing(dataset: Path, contexts: int, config: Config, embedder: Embedder, baseline: Embedder | None,
             progress: Progress | None = None) -> dict:
    """Build an index of ``contexts`` dev-set contexts and time it, stage by stage."""
    with tempfile.TemporaryDirectory(prefix="qa-bench-index-") as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        files = write_corpus(dataset, contexts, corpus)
        config = config.replace(corpus=corpus, index=index)
        embedder.warm()
        times = StageTimes()
        load = os.getloadavg()[0]
        start = time.perf_counter()
        report = update_index(config, embedder, full=True, progress=progress, times=times)
        wall = time.perf_counter() - start
        out = {"dataset": dataset.name, "contexts": contexts, "files": files, "passages": report.passages,
               "embedded": report.embedded, "seconds": wall, "per_second": report.passages / wall,
               "load_average": max(load, os.getloadavg()[0]), "streams": getattr(embedder.model, "streams", None),
               "stages": {s: times.seconds.get(s, 0.0) for s in STAGES}}
        texts = [t for path in sorted(corpus.iterdir())
                 for t in prepare(path.name, path.read_bytes(), config.max_passage_chars).texts]
    out["encoder_alone"] = _encode_timed(embedder, texts, progress)
    if baseline is not None:
        out["baseline"] = _encode_timed(baseline, texts, progress) | {"encoder": f"{baseline.encoder} fp32"}
        out["speedup"] = out["per_second"] / out["baseline"]["per_second"]
    return out


def _encode_timed(embedder: Embedder, texts: list[str], progress: Progress | None) -> dict:
    """Passages per second of ``embedder`` on ``texts``, no cache."""
    embedder.encode_passages(texts[:2])  # warm-up: first calls allocate
    load = os.getloadavg()[0]
    start = time.perf_counter()
    embedder.encode_passages(texts, (lambda d, t: progress("encode alone", d, t)) if progress else None)
    seconds = time.perf_counter() - start
    return {"encoder": embedder.encoder, "passages": len(texts), "seconds": seconds,
            "per_second": len(texts) / seconds, "load_average": max(load, os.getloadavg()[0])}


def markdown(r: dict) -> list[str]:
    """The ``bench.md`` section: wall-clock throughput and busy seconds per stage."""
    lines = ["## Indexing end to end", "",
             f"{r['contexts']} contexts of {r['dataset']} as {r['files']} files → {r['passages']} passages, built from "
             f"scratch (`update_index`, fresh embedding cache, {r['streams']} encoder streams): "
             f"**{r['per_second']:.1f} passages/s** ({r['seconds']:.1f} s, load average {r['load_average']:.1f}).", "",
             "| stage | busy seconds | passages/s of the stage alone |", "|---|---|---|"]
    for stage in STAGES:
        sec = r["stages"][stage]
        rate = r["passages"] / sec if sec else float("inf")
        lines.append(f"| {stage} | {sec:.2f} | {rate:.{1 if rate < 100 else 0}f} |")
    lines += ["", "Stages overlap (files are prepared on a thread of their own while others are encoded): "
              "busy seconds can add up to more than the wall-clock time.", "",
              "| the same passages | passages/s | load avg |", "|---|---|---|",
              f"| end to end (files → published generation) | {r['per_second']:.1f} | {r['load_average']:.1f} |",
              f"| encoder alone ({r['encoder_alone']['encoder']}) | {r['encoder_alone']['per_second']:.1f} | "
              f"{r['encoder_alone']['load_average']:.1f} |"]
    if "baseline" in r:
        b = r["baseline"]
        lines += [f"| plain sentence-transformers encode ({b['encoder']}) | {b['per_second']:.1f} | "
                  f"{b['load_average']:.1f} |", "",
                  f"End to end against the plain fp32 encode: **{r['speedup']:.2f}×**."]
    return lines + [""]
