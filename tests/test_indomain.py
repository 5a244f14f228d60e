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
#:  unanswerable answered at most): the level measured with the shipped model (retrained at this
#:  round's code: `qa train` of both dev sets) when this round's rules were frozen, less two questions
#:  (and one more wrong or answered) of slack: the int8 encoder's integer kernels differ between CPUs
#:  with VNNI and without, and its vectors with them, which moves a question or two either way (these
#:  floors were measured on a machine without AVX-512). Each set was measured
#:  once or twice while held out (README, "Meeting reports"): indomain11 last (140/223 with the rules
#:  before this round, 152/223, 24 of 130 wrong, 4 of 45 answered with this round's, 153/223, 23 of 129,
#:  3 of 45 once the shipped model was retrained at this round's code, as below). Writers differ on
#:  a title's gold: some want the post the question's wording suggests ("代区长"), others every post the
#:  text gives ("区委副书记、代区长"); the bot gives every post unless the question names the
#:  organisation ("在指挥部担任什么职务" → 指挥长).
SETS = [
    ("indomain", 142, 15, 136, 0.029, 0.031),  # measured 138/142, 2 of 107 wrong, 0 of 33 answered
    ("indomain_dev", 135, 14, 118, 0.071, 0.077),  # 120/135, 6/99, 1/26
    ("indomain_dev2", 145, 17, 130, 0.047, 0.038),  # 132/145, 4/108, 0/27
    ("indomain4", 212, 16, 187, 0.056, 0.057),  # 189/212, 7/143, 2/53
    ("indomain5", 260, 17, 234, 0.058, 0.087),  # 236/260, 10/190, 4/58
    ("indomain6", 272, 18, 222, 0.089, 0.149),  # 224/272, 16/192, 7/54
    ("indomain7", 211, 16, 174, 0.091, 0.066),  # 176/211, 12/144, 2/46
    ("indomain8", 213, 17, 164, 0.095, 0.167),  # 166/213, 12/138, 6/42
    ("indomain9", 223, 16, 155, 0.15, 0.156),  # 157/223, 19/134, 6/45
    ("indomain10", 227, 16, 176, 0.113, 0.107),  # 178/227, 15/142, 4/47
    ("indomain11", 223, 16, 151, 0.187, 0.089),  # 153/223, 23/129, 3/45
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
