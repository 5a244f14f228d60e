"""The test side of a churn (``helpers/churn.py`` or a writer thread): threads asking one bot
while the index is rewritten, and ending the churn and those threads."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable

from qa import Answer, Bot


class Askers:
    """Threads asking ``bot`` until :meth:`end`; every failure is collected, none may happen.

    ``pick(i)`` gives the i-th question and whether it is a seed question; ``check(answer,
    question, seed)`` raises on a wrong answer; ``during()`` says whether the churn is on when a
    question is asked; the threads wait until ``ready()`` (the writer may still load its model).
    """

    def __init__(self, bot: Bot, pick: Callable[[int], tuple[str, bool]], check: Callable[[Answer, str, bool], None],
                 during: Callable[[], bool] = lambda: True, ready: Callable[[], bool] = lambda: True,
                 threads: int = 3):
        self.bot, self._pick, self._check, self._during, self._ready = bot, pick, check, during, ready
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.asked: list[tuple[str, bool]] = []  # (generation after the answer, during the churn)
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self._loop, args=(n * 5,), daemon=True) for n in range(threads)]
        for t in self.threads:
            t.start()

    def _loop(self, offset: int) -> None:
        i = offset
        while not self._ready() and not self.stop.is_set():
            time.sleep(0.05)
        while not self.stop.is_set():
            i += 1
            question, seed = self._pick(i)
            during = self._during()
            try:
                self._check(self.bot.ask(question), question, seed)
            except BaseException as exc:  # every failure is collected, none may happen
                with self.lock:
                    self.errors.append(f"{question}: {type(exc).__name__}: {exc}")
            with self.lock:
                self.asked.append((self.bot.generation.name, during))

    def asked_during(self) -> int:
        with self.lock:
            return sum(1 for _, d in self.asked if d)

    def end(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(120)


def mixed_questions(seed_questions: list[str], churn_questions: list[str], spread: int
                    ) -> Callable[[int], tuple[str, bool]]:
    """An :class:`Askers` ``pick``: two seed questions, then one about a churned file (its
    number ``800_000 + i % spread`` varies, so the model is asked too)."""
    def pick(i: int) -> tuple[str, bool]:
        seed = i % 3 != 0
        return (seed_questions[i % len(seed_questions)] if seed else
                churn_questions[i % len(churn_questions)].format(800_000 + i % spread)), seed

    return pick


def stop_churn(churn: subprocess.Popen, reader: threading.Thread) -> None:
    """Ask the churn process to stop after its current round and wait for its last line."""
    churn.stdin.write("stop\n")
    churn.stdin.flush()
    assert churn.wait(300) == 0
    reader.join(30)


def end_asking(askers: Askers, churn: subprocess.Popen) -> None:
    """Stop the asking threads; kill the churn if a failed assertion left it running."""
    askers.end()
    if churn.poll() is None:
        churn.kill()
