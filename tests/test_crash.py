"""A rebuild killed with SIGKILL at any moment leaves a usable index; damage is found and rebuilt.

Real processes, real model, real FAISS. Most kills happen in children forked by
``helpers/crash_runner.py`` (the model loads once; each child runs ``update_index`` and is
killed at a progress step, at a crash point inside ``Store.publish``, or after a delay spread
over a measured run); a few kill the real ``qa index --full`` command. After every kill the
index must load, answer a seed question, and the next update must finish and clean up.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa import Bot, Config, CorruptIndex
from qa.index.indexer import update_index
from qa.index.store import Store
from tests.helpers.corpus import SEED_QUESTION, copy_cache, copy_seeds, generations, leftovers, synthetic_file

HELPERS = Path(__file__).resolve().parent / "helpers"
FRESH_FILES = 3  # files of never-seen text added in every round, so every run really embeds
FRESH_PASSAGES = 2  # passages in each of them


class Runner:
    """The crash_runner helper process."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HELPERS / "crash_runner.py")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
            # the checkout under test, not whichever copy of qa the environment has installed
            env={**os.environ, "PYTHONPATH": str(HELPERS.parents[1]), **(env or {})},
        )
        assert self._line(300) == "ready"

    def _line(self, timeout: float) -> str:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        assert ready, f"crash_runner gave no answer in {timeout} s"
        line = self.proc.stdout.readline()
        assert line, f"crash_runner exited with {self.proc.wait()}"
        return line.strip()

    def run(self, corpus: Path, index: Path, full: bool, kill: dict | None) -> dict:
        request = {"corpus": str(corpus), "index": str(index), "full": full, "kill": kill,
                   "report": str(index.parent / "child-report.json")}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self._line(300))

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(30)


@pytest.fixture(scope="module")
def runner():
    r = Runner()
    yield r
    r.close()


@pytest.fixture
def warm_index(tmp_path, seed_bot, seed_dirs):
    """A copy of the seeds plus two extra files, indexed, with the seeds' vectors already cached."""
    corpus = copy_seeds(tmp_path / "corpus")
    (corpus / "extra-a.txt").write_text(synthetic_file(500_000, 6), encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "extra-b.txt").write_text(synthetic_file(500_100, 6), encoding="utf-8")
    index = tmp_path / "index"
    copy_cache(seed_dirs[1], index)
    return Config.from_env(corpus=corpus, index=index)


