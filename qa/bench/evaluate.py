"""Benchmarks: SQuAD-style reading-comprehension sets and the seed-questions JSONL.

A SQuAD file becomes a corpus of its own (each context one passage, in a temporary index)
and every question is asked through the same Bot as users get. Seed questions are asked
against the configured corpus.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..answer.answer import Answer
from ..bot import Bot
from ..config import Config
from ..index.embed import Embedder, EmbeddingCache
from ..index.indexer import Progress, add_files
from ..index.store import FileRecord, GenerationWriter, Store
from ..ingest.passages import Passage, split_sentences
from ..ingest.script import fold


def normalize(text: str) -> str:
    return re.sub(r"\s+", "", fold(text)).lower()


# --- SQuAD-style sets -------------------------------------------------------------------------------


@dataclass
class SquadReport:
    n: int = 0
    r1: float = 0.0
    r5: float = 0.0
    mrr10: float = 0.0
    quote_hit1: float = 0.0
    answer_hit: float = 0.0
    answered: float = 0.0  # share of questions with a short answer
    seconds: float = 0.0
    per_question_ms_p50: float = 0.0
    per_question_ms_p95: float = 0.0


def load_squad(path: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str, list[str]]]]:
    """(context id, context) pairs and (question, context id, gold answers) triples."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    contexts, questions = [], []
    for article in data["data"]:
        for i, para in enumerate(article["paragraphs"]):
            cid = str(para.get("id") or f"{article.get('id', article.get('title', ''))}-{i}")
            contexts.append((cid, para["context"]))
            for qa in para["qas"]:
                questions.append((qa["question"], cid, [a["text"] for a in qa.get("answers", [])]))
    return contexts, questions


def build_context_index(contexts: list[tuple[str, str]], index: Path, embedder: Embedder, cache_path: Path,
                        progress: Progress | None = None) -> None:
    """Index every context as one passage (source = its id), cleaning nothing."""
    files = [
        (FileRecord(cid, "", len(text), "utf-8", 1),
         [Passage(cid, 1, text, 0, len(text), sentences=split_sentences(text), offsets=list(range(len(text))))])
        for cid, text in contexts
    ]
    store = Store(index)
    with store.writing():
        name, tmp = store.new_generation_dir()
        writer = GenerationWriter(tmp, name, None, embedder.name, embedder.dim, embedder.encoder)
        cache = EmbeddingCache(cache_path)
        try:
            add_files(writer, cache, embedder, files, (lambda d, t: progress("embed", d, t)) if progress else None)
        finally:
            cache.close()
        writer.finish()
        store.publish(name, tmp, keep=0)


def evaluate_squad(path: Path, config: Config, progress: Progress | None = None,
                   limit: int | None = None) -> SquadReport:
    contexts, questions = load_squad(path)
    if limit:
        questions = questions[:limit]  # every context stays: retrieval is as hard as in the full run
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as tmp:
        index = Path(tmp) / "index"
        config = config.replace(index=index, corpus=Path(tmp))
        embedder = Embedder.from_config(config)
        # Benchmark vectors are kept per user: a second run re-embeds nothing.
        build_context_index(contexts, index, embedder, config.cache_dir / "benchmark-embeddings.sqlite", progress)
        bot = Bot(config, embedder, Store(index).load())
        return _score_squad(bot, questions, progress)


def _score_squad(bot: Bot, questions: list[tuple[str, str, list[str]]], progress: Progress | None) -> SquadReport:
    r1 = r5 = rr = qhit = ahit = answered = 0.0
    times = []
    start = time.perf_counter()
    for n, (question, cid, golds) in enumerate(questions):
        t = time.perf_counter()
        ranked = [h.source for h in bot.search(question, k=10)]
        answer = bot.ask(question)
        times.append((time.perf_counter() - t) * 1000)
        if ranked and ranked[0] == cid:
            r1 += 1
        if cid in ranked[:5]:
            r5 += 1
        if cid in ranked:
            rr += 1 / (ranked.index(cid) + 1)
        gold = [normalize(g) for g in golds if g.strip()]
        if answer.quotes and any(g in normalize(answer.quotes[0].sentence) for g in gold):
            qhit += 1
        if answer.answer:
            answered += 1
            if any(g in normalize(answer.answer) or normalize(answer.answer) in g for g in gold):
                ahit += 1
        if progress:
            progress("ask", n + 1, len(questions))
    n = max(len(questions), 1)
    return SquadReport(
        n=len(questions), r1=r1 / n, r5=r5 / n, mrr10=rr / n, quote_hit1=qhit / n, answer_hit=ahit / n,
        answered=answered / n, seconds=time.perf_counter() - start,
        per_question_ms_p50=float(np.percentile(times, 50)) if times else 0.0,
        per_question_ms_p95=float(np.percentile(times, 95)) if times else 0.0,
    )


# --- seed questions ------------------------------------------------------------------------------


@dataclass
class SeedResult:
    id: str
    question: str
    kind: str
    expected: list[str]
    got: str | None
    found: bool
    passed: bool


@dataclass
class SeedReport:
    passed: int
    total: int
    results: list[SeedResult] = field(default_factory=list)

    @property
    def failures(self) -> list[SeedResult]:
        return [r for r in self.results if not r.passed]


def load_seed_questions(path: Path) -> list[dict]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def judge(item: dict, answer: Answer) -> bool:
    """A reply passes when its short answer (else its first quote) holds the gold string(s)."""
    golds = [normalize(g) for g in item.get("answers", [])]
    if not golds:
        return not answer.found
    reply = answer.answer or (answer.quotes[0].sentence if answer.quotes else "")
    hits = [g in normalize(reply) for g in golds]
    return all(hits) if item.get("all") else any(hits)


def evaluate_seeds(bot: Bot, items: Iterable[dict]) -> SeedReport:
    results = []
    for item in items:
        answer = bot.ask(item["question"])
        got = answer.answer or (answer.quotes[0].sentence if answer.quotes else None)
        results.append(SeedResult(item.get("id", ""), item["question"], item.get("kind", ""), item.get("answers", []),
                                  got, answer.found, judge(item, answer)))
    return SeedReport(sum(r.passed for r in results), len(results), results)
