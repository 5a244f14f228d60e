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
#:  once or twice while held out (README, "Meeting reports"): indomain13 last (150/221 at the round's
#:  first freeze; 153/221, 17 of 126 wrong, 8 of 45 answered at its second, with the shipped model
#:  retrained at that code, as below). Writers differ on
#:  a title's gold: some want the post the question's wording suggests ("代区长"), others every post the
#:  text gives ("区委副书记、代区长"); the bot gives every post unless the question names the
#:  organisation ("在指挥部担任什么职务" → 指挥长).
SETS = [
    ("indomain", 142, 15, 136, 0.029, 0.031),  # measured 138/142, 2 of 107 wrong, 0 of 33 answered
    ("indomain_dev", 135, 14, 122, 0.059, 0.077),  # 124/135, 5/102, 1/26
    ("indomain_dev2", 145, 17, 132, 0.038, 0.038),  # 134/145, 3/108, 0/27
    ("indomain4", 212, 16, 188, 0.049, 0.057),  # 190/212, 6/143, 2/53
    ("indomain5", 260, 17, 236, 0.058, 0.069),  # 238/260, 10/191, 3/58
    ("indomain6", 272, 18, 224, 0.093, 0.149),  # 226/272, 17/195, 7/54
    ("indomain7", 211, 16, 177, 0.083, 0.066),  # 179/211, 11/146, 2/46
    ("indomain8", 213, 17, 169, 0.085, 0.167),  # 171/213, 11/142, 6/42
    ("indomain9", 223, 16, 162, 0.13, 0.156),  # 164/223, 17/139, 6/45
    ("indomain10", 227, 16, 186, 0.094, 0.107),  # 188/227, 13/150, 4/47
    ("indomain11", 223, 16, 168, 0.123, 0.067),  # 170/223, 16/139, 2/45
    ("indomain12", 225, 16, 165, 0.106, 0.178),  # 167/225, 13/133, 7/45
    ("indomain13", 221, 15, 151, 0.143, 0.201),  # 153/221, 17/126, 8/45
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
