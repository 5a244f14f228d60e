"""Asking while the index is rewritten, for QA_STORE=milvus on a real Milvus Lite file.

test_concurrency.py's writer is another process; Milvus Lite serves one process at a time, so
here the writer is a thread of the asking process (as when the page's upload or rebuild runs
beside questions). Three threads ask while it adds, removes and edits files and updates or fully
rebuilds the index: no question may fail or get a malformed answer, the known answers stay
right, and the bot moves from generation to generation without a restart. Another process
writing while a bot holds the index needs a Milvus server (see the README).
"""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from qa import Bot, Config  # noqa: E402
from qa.index.indexer import update_index  # noqa: E402
from qa.index.store import Store  # noqa: E402
from tests.helpers.corpus import leftovers, synthetic_file  # noqa: E402
from tests.test_concurrency import CHURN_QUESTIONS, check_well_formed  # noqa: E402
from tests.test_milvus_store import QUESTIONS, write_corpus  # noqa: E402

ROUNDS = 6


def test_questions_while_a_thread_rewrites_the_milvus_index(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_corpus(corpus)
    config = Config.from_env(corpus=corpus, index=tmp_path / "index", store="milvus", milvus_uri="")
    update_index(config, embedder)
    bot = Bot(config, embedder, Store(config.index).load())
    right = {q: a for q, a in QUESTIONS if a and a in (bot.ask(q).answer or "")}
    assert len(right) == 2, right
    base_sources = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt")}
    churn_sources = {f"churn-{i:03d}.txt" for i in range(1, ROUNDS + 1)} | {"churn-edited.txt"}

    rounds: list[dict] = []
    writer_errors: list[str] = []

    def churn() -> None:
        try:
            for n in range(1, ROUNDS + 1):
                (corpus / f"churn-{n:03d}.txt").write_text(synthetic_file(800_000 + n * 10, 3), "utf-8")
                (corpus / f"churn-{n - 2:03d}.txt").unlink(missing_ok=True)
                (corpus / "churn-edited.txt").write_text(synthetic_file(900_000 + n * 10, 2), "utf-8")
                report = update_index(config, embedder, full=n % 3 == 0)
                rounds.append({"round": n, "generation": report.generation, "passages": report.passages})
                time.sleep(0.2)
        except BaseException as exc:  # reported below
            writer_errors.append(f"{type(exc).__name__}: {exc}")

    stop = threading.Event()
    lock = threading.Lock()
    asked: list[str] = []
    errors: list[str] = []

    def ask_loop(offset: int) -> None:
        i = offset
        while not stop.is_set():
            i += 1
            seed = i % 3 != 0
            question = QUESTIONS[i % len(QUESTIONS)][0] if seed else \
                CHURN_QUESTIONS[i % len(CHURN_QUESTIONS)].format(800_000 + i % 60)
            try:
                answer = bot.ask(question)
                check_well_formed(answer, question, base_sources | churn_sources, seed=False)
                if question in right:
                    assert right[question] in (answer.answer or ""), answer
            except BaseException as exc:  # every failure is collected, none may happen
                with lock:
                    errors.append(f"{question}: {type(exc).__name__}: {exc}")
            with lock:
                asked.append(bot.generation.name)

    writer = threading.Thread(target=churn)
    askers = [threading.Thread(target=ask_loop, args=(n * 5,), daemon=True) for n in range(3)]
    for t in askers:
        t.start()
    writer.start()
    writer.join(600)
    stop.set()
    for t in askers:
        t.join(120)

    assert writer_errors == [] and len(rounds) == ROUNDS, writer_errors
    assert errors == [], sorted(set(errors))[:5]
    assert len(set(asked)) >= 3, set(asked)  # the bot moved from generation to generation while asking
    newest = rounds[-1]["generation"]
    assert Store(config.index).current_name() == newest and leftovers(config.index) == []
    assert bot.generation.name == newest and bot.status().passages == rounds[-1]["passages"]
    assert f"churn-{ROUNDS:03d}.txt" in {s for s, _ in bot.status().files}
    bot.close()
    print(f"\n{len(asked)} questions during {ROUNDS} updates, {len(set(asked))} generations seen")
