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


#: Kinds of question whose reply must carry a short answer; for the others (what, time of day,
#: why, how) the first quote holding the gold answer is the answer.
SHORT_ANSWER_KINDS = frozenset({"who", "who-chaired", "when", "where", "number", "which-meeting", "title"})


@dataclass
class SeedResult:
    id: str
    question: str
    kind: str
    expected: list[str]
    got: str | None
    found: bool
    passed: bool
    #: A short answer was shown, and it was wrong.
    wrong: bool = False
    shown: bool = False


@dataclass
class SeedReport:
    passed: int
    total: int
    results: list[SeedResult] = field(default_factory=list)

    @property
    def failures(self) -> list[SeedResult]:
        return [r for r in self.results if not r.passed]

    @property
    def wrong_shown(self) -> float:
        """Share of the short answers shown that were wrong."""
        shown = [r for r in self.results if r.shown]
        return sum(r.wrong for r in shown) / len(shown) if shown else 0.0

    @property
    def unanswerable_answered(self) -> float:
        none = [r for r in self.results if not r.expected]
        return sum(r.found for r in none) / len(none) if none else 0.0

    def by_kind(self) -> list[tuple[str, int, int, int, int]]:
        """(kind, questions, passed, short answers shown, wrong among them) per kind."""
        kinds = sorted({r.kind for r in self.results})
        return [(k, len(rs), sum(r.passed for r in rs), sum(r.shown for r in rs), sum(r.wrong for r in rs))
                for k in kinds for rs in [[r for r in self.results if r.kind == k]]]


def load_seed_questions(path: Path) -> list[dict]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def right_short_answer(item: dict, short: str) -> bool:
    """A short answer is right when it is a gold answer (all of them, for a list), allowing only
    what surrounds a gold inside the answer to be short: "市长黄钦" for "黄钦", not a whole clause."""
    golds = [normalize(g) for g in item.get("answers", []) if normalize(g)]
    got = normalize(short)
    if item.get("all"):
        return all(g in got for g in golds)
    return any(g in got and len(got) <= 2 * len(g) + 2 for g in golds)


def judge(item: dict, answer: Answer) -> bool:
    """A question the documents do not answer passes with "not found"; one they answer passes
    with a right short answer, or, for a kind without one (:data:`SHORT_ANSWER_KINDS`), with
    no short answer and a first quote holding the gold answer. A wrong short answer fails even
    when the quote under it holds the gold."""
    return judge_reply(item, answer.found, answer.answer, answer.quotes[0].sentence if answer.quotes else "")


def judge_reply(item: dict, found: bool, short: str | None, first_sentence: str) -> bool:
    """:func:`judge` on the parts of a reply (also what ``/ask`` returns as JSON)."""
    golds = [normalize(g) for g in item.get("answers", [])]
    if not golds:
        return not found
    if not found:
        return False
    if short:
        return right_short_answer(item, short)
    if item.get("kind") in SHORT_ANSWER_KINDS:
        return False
    quote = normalize(first_sentence)
    hits = [g in quote for g in golds]
    return all(hits) if item.get("all") else any(hits)


def evaluate_seeds(bot: Bot, items: Iterable[dict]) -> SeedReport:
    results = []
    for item in items:
        answer = bot.ask(item["question"])
        got = answer.answer or (answer.quotes[0].sentence if answer.quotes else None)
        shown = bool(answer.found and answer.answer)
        wrong = shown and (not item.get("answers") or not right_short_answer(item, answer.answer))
        results.append(SeedResult(item.get("id", ""), item["question"], item.get("kind", ""), item.get("answers", []),
                                  got, answer.found, judge(item, answer), wrong, shown))
    return SeedReport(sum(r.passed for r in results), len(results), results)
