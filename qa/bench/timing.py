"""Ask latency by stage, recall of approximate search, memory and cold start.

Stages are timed around the Bot's own calls (nothing is re-implemented): the question
embedding (``Embedder.encode_queries``), the dense search (``dense_search`` + ``dense_scores``
of the index), BM25 (``lexical_search`` + ``lexical_scores``), fusion (the rest of ``Bot._retrieve``) and the reader
(the rest of ``Bot.ask``: passages, reading, whole paragraphs). The Bot's question-vector cache
is cleared before every question, so every ask pays for its embedding.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from ..bot import Bot
from ..index import dense_index
from ..index.indexer import Progress

STAGES = ("embed", "dense", "bm25", "fusion", "reader", "total")


class _Timed:
    """Wraps an object and adds the time spent in some of its methods to ``spent[stage]``."""

    def __init__(self, inner, stages: dict[str, str], spent: dict[str, float]):
        self._inner, self._stages, self._spent = inner, stages, spent

    def __getattr__(self, attr):
        value = getattr(self._inner, attr)
        stage = self._stages.get(attr)
        if stage is None or not callable(value):
            return value

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self._spent[stage] += time.perf_counter() - t

        return timed


def ask_latency(bot: Bot, questions: list[str], progress: Progress | None = None, label: str = "ask") -> dict:
    """p50/p95 in ms of every stage over ``questions`` (asked once each, after one warm-up)."""
    spent: dict[str, float] = defaultdict(float)
    generation, embedder = bot._generation, bot.embedder
    bot._generation = _Timed(generation, {"dense_search": "dense", "dense_scores": "dense",
                                          "lexical_search": "bm25", "lexical_scores": "bm25"}, spent)
    bot.embedder = _Timed(embedder, {"encode_queries": "embed"}, spent)
    bot._retrieve = _Timed(bot, {"_retrieve": "retrieve"}, spent)._retrieve
    rows: dict[str, list[float]] = {s: [] for s in STAGES}
    try:
        bot.ask(questions[0])  # warm-up
        for n, question in enumerate(questions):
            spent.clear()
            bot._vectors.clear()
            t = time.perf_counter()
            bot.ask(question)
            total = time.perf_counter() - t
            for stage in ("embed", "dense", "bm25"):
                rows[stage].append(spent[stage] * 1000)
            rows["fusion"].append(max(0.0, spent["retrieve"] - spent["embed"] - spent["dense"] - spent["bm25"]) * 1000)
            rows["reader"].append(max(0.0, total - spent["retrieve"]) * 1000)
            rows["total"].append(total * 1000)
            if progress:
                progress(label, n + 1, len(questions))
    finally:
        bot._generation, bot.embedder = generation, embedder
        del bot._retrieve  # back to the class's method
    return {s: {"p50": float(np.percentile(v, 50)), "p95": float(np.percentile(v, 95))} for s, v in rows.items()}


def recall_at_10(exact, approx, queries: np.ndarray, nprobe: int, progress: Progress | None = None) -> float:
    """Share of the exact top 10 that the approximate index also returns."""
    hits = 0
    for n, q in enumerate(queries):
        a = set(dense_index.search(exact, q, 10, 0)[1].tolist())
        b = set(dense_index.search(approx, q, 10, nprobe)[1].tolist())
        hits += len(a & b)
        if progress:
            progress("recall@10", n + 1, len(queries))
    return hits / (10 * max(len(queries), 1))


def rss_bytes() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def peak_rss_bytes() -> int:
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def serving_rss(index: Path, questions: list[str], env: dict[str, str] | None = None) -> int:
    """RSS of a fresh process that opened ``index`` as ``qa serve`` does (model and index) and asked
    ``questions``: the FAISS and BM25 files are memory-mapped, so only what asking touched counts
    (RSS right after loading says little). The growth between corpus sizes is the memory a
    passage costs; what every process holds (Python, the model, jieba) cancels out."""
    code = (
        "import sys, psutil\n"
        "from qa.config import Config\n"
        "from qa.bot import Bot\n"
        "bot = Bot.open(config=Config.from_env())\n"
        "for q in sys.argv[1:]: bot.ask(q)\n"
        "print('RSS', psutil.Process().memory_info().rss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *questions], env=_environment(index, env),
                         capture_output=True, text=True, timeout=600, check=True)
    return int(next(x for x in out.stdout.splitlines() if x.startswith("RSS ")).split()[1])


def _environment(index: Path, env: dict[str, str] | None) -> dict[str, str]:
    return {**os.environ, **(env or {}), "QA_INDEX": str(index), "QA_CORPUS": str(index.parent),
            "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def cold_start(index: Path, env: dict[str, str] | None = None, runs: int = 3, question: str = "谁主持了会议？",
               progress: Progress | None = None) -> dict:
    """Seconds from starting a fresh Python process (model cached) to ``qa serve``'s page being
    served on the index at ``index``, then to the model being loaded (:meth:`Bot.warm`), then
    to the first answer; best and median of each over ``runs`` processes, and the largest peak RSS
    of a serving process (page, model and index, one question asked).

    "Page" is the real thing: the same start-up as ``qa serve`` (:func:`qa.app.startup.start`),
    the server launched, and the page's HTML fetched over HTTP.
    """
    code = (
        "import time, sys; t0 = float(sys.argv[1])\n"
        "from qa.config import Config\n"
        "from qa.app.startup import start\n"
        "bot, app = start(Config.from_env())\n"
        "from qa.app.web import launch\n"
        "import socket, urllib.request\n"
        "with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]\n"
        "url = launch(app, port=port, block=False, quiet=True)\n"
        "assert urllib.request.urlopen(url, timeout=60).status == 200\n"
        "page = time.time() - t0\n"
        "bot.warm(); warm = time.time() - t0\n"
        "bot.ask(sys.argv[2]); first = time.time() - t0\n"
        "import resource; peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
        "print('COLD', page, warm, first, peak, ','.join(sorted(m for m in ('torch', 'transformers', "
        "'sentence_transformers') if m in sys.modules)) or '-')\n"
        "app.close()\n"
    )
    environment = _environment(index, env)
    rows = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code, repr(time.time()), question], env=environment,
                             capture_output=True, text=True, timeout=600, check=True)
        line = next(x for x in out.stdout.splitlines() if x.startswith("COLD "))
        *times, heavy = line.split()[1:]
        rows.append([float(t) for t in times])
        if progress:
            progress("cold start", len(rows), runs)
    page, warm, first, peak = zip(*rows)
    return {"best": min(page), "median": float(np.median(page)), "runs": list(page),
            "warm_median": float(np.median(warm)), "first_answer_median": float(np.median(first)),
            "first_answer_runs": list(first), "peak_rss": int(max(peak)), "heavy_modules": heavy,
            "load_average": os.getloadavg()[0]}
