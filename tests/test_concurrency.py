"""Asking while another process rewrites the index; two writers at once.

One process (this one) asks hundreds of questions from three threads on one Bot while
``helpers/churn.py``, a separate process, keeps adding, removing and editing files and
updating or fully rebuilding the index. No question may fail or get a malformed answer, seed
questions keep their answers, and the bot ends on the newest generation without a restart.
Then the single-writer lock: a second ``qa index`` waits for the first, or with ``--wait 0``
stops at once with a clear message.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from qa import Answer, Bot, Config
from qa.ingest.script import fold
from qa.index.indexer import update_index
from qa.index.store import Store
from tests.conftest import SEED_QUESTIONS
from tests.helpers.churning import Askers, end_asking, mixed_questions, stop_churn
from tests.helpers.corpus import ROOT, copy_cache, copy_seeds, generations, leftovers
from tests.helpers.watch import OpenWatch

HELPERS = Path(__file__).resolve().parent / "helpers"
QUESTIONS_DURING_CHURN = 200
MIN_ROUNDS = 6
#: Questions about the files the writer keeps changing; the number varies, so the model is asked too.
CHURN_QUESTIONS = ["第{}号简报提到了哪位同志？", "哪个区在第{}号简报里检查了垃圾分类工作？", "第{}号简报涉及几个项目？"]


@pytest.fixture
def live_index(tmp_path, seed_bot, seed_dirs, embedder) -> Config:
    corpus = copy_seeds(tmp_path / "corpus")
    copy_cache(seed_dirs[1], tmp_path / "index")
    config = Config.from_env(corpus=corpus, index=tmp_path / "index")
    update_index(config, embedder)
    return config


def check_well_formed(answer: Answer, question: str, sources: set[str], seed: bool = True) -> None:
    assert isinstance(answer, Answer) and answer.question == question
    assert isinstance(answer.found, bool)
    json.dumps(answer.to_dict(), ensure_ascii=False)
    if not answer.found:
        assert answer.message and not answer.quotes
        return
    assert answer.quotes
    if seed:  # not yet for the generated briefs: a list answer can outrun its quotes (see test_robustness)
        for part in (answer.answer or "").split("；"):  # a list answer joins its items with "；"
            assert any(part in q.text for q in answer.quotes), (part, answer)
    for quote in answer.quotes:
        s, e = quote.sentence_span
        assert 0 <= s < e <= len(quote.text) and quote.text[s:e] == quote.sentence
        assert all(0 <= a < b <= len(quote.text) for a, b in quote.highlights)
        assert quote.sources and quote.source in sources, quote.source
        assert all(src.source in sources for src in quote.sources)


def test_questions_while_another_process_rewrites_the_index(live_index, embedder):
    config = live_index
    seeds = [json.loads(line) for line in SEED_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    bot = Bot(config, embedder, Store(config.index).load())
    seed_sources = {p.name for p in config.corpus.iterdir()}
    # The seed questions this bot answers right before the churn must stay right during it.
    right = {s["question"]: s["answers"] for s in seeds
             if any(fold(a) in fold(bot.ask(s["question"]).answer or "") for a in s["answers"])}
    answerable = [s for s in seeds if s["answers"]]
    assert len(right) == len(answerable), sorted(set(s["question"] for s in answerable) - set(right))
    churn_sources = {f"churn-{i:03d}.txt" for i in range(1, 501)} | {"churn-edited.txt"}

    churn = subprocess.Popen(
        [sys.executable, str(HELPERS / "churn.py"), str(config.corpus), str(config.index), str(MIN_ROUNDS)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(line.strip() for line in churn.stdout), daemon=True)
    reader.start()

    def check(answer: Answer, question: str, seed: bool) -> None:
        check_well_formed(answer, question, seed_sources | churn_sources, seed)
        if question in right:
            assert any(fold(a) in fold(answer.answer or "") for a in right[question]), answer

    pick = mixed_questions([s["question"] for s in seeds], CHURN_QUESTIONS, 997)
    askers = Askers(bot, pick, check, during=lambda: "ready" in lines and "done" not in lines,
                    ready=lambda: "ready" in lines)  # the writer is still loading its model
    try:
        deadline = time.monotonic() + 600
        while True:
            assert churn.poll() is None or "done" in lines, f"churn.py exited with {churn.returncode}: {lines}"
            rounds = sum(1 for line in lines if line.startswith("{"))
            during = askers.asked_during()
            if rounds >= MIN_ROUNDS and during >= QUESTIONS_DURING_CHURN:
                break
            assert time.monotonic() < deadline, f"{rounds} rounds, {during} questions"
            time.sleep(0.2)
        stop_churn(churn, reader)
    finally:
        end_asking(askers, churn)

    rounds = [json.loads(line) for line in lines if line.startswith("{")]
    assert lines[0] == "ready" and lines[-1] == "done"
    assert askers.errors == [], sorted(set(askers.errors))[:5]
    during = askers.asked_during()
    assert during >= QUESTIONS_DURING_CHURN
    seen = {g for g, d in askers.asked if d}
    assert len(seen) >= 3, seen  # the bot moved from generation to generation while asking
    assert any(r["full"] for r in rounds) and len({r["generation"] for r in rounds}) == len(rounds)

    # Without a restart the bot ends on the newest generation and answers from the latest files.
    newest = rounds[-1]["generation"]
    assert Store(config.index).current_name() == newest and leftovers(config.index) == []
    question = CHURN_QUESTIONS[0].format(800_000 + rounds[-1]["round"] * 10 + 1)
    check_well_formed(bot.ask(question), question, seed_sources | churn_sources, seed=False)
    assert bot.generation.name == newest and bot.status().passages == rounds[-1]["passages"]
    last_file = f"churn-{rounds[-1]['round']:03d}.txt"
    assert last_file in {source for source, _ in bot.status().files}
    print(f"\n{len(askers.asked)} questions ({during} during {len(rounds)} rebuilds/updates by another process), "
          f"{len(askers.errors)} errors, {len(seen)} generations seen, {len(right)} seed questions kept right")


def _cli(config: Config, *args: str) -> list[str]:
    return [sys.executable, "-m", "qa.app.cli", "--corpus", str(config.corpus), "--index", str(config.index), *args]


def test_second_writer_waits_or_says_another_is_writing(live_index):
    config = live_index
    store = Store(config.index)
    before = store.current_name()
    with store.writing(wait=0):  # this process is the writer now
        refused = subprocess.run(_cli(config, "index", "--wait", "0"), capture_output=True, text=True, timeout=300)
        assert refused.returncode != 0
        assert "another process is writing" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr and refused.stdout == ""

        watch = OpenWatch(config.index / ".lock")
        try:
            waiting = subprocess.Popen(_cli(config, "index", "--full"), stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
            # Opening the lock file again and again: the second writer is at the lock, refused.
            assert watch.wait_for(5, timeout=240), "the second writer never tried the lock"
        finally:
            watch.close()
        time.sleep(0.5)
        assert waiting.poll() is None, "the second writer did not wait"
        assert store.current_name() == before and leftovers(config.index) == []
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert "5 added" in out  # --full: everything again, from the cache
    assert store.current_name() != before and leftovers(config.index) == []
    assert store.current_name() in generations(config.index)