def corpus_sources(corpus: Path) -> set[str]:
    return {p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt")}


def live_sources(index: Path) -> set[str]:
    generation = Store(index).load()
    try:
        assert generation.dense.ntotal == generation.manifest.passages
        return {f.source for f in generation.files()}
    finally:
        generation.close()


def assert_answers(bot: Bot) -> None:
    """A bot that has been running all along answers a seed question from the live generation."""
    question, expected = SEED_QUESTION
    answer = bot.ask(question)
    assert answer.found and expected in (answer.answer or ""), answer
    assert answer.quotes[0].source.startswith("00")
    assert bot.generation.name == Store(bot.config.index).current_name()


def next_round(corpus: Path, round_no: int) -> None:
    """Replace the previous round's fresh files by new ones of never-embedded text."""
    for old in corpus.glob("fresh-*.txt"):
        old.unlink()
    for i in range(FRESH_FILES):
        first = 600_000 + round_no * 100 + i * 10
        (corpus / f"fresh-{round_no:02d}-{i}.txt").write_text(synthetic_file(first, FRESH_PASSAGES), "utf-8")


def test_sigkill_at_many_moments_leaves_a_working_index(warm_index, runner, embedder):
    config, corpus, index = warm_index, warm_index.corpus, warm_index.index
    first = update_index(config, embedder)
    assert first.embedded == 12 and first.files == 7  # the seeds came from the cache
    bot = Bot(config, embedder, Store(index).load())

    # Two rounds run to the end: they time a full rebuild and count the progress calls.
    durations = []
    for round_no in (0, 100):
        next_round(corpus, round_no)
        base = runner.run(corpus, index, True, None)
        assert not base["killed"] and base["exit"] == 0, base
        assert base["report"]["embedded"] == FRESH_FILES * FRESH_PASSAGES
        calls = base["report"]["calls"]
        assert calls["read"] == 10 and calls["embed"] == FRESH_FILES and calls["write"] == 2, calls
        durations.append(base["seconds"])
    duration = min(durations)

    kills = (
        [{"stage": "read", "at": n} for n in (1, 4, 7, 10)]  # reading the corpus, before any new folder
        + [{"stage": "embed", "at": n} for n in (1, 2, 3)]  # n new files embedded and cached
        + [{"stage": "write", "at": 1}]  # every passage in the unfinished generation, not yet written
        + [{"crash_point": p} for p in ("publish:renamed", "publish:pointer-written", "publish:swapped")]
        + [{"stage": "write", "at": 2}]  # published and cleaned up, not yet returned
        + [{"after": round(duration * f, 3)} for f in (0.05, 0.14, 0.23, 0.32, 0.41, 0.5, 0.59, 0.68, 0.77, 0.86)]
    )
    published = [{"crash_point": "publish:swapped"}, {"stage": "write", "at": 2}]
    killed = 0
    for round_no, kill in enumerate(kills, start=1):
        # Timed kills rebuild everything, like the measured run; the others alternate.
        full = "after" in kill or round_no % 2 == 1
        done = kill_and_recover(runner, bot, round_no, kill, full, published)
        for retry in (1, 2, 3):  # a run that beat the clock (the machine is not always as busy): sooner
            if done or "after" not in kill:
                break
            kill = {"after": round(kill["after"] / 2, 3)}
            done = kill_and_recover(runner, bot, round_no + 100 * retry, kill, full, published)
        killed += done
    assert killed >= 20, f"only {killed} of {len(kills)} runs were killed"
    print(f"\n{killed} SIGKILLs survived in {len(kills)} rounds (a full rebuild took {duration:.2f} s)")


def kill_and_recover(runner: Runner, bot: Bot, round_no: int, kill: dict, full: bool,
                     published: list[dict]) -> bool:
    """One round: change the corpus, run an update killed at ``kill``, check, recover, check."""
    config, embedder = bot.config, bot.embedder
    corpus, index = config.corpus, config.index
    where = f"round {round_no}, kill {kill}"
    before = live_sources(index)
    next_round(corpus, round_no)
    after = corpus_sources(corpus)
    result = runner.run(corpus, index, full=full, kill=kill)
    if "after" not in kill:
        assert result["killed"], (where, result)

    # The index loads, is one whole generation (old or new, never a mix) and answers.
    live = live_sources(index)
    assert live in (before, after), where
    if kill in published:
        assert live == after, where
    elif "after" not in kill:
        assert live == before, where
    assert_answers(bot)
    if kill.get("stage") == "embed" or kill == {"stage": "write", "at": 1}:
        assert any(".tmp-" in name for name in leftovers(index)), where  # the kill was mid-build
    if kill.get("crash_point") == "publish:renamed":  # the new generation is complete, but not live
        assert generations(index)[-1] > Store(index).current_name(), where
    if kill.get("crash_point") == "publish:pointer-written":
        assert any(name.startswith("CURRENT.tmp-") for name in leftovers(index)), where

    # The next update finishes, cleans up, and re-embeds only what the cache did not get.
    report = update_index(config, embedder)
    assert leftovers(index) == [], where
    assert live_sources(index) == after, where
    fresh = FRESH_FILES * FRESH_PASSAGES
    if kill.get("stage") == "read":
        assert report.embedded == fresh, where
    elif kill.get("stage") == "embed":
        assert report.embedded == fresh - kill["at"] * FRESH_PASSAGES, where
    elif "after" not in kill:
        assert report.embedded == 0, where
    else:
        assert 0 <= report.embedded <= fresh, where
    assert report.generation == Store(index).current_name(), where
    assert_answers(bot)
    return result["killed"]


def _cli(config: Config, *args: str) -> list[str]:
    return [sys.executable, "-m", "qa.app.cli", "--corpus", str(config.corpus), "--index", str(config.index), *args]


def test_sigkill_of_the_qa_index_command(warm_index, embedder):
    config, corpus, index = warm_index, warm_index.corpus, warm_index.index
    update_index(config, embedder)
    bot = Bot(config, embedder, Store(index).load())
    before = live_sources(index)
    next_round(corpus, 90)  # new text: the command has real embedding to do

    # Once in the middle of embedding, once as soon as its unfinished generation appears. Both
    # moments are read off the command itself (its progress lines, its folder), never off a clock:
    # the command takes about a second here, so a timed kill could come after it had finished.
    (corpus / "fresh-90-long.txt").write_text(synthetic_file(700_000, 600), "utf-8")
    early = subprocess.Popen(_cli(config, "index", "--full"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    for line in early.stderr:  # one line per stage at most twice a second: the pipe is not a tty
        if "Embedding passages" in line and not line.rstrip().endswith("100%"):
            break
    else:
        pytest.fail(f"qa index finished before it had embedded anything: {early.wait(30)}")
    early.kill()
    assert early.wait(30) == -signal.SIGKILL
    assert any(f".tmp-{early.pid}" in name for name in leftovers(index)), "the kill should be mid-build"
    assert live_sources(index) == before
    assert_answers(bot)

    late = subprocess.Popen(_cli(config, "index", "--full"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while not list(index.glob(f"gen-*.tmp-{late.pid}")):
        assert late.poll() is None, late.communicate()
        assert time.monotonic() < deadline, "qa index never started a generation"
        time.sleep(0.01)
    late.kill()
    assert late.wait(30) == -signal.SIGKILL
    assert leftovers(index), "the kill should have left the unfinished generation behind"
    assert live_sources(index) == before
    assert_answers(bot)

    done = subprocess.run(_cli(config, "index"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "4 added" in done.stdout, done.stdout
    assert leftovers(index) == []
    assert live_sources(index) == corpus_sources(corpus)
    assert_answers(bot)


def _truncate_dense(gen: Path) -> None:
    path = gen / "dense.faiss"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble_manifest(gen: Path) -> None:
    (gen / "manifest.json").write_bytes(b'{"generation": "gen-\xff\x00 not json')


def _flip_lexical_byte(gen: Path) -> None:
    path = gen / "lexical" / "df.json"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _delete_generation(gen: Path) -> None:
    shutil.rmtree(gen)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_truncate_dense, "dense.faiss is missing or damaged"),
        (_garble_manifest, "has no readable manifest"),
        (_flip_lexical_byte, "lexical/df.json is missing or damaged"),
        (_delete_generation, "named in"),
    ],
    ids=["truncated-dense", "garbled-manifest", "flipped-lexical-byte", "deleted-generation"],
)
def test_damaged_index_is_detected_and_rebuilt(warm_index, embedder, damage, message):
    config, index = warm_index, warm_index.index
    update_index(config, embedder)
    damaged = Store(index).current_name()
    running = Bot(config, embedder, Store(index).load())  # a bot that was already running
    damage(index / damaged)

    with pytest.raises(CorruptIndex, match=message) as excinfo:
        Store(index).load()
    assert damaged in str(excinfo.value)

    bot = Bot.open(config=config)
    rebuilt = bot.generation.name
    assert rebuilt != damaged
    assert Store(index).current_name() == rebuilt and leftovers(index) == []
    question, expected = SEED_QUESTION
    assert expected in (bot.ask(question).answer or "")
    # A bot that was running on the damaged generation moves to the rebuilt one.
    assert expected in (running.ask(question).answer or "")
    assert running.generation.name == rebuilt
    assert live_sources(index) == corpus_sources(config.corpus)
    assert rebuilt in generations(index)
