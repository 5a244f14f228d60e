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
#:  round's code: `qa train` of both dev sets) when this round's rules were frozen, less three questions
#:  (and two more wrong, one more answered) of slack: the int8 encoder's integer kernels differ between
#:  CPUs with VNNI and without, and its vectors with them, which moves a question or two either way
#:  (measured: the sixth round's floors, set on a machine without AVX-512, failed by two wrong short
#:  answers on indomain6 on one with VNNI; these floors were measured on a machine with VNNI). Each set
#:  was measured once or twice while held out (README, "Meeting reports"): indomain14 last (137/220 at
#:  the start of the seventh round; 146/220, 20 of 125 wrong, 10 of 45 answered at its freeze, with the
#:  shipped model retrained at that code, as below). Writers differ on
#:  a title's gold: some want the post the question's wording suggests ("代区长"), others every post the
#:  text gives ("区委副书记、代区长"); the bot gives every post unless the question names the
#:  organisation ("在指挥部担任什么职务" → 指挥长).
SETS = [
    ("indomain", 142, 15, 135, 0.038, 0.031),  # measured 138/142, 2 of 107 wrong, 0 of 33 answered
    ("indomain_dev", 135, 14, 120, 0.07, 0.077),  # measured 123/135, 5 of 101 wrong, 1 of 26 answered
    ("indomain_dev2", 145, 17, 132, 0.055, 0.038),  # measured 135/145, 4 of 110 wrong, 0 of 27 answered
    ("indomain4", 212, 16, 188, 0.069, 0.057),  # measured 191/212, 8 of 146 wrong, 2 of 53 answered
    ("indomain5", 260, 17, 237, 0.063, 0.069),  # measured 240/260, 10 of 193 wrong, 3 of 58 answered
    ("indomain6", 272, 18, 228, 0.092, 0.13),  # measured 231/272, 16 of 196 wrong, 6 of 54 answered
    ("indomain7", 211, 16, 180, 0.082, 0.044),  # measured 183/211, 10 of 147 wrong, 1 of 46 answered
    ("indomain8", 213, 17, 167, 0.092, 0.167),  # measured 170/213, 11 of 142 wrong, 6 of 42 answered
    ("indomain9", 223, 16, 169, 0.118, 0.156),  # measured 172/223, 15 of 145 wrong, 6 of 45 answered
    ("indomain10", 227, 16, 187, 0.099, 0.107),  # measured 190/227, 13 of 152 wrong, 4 of 47 answered
    ("indomain11", 223, 16, 173, 0.125, 0.089),  # measured 176/223, 16 of 145 wrong, 3 of 45 answered
    ("indomain12", 225, 16, 167, 0.11, 0.156),  # measured 170/225, 13 of 137 wrong, 6 of 45 answered
    ("indomain13", 221, 15, 165, 0.125, 0.134),  # measured 168/221, 15 of 136 wrong, 5 of 45 answered
    ("indomain14", 220, 15, 143, 0.176, 0.245),  # measured 146/220, 20 of 125 wrong, 10 of 45 answered
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
