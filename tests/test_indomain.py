"""Meeting reports the project's rules were not written on (tests/data/indomain/, see its README),
and the two development sets (indomain_dev, indomain_dev2): every question asked through the
real pipeline, scored as `qa eval` scores a questions file, with the per-kind table printed.

The held-out set's figures are the ones measured once, when the set was first run, after the
rules were frozen (see the README, "Meeting reports"): the test keeps them from getting worse.
The issue's goal (>= 90 % passed, <= 5 % of short answers wrong, <= 10 % of unanswerable
questions answered) is printed beside them; it is not reached yet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import Bot, Config
from qa.bench.evaluate import evaluate_seeds, load_seed_questions
from qa.index.indexer import update_index
from qa.index.store import Store

DATA = Path(__file__).resolve().parent / "data"

#: (folder, questions at least, documents at least, passed at least, wrong shown at most,
#:  unanswerable answered at most): the level measured with the shipped model when the rules were
#:  frozen (held-out: 97/142, 0.156, 0.061; before this pipeline the same sets scored 51/142,
#:  0.464, 0.485 / 36/135, 0.608, 0.500 / 41/145, 0.515, 0.370).
SETS = [
    ("indomain", 142, 15, 97, 0.16, 0.07),
    ("indomain_dev", 135, 14, 111, 0.10, 0.0),
    ("indomain_dev2", 145, 17, 114, 0.05, 0.0),
]


@pytest.mark.parametrize("folder, questions, documents, passed, wrong, unanswered", SETS,
                         ids=[s[0] for s in SETS])
def test_meeting_report_questions(folder, questions, documents, passed, wrong, unanswered, tmp_path, embedder):
    base = DATA / folder
    config = Config.from_env(corpus=base / "docs", index=tmp_path / "index")
    update_index(config, embedder)
    bot = Bot(config, embedder, Store(config.index).load())
    items = load_seed_questions(base / "questions.jsonl")
    assert len(items) >= questions and len(list((base / "docs").iterdir())) >= documents
    assert sum(not item["answers"] for item in items) >= 15
    report = evaluate_seeds(bot, items)
    print(f"\n{folder}: passed {report.passed}/{report.total}, short answers wrong {report.wrong_shown:.3f}, "
          f"unanswerable answered {report.unanswerable_answered:.3f} (goal >= 0.90 / <= 0.05 / <= 0.10)")
    for kind, n, ok, shown, bad in report.by_kind():
        print(f"  {kind:<14} {n:>4} asked {ok:>4} passed {shown:>4} shown {bad:>3} wrong")
    for r in report.failures:
        print(f"  FAIL {r.id} [{r.kind}] {r.question} → {r.got!r:.60}, wanted {r.expected}")
    assert report.passed >= passed
    assert report.wrong_shown <= wrong
    assert report.unanswerable_answered <= unanswered
