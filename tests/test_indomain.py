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
#:  were frozen. Each set was measured once while held out (README, "Meeting reports"): indomain9 last
#:  (126/223, 0.218, 0.178); one rule was narrowed after it for the public sets' sake (125/223, 0.218,
#:  0.200 now); indomain8 at the start and at the end of the round before it was studied. Writers
#:  differ on a title's gold: some want the post the question's wording suggests ("代区长"), others every
#:  post the text gives ("区委副书记、代区长"); the bot gives every post unless the question names the
#:  organisation ("在指挥部担任什么职务" → 指挥长).
SETS = [
    ("indomain", 142, 15, 131, 0.03, 0.0),
    ("indomain_dev", 135, 14, 119, 0.07, 0.0),
    ("indomain_dev2", 145, 17, 129, 0.03, 0.0),
    ("indomain4", 212, 16, 178, 0.05, 0.04),
    ("indomain5", 260, 17, 226, 0.08, 0.07),
    ("indomain6", 272, 18, 202, 0.16, 0.15),
    ("indomain7", 211, 16, 160, 0.14, 0.11),
    ("indomain8", 213, 17, 140, 0.14, 0.20),
    ("indomain9", 223, 16, 125, 0.22, 0.20),
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
