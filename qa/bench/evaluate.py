"""Seed questions (a JSONL of question, gold answers, kind) asked against the configured corpus.

This module also re-exports the SQuAD-style benchmark (``squad``) and the "not found" one
(``noanswer``) so ``qa.bench.evaluate`` stays the one place to import benchmarks from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..answer.answer import Answer
from ..bot import Bot
from .metrics import normalize_loose as normalize
from .noanswer import NoAnswerReport, evaluate_no_answer
from .squad import SquadReport, evaluate_squad, format_squad, load_squad

__all__ = ["NoAnswerReport", "SquadReport", "evaluate_no_answer", "evaluate_seeds", "evaluate_squad",
           "format_squad", "judge", "load_seed_questions", "load_squad", "normalize"]


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
    return judge_reply(item, answer.found, answer.answer, answer.quotes[0].sentence if answer.quotes else "")


def judge_reply(item: dict, found: bool, short: str | None, first_sentence: str) -> bool:
    """:func:`judge` on the parts of a reply (also what ``/ask`` returns as JSON)."""
    golds = [normalize(g) for g in item.get("answers", [])]
    if not golds:
        return not found
    reply = short or first_sentence
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
