"""Asking while the index is rewritten, for QA_STORE=milvus.

On a Milvus Lite file (one process at a time) the writer is a thread of the asking process (as
when the page's upload or rebuild runs beside questions); on a Milvus server (milvus-lite's own
gRPC server in a process of its own, ``helpers/milvus_server.py``) it is another process, as in
test_concurrency.py. Three threads ask while it adds, removes and edits files and updates or
fully rebuilds the index: no question may fail or get a malformed answer, the known answers stay
right, and the bot moves from generation to generation without a restart.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from qa import Answer, Bot, Config  # noqa: E402
from qa.index.indexer import update_index  # noqa: E402
from qa.index.store import Store  # noqa: E402
from tests.helpers.churning import Askers, end_asking, mixed_questions, stop_churn  # noqa: E402
from tests.helpers.corpus import ROOT, leftovers, synthetic_file  # noqa: E402
from tests.helpers.milvus_server import milvus_server  # noqa: E402
from tests.test_concurrency import CHURN_QUESTIONS, check_well_formed  # noqa: E402
from tests.test_milvus_store import QUESTIONS, write_corpus  # noqa: E402

ROUNDS = 6
SEEDS = [q for q, _ in QUESTIONS]


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

    askers = Askers(bot, mixed_questions(SEEDS, CHURN_QUESTIONS, 60), _checker(right, base_sources | churn_sources))
    writer = threading.Thread(target=churn)
    writer.start()
    writer.join(600)
    askers.end()

    assert writer_errors == [] and len(rounds) == ROUNDS, writer_errors
    assert askers.errors == [], sorted(set(askers.errors))[:5]
    seen = {g for g, _ in askers.asked}
    assert len(seen) >= 3, seen  # the bot moved from generation to generation while asking
    newest = rounds[-1]["generation"]
    assert Store(config.index).current_name() == newest and leftovers(config.index) == []
    assert bot.generation.name == newest and bot.status().passages == rounds[-1]["passages"]
    assert f"churn-{ROUNDS:03d}.txt" in {s for s, _ in bot.status().files}
    bot.close()
    print(f"\n{len(askers.asked)} questions during {ROUNDS} updates, {len(seen)} generations seen")


def test_questions_while_another_process_rewrites_a_milvus_server_index(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_corpus(corpus)
    with milvus_server(tmp_path / "server") as uri:
        config = Config.from_env(corpus=corpus, index=tmp_path / "index", store="milvus", milvus_uri=uri)
        update_index(config, embedder)
        bot = Bot(config, embedder, Store(config.index).load())
        right = {q: a for q, a in QUESTIONS if a and a in (bot.ask(q).answer or "")}
        assert len(right) == 2, right
        sources = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt")} | \
            {f"churn-{i:03d}.txt" for i in range(1, 501)} | {"churn-edited.txt"}
        env = {**os.environ, "QA_STORE": "milvus", "QA_MILVUS_URI": uri, "PYTHONPATH": str(ROOT)}
        churn = subprocess.Popen([sys.executable, str(Path(__file__).parent / "helpers" / "churn.py"), str(corpus),
                                  str(config.index), str(ROUNDS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 text=True, encoding="utf-8", cwd=ROOT, env=env)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(line.strip() for line in churn.stdout), daemon=True)
        reader.start()
        askers = Askers(bot, mixed_questions(SEEDS, CHURN_QUESTIONS, 97), _checker(right, sources),
                        during=lambda: "ready" in lines and "done" not in lines)
        try:
            deadline = time.monotonic() + 600
            while sum(1 for line in lines if line.startswith("{")) < ROUNDS:
                assert churn.poll() is None, f"churn.py exited with {churn.returncode}: {lines}"
                assert time.monotonic() < deadline, lines
                time.sleep(0.2)
            stop_churn(churn, reader)
        finally:
            end_asking(askers, churn)

        rounds = [json.loads(line) for line in lines if line.startswith("{")]
        assert lines[-1] == "done" and askers.errors == [], sorted(set(askers.errors))[:5]
        during = {g for g, d in askers.asked if d}
        assert askers.asked_during() >= 50 and len(during) >= 3, (len(askers.asked), during)
        newest = rounds[-1]["generation"]
        assert Store(config.index).current_name() == newest and leftovers(config.index) == []
        assert bot.generation.name == newest and bot.status().passages == rounds[-1]["passages"]
        bot.close()
        print(f"\n{len(askers.asked)} questions while another process ran {len(rounds)} updates on a Milvus server, "
              f"{len(during)} generations seen")


def _checker(right: dict[str, str], sources: set[str]):
    """Well-formed answers from these sources; the questions answered right before stay right."""
    def check(answer: Answer, question: str, seed: bool) -> None:
        check_well_formed(answer, question, sources, seed=False)
        if question in right:
            assert right[question] in (answer.answer or ""), answer

    return check
