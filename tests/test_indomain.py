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
#:  were frozen, less two questions (and one more wrong or answered) of slack: the int8 encoder's integer
#:  kernels differ between CPUs with VNNI and without, and its vectors with them, which moves a question
#:  or two either way (these floors were measured on a machine without AVX-512). Each set was measured
#:  once or twice while held out (README, "Meeting reports"): indomain11 last (140/223 with the rules
#:  before this round, 152/223, 24 of 130 wrong, 4 of 45 answered with this round's). Writers differ on
#:  a title's gold: some want the post the question's wording suggests ("代区长"), others every post the
#:  text gives ("区委副书记、代区长"); the bot gives every post unless the question names the
#:  organisation ("在指挥部担任什么职务" → 指挥长).
SETS = [
    ("indomain", 142, 15, 136, 0.029, 0.031),  # measured 138/142, 2 of 107 wrong, 0 of 33 answered
    ("indomain_dev", 135, 14, 120, 0.06, 0.077),  # 122/135, 5/100, 1/26
    ("indomain_dev2", 145, 17, 131, 0.038, 0.038),  # 133/145, 3/107, 0/27
    ("indomain4", 212, 16, 188, 0.049, 0.057),  # 190/212, 6/143, 2/53
    ("indomain5", 260, 17, 235, 0.058, 0.087),  # 237/260, 10/191, 4/58
    ("indomain6", 272, 18, 223, 0.085, 0.13),  # 225/272, 15/190, 6/54
    ("indomain7", 211, 16, 174, 0.098, 0.066),  # 176/211, 13/144, 2/46
    ("indomain8", 213, 17, 166, 0.08, 0.191),  # 168/213, 10/139, 7/42
    ("indomain9", 223, 16, 153, 0.152, 0.156),  # 155/223, 19/132, 6/45
    ("indomain10", 227, 16, 177, 0.1, 0.107),  # 179/227, 13/141, 4/47
    ("indomain11", 223, 16, 150, 0.193, 0.112),  # 152/223, 24/130, 4/45
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
