"""Meeting reports written for this project by people who had not seen its rules (tests/data/
indomain*, each with its README): every question asked through the real pipeline, scored as
`qa eval` scores a questions file, with the per-kind table printed.

Each set was measured once while it was held out (the figures in the README, "Meeting reports");
those it was then developed on are development data. The floors below are the level measured with
the shipped model when this round's rules were frozen: the test keeps them from getting worse.
The issue's goal (>= 90 % passed, <= 5 % of short answers wrong, <= 10 % of unanswerable questions
answered) is printed beside them; it is not reached on the sets held out last.
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
#:  unanswerable answered at most): the level measured with the shipped model when this round's rules
#:  were frozen. Each set was measured once while held out (README, "Meeting reports"): indomain7 last
#:  (115/211, 0.294, 0.109), before three general fixes learnt from it. Writers differ on a title's
#:  gold: indomain and indomain4 want the post asked ("代区长"), indomain5 and indomain7 every post the
#:  text gives ("区委副书记、代区长"); the bot gives every post, which costs indomain4 two questions.
SETS = [
    ("indomain", 142, 15, 128, 0.03, 0.0),
    ("indomain_dev", 135, 14, 115, 0.08, 0.0),
    ("indomain_dev2", 145, 17, 125, 0.04, 0.0),
    ("indomain4", 212, 16, 168, 0.05, 0.06),
    ("indomain5", 260, 17, 196, 0.12, 0.14),
    ("indomain6", 272, 18, 168, 0.21, 0.23),
    ("indomain7", 211, 16, 123, 0.22, 0.11),
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
