"""SQuAD-style sets (CMRC 2018, DRCD): each context one passage in a temporary index.

Every question is asked through the same ``Bot`` users get. Reported over all questions:
retrieval (R@1, R@5, MRR@10), the first quote (does it hold a gold answer, how long is it),
the short answer scored as CMRC 2018 does (EM, F1), how often one is given (``answered``) and
how often it is right when given (``answered_em``, ``answered_f1``), per question kind too.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..answer.answer import Answer
from ..bot import Bot
from ..config import Config
from ..index.embed import Embedder, EmbeddingCache
from ..index.indexer import Progress, add_files, new_writer
from ..index.store import FileRecord, Store
from ..ingest.passages import Passage, split_sentences
from .metrics import contains_gold, exact_match, f1

#: Question kinds shown in the per-kind table; any other kind counts as "other".
KIND_GROUPS = {
    "who": "who", "who-chaired": "who", "when": "when", "time": "when", "where": "where",
    "number": "number", "duration": "number", "which-meeting": "which meeting", "what": "what",
}
KIND_ORDER = ["who", "when", "where", "number", "which meeting", "what", "other"]


@dataclass(frozen=True)
class Context:
    id: str
    text: str
    article: int  # index of its article in the file
    position: int  # its place among the article's paragraphs


@dataclass(frozen=True)
class Item:
    question: str
    context: str  # Context.id
    answers: list[str]


@dataclass
class Scores:
    """Figures over a group of questions (all of them, or one kind)."""

    n: int = 0
    em: float = 0.0
    f1: float = 0.0
    answered: float = 0.0
    answered_em: float = 0.0
    answered_f1: float = 0.0
    quote_hit1: float = 0.0


@dataclass
class SquadReport:
    n: int = 0
    r1: float = 0.0
    r5: float = 0.0
    mrr10: float = 0.0
    quote_hit1: float = 0.0
    #: Median length of the first quote, in characters and in sentences.
    quote_chars_median: float = 0.0
    quote_sentences_median: float = 0.0
    quote_sentences_max: int = 0
    em: float = 0.0
    f1: float = 0.0
    answered: float = 0.0
    answered_em: float = 0.0
    answered_f1: float = 0.0
    found: float = 0.0  # share not answered "not found"
    seconds: float = 0.0
    per_question_ms_p50: float = 0.0
    per_question_ms_p95: float = 0.0
    per_kind: dict[str, Scores] = field(default_factory=dict)


def load_squad(path: Path) -> tuple[list[Context], list[Item]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    contexts, items = [], []
    for a, article in enumerate(data["data"]):
        for i, para in enumerate(article["paragraphs"]):
            cid = str(para.get("id") or f"{article.get('id', article.get('title', a))}-{i}")
            contexts.append(Context(cid, para["context"], a, i))
            for qa in para["qas"]:
                golds = [x["text"] for x in qa.get("answers", []) if x["text"].strip()]
                items.append(Item(qa["question"], cid, golds))
    return contexts, items


def sample(items: list, limit: int | None, seed: int = 0) -> list:
    """A fixed random sample (same seed, same questions), in file order; all when no limit."""
    if not limit or limit >= len(items):
        return list(items)
    keep = sorted(random.Random(seed).sample(range(len(items)), limit))
    return [items[i] for i in keep]


def build_context_index(contexts: list[Context], index: Path, embedder: Embedder, cache_path: Path,
                        progress: Progress | None = None, config: Config | None = None) -> None:
    """Index every context as one passage (source = its id), cleaning nothing, in the store
    ``config`` names (exact dense search in either)."""
    files = [
        (FileRecord(c.id, "", len(c.text), "utf-8", 1),
         [Passage(c.id, 1, c.text, 0, len(c.text), sentences=split_sentences(c.text),
                  offsets=list(range(len(c.text))))])
        for c in contexts
    ]
    store = Store(index)
    with store.writing():
        name, tmp = store.new_generation_dir()
        exact = (config or Config()).replace(ann_threshold=1 << 62)
        writer = new_writer(store, exact, embedder.name, embedder.dim, embedder.encoder, name, tmp, None)
        cache = EmbeddingCache(cache_path)
        try:
            add_files(writer, cache, embedder, files, (lambda d, t: progress("embed", d, t)) if progress else None)
            writer.finish()
            store.publish(name, tmp, keep=0)
        except BaseException:
            writer.abort()
            raise
        finally:
            writer.close()
            cache.close()


@contextmanager
def context_bot(contexts: list[Context], config: Config, progress: Progress | None = None) -> Iterator[Bot]:
    """A Bot over a temporary index of ``contexts`` (vectors come from the per-user cache)."""
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as tmp:
        index = Path(tmp) / "index"
        config = config.replace(index=index, corpus=Path(tmp))
        embedder = Embedder.from_config(config)
        build_context_index(contexts, index, embedder, config.cache_dir / "benchmark-embeddings.sqlite", progress,
                            config)
        bot = Bot(config, embedder, Store(index).load())
        try:
            yield bot
        finally:
            bot.close()  # a Milvus Lite file in the folder is let go before the folder goes


def evaluate_squad(path: Path, config: Config, progress: Progress | None = None,
                   limit: int | None = None, seed: int = 0) -> SquadReport:
    contexts, items = load_squad(path)
    items = sample(items, limit, seed)  # every context stays: retrieval is as hard as in the full run
    with context_bot(contexts, config, progress) as bot:
        return score_squad(bot, items, progress)


@dataclass
class _Row:
    kind: str
    em: float
    f1: float
    answered: bool
    quote_hit: bool
    found: bool


def score_squad(bot: Bot, items: list[Item], progress: Progress | None = None) -> SquadReport:
    r1 = r5 = rr = 0.0
    rows: list[_Row] = []
    times, chars, sentences = [], [], []
    start = time.perf_counter()
    for n, item in enumerate(items):
        t = time.perf_counter()
        answer = bot.ask(item.question)
        times.append((time.perf_counter() - t) * 1000)
        ranked = [h.source for h in bot.search(item.question, k=10)]
        if ranked and ranked[0] == item.context:
            r1 += 1
        r5 += item.context in ranked[:5]
        if item.context in ranked:
            rr += 1 / (ranked.index(item.context) + 1)
        rows.append(_row(answer, item.answers))
        if answer.quotes:
            chars.append(len(answer.quotes[0].sentence))
            sentences.append(len(split_sentences(answer.quotes[0].sentence)) or 1)
        if progress:
            progress("ask", n + 1, len(items))
    n = max(len(items), 1)
    overall = _scores(rows)
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        groups.setdefault(KIND_GROUPS.get(row.kind, "other"), []).append(row)
    return SquadReport(
        n=len(items), r1=r1 / n, r5=r5 / n, mrr10=rr / n, quote_hit1=overall.quote_hit1,
        quote_chars_median=float(statistics.median(chars)) if chars else 0.0,
        quote_sentences_median=float(statistics.median(sentences)) if sentences else 0.0,
        quote_sentences_max=max(sentences, default=0),
        em=overall.em, f1=overall.f1, answered=overall.answered, answered_em=overall.answered_em,
        answered_f1=overall.answered_f1, found=sum(r.found for r in rows) / n,
        seconds=time.perf_counter() - start,
        per_question_ms_p50=float(np.percentile(times, 50)) if times else 0.0,
        per_question_ms_p95=float(np.percentile(times, 95)) if times else 0.0,
        per_kind={k: _scores(groups[k]) for k in KIND_ORDER if k in groups},
    )


def _row(answer: Answer, golds: list[str]) -> _Row:
    quote_hit = bool(answer.quotes) and contains_gold(answer.quotes[0].sentence, golds)
    return _Row(answer.kind, exact_match(answer.answer, golds), f1(answer.answer, golds), bool(answer.answer),
                quote_hit, answer.found)


def _scores(rows: list[_Row]) -> Scores:
    n = len(rows)
    if not n:
        return Scores()
    given = [r for r in rows if r.answered]
    return Scores(
        n=n, em=sum(r.em for r in rows) / n, f1=sum(r.f1 for r in rows) / n, answered=len(given) / n,
        answered_em=sum(r.em for r in given) / len(given) if given else 0.0,
        answered_f1=sum(r.f1 for r in given) / len(given) if given else 0.0,
        quote_hit1=sum(r.quote_hit for r in rows) / n,
    )


def format_squad(report: SquadReport) -> str:
    """The text report: headline figures, then one line per question kind."""
    lines = [
        f"n={report.n}  R@1={report.r1:.3f}  R@5={report.r5:.3f}  MRR@10={report.mrr10:.3f}  "
        f"quote_hit@1={report.quote_hit1:.3f}  quote median {report.quote_chars_median:.0f} chars / "
        f"{report.quote_sentences_median:.0f} sentence(s) (max {report.quote_sentences_max})",
        f"em={report.em:.3f}  f1={report.f1:.3f}  answered={report.answered:.3f}  "
        f"answered_em={report.answered_em:.3f}  answered_f1={report.answered_f1:.3f}  found={report.found:.3f}",
        f"p50={report.per_question_ms_p50:.0f}ms  p95={report.per_question_ms_p95:.0f}ms  ({report.seconds:.0f}s)",
        "",
        f"{'kind':<14}{'n':>6}{'em':>8}{'f1':>8}{'answered':>10}{'ans_em':>8}{'ans_f1':>8}{'quote@1':>9}",
    ]
    for kind, s in report.per_kind.items():
        lines.append(f"{kind:<14}{s.n:>6}{s.em:>8.3f}{s.f1:>8.3f}{s.answered:>10.3f}{s.answered_em:>8.3f}"
                     f"{s.answered_f1:>8.3f}{s.quote_hit1:>9.3f}")
    return "\n".join(lines)
