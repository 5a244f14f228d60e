"""The question-kind table on 200 questions from the CMRC 2018 and DRCD dev sets, labelled by hand.

tests/data/question_kinds.tsv holds only question text and the label (sampled with
random.Random(10), 100 per set; CC BY-SA 4.0). At least 95 % must be right; the confusion table
and the misses are printed. The cues were written while labelling this sample, so this figure
is not an unseen one; tests/data/question_kinds_fresh.tsv is (see FRESH).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qa.answer.kinds import KINDS, NAMES, kind_of, kind_of_english
from qa.ingest.script import fold

LABELS = Path(__file__).resolve().parent / "data" / "question_kinds.tsv"
#: 100 more, labelled after the table was written (91/100 then; the cues were revised on them since,
#: so they are development data now, not a held-out check).
REVISED = Path(__file__).resolve().parent / "data" / "question_kinds_heldout.tsv"
#: 120 fresh ones (random.Random(2027), 60 per set), labelled by hand by someone who had not seen the
#: cues; measured once, before any cue changed: 108/120. No cue has been revised on them.
FRESH = Path(__file__).resolve().parent / "data" / "question_kinds_fresh.tsv"


def _rows(path: Path = LABELS) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            question, label = line.split("\t")
            rows.append((question, label))
    return rows


def test_kind_table_on_200_labelled_bench_questions():
    rows = _rows()
    assert len(rows) == 200 and {label for _, label in rows} <= set(NAMES)
    confusion = Counter((label, kind_of(fold(q))) for q, label in rows)
    right = sum(n for (label, got), n in confusion.items() if label == got)
    labels = sorted({label for label, _ in confusion} | {got for _, got in confusion})
    print(f"\nkind table: {right}/{len(rows)} right\n" + "label\\got".ljust(14) + " ".join(f"{g[:8]:>8}" for g in labels))
    for label in labels:
        print(label[:13].ljust(14) + " ".join(f"{confusion[(label, g)]:>8}" for g in labels))
    for q, label in rows:
        if kind_of(fold(q)) != label:
            print(f"  miss: {q} (label {label}, got {kind_of(fold(q))})")
    assert right >= 0.95 * len(rows)


def test_kind_table_on_100_questions_it_was_revised_on():
    rows = _rows(REVISED)
    misses = [(q, label, kind_of(fold(q))) for q, label in rows if kind_of(fold(q)) != label]
    print(f"\nrevised-on sample: {len(rows) - len(misses)}/{len(rows)} right", *(f"  miss: {m}" for m in misses), sep="\n")
    assert len(rows) == 100 and len(misses) <= 5


def test_kind_table_on_120_fresh_questions_labelled_without_the_cues():
    """The unseen figure: 108/120 when first measured; a cue change must not lose any of them."""
    rows = _rows(FRESH)
    misses = [(q, label, kind_of(fold(q))) for q, label in rows if kind_of(fold(q)) != label]
    print(f"\nfresh sample: {len(rows) - len(misses)}/{len(rows)} right", *(f"  miss: {m}" for m in misses), sep="\n")
    assert len(rows) == 120 and len(rows) - len(misses) >= 108


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("会议要求什么？", "what"),
        ("会议强调什么？", "what"),
        ("为什么会推迟召开？", "why"),
        ("如何推进复工复产？", "how"),
        ("为何推迟？", "why"),
        ("会议几点开始？", "time-of-day"),
        ("会议开了多久？", "duration"),
        ("会议是否在南京举行？", "yes-no"),
        ("南通的代市长是谁？", "who"),
        ("谁主持了会议？", "who-chaired"),
        ("今年投资多少亿元？", "number"),
        ("他参加了哪些会议？", "which-meeting"),
        ("这次会议是什么会？", "which-meeting"),
        ("会议在哪里召开？", "where"),
        ("会议是哪天召开的？", "when"),
        ("伊维菌素又被称为什么？", "what"),
        ("第3次常务会 主持人", "who-chaired"),  # a label-like question: the field asked for
        ("县政府常务会议召开日期", "when"),
        ("民营企业座谈会地点", "where"),
    ],
)
def test_kinds_of_common_forms(question, kind):
    assert kind_of(fold(question)) == kind


def test_units_and_english_cues():
    from qa.answer.question import analyze

    assert analyze("今年投资多少亿元？").unit == "亿元"
    assert analyze("同比增长多少？").unit == "%"
    assert kind_of_english("Who chaired the meeting?") == "who-chaired"
    assert kind_of_english("How many companies resumed work?") == "number"
    assert kind_of_english("Which meeting did he attend?") == "which-meeting"
    assert kind_of_english("When was the meeting held?") == "when"
    assert kind_of_english("Where was it held?") == "where"
    assert all(k.name in NAMES for k in KINDS)
