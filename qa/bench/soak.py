"""``qa soak``: the page under load while its documents change, measured from outside.

It copies the corpus and index into a scratch folder, starts ``qa serve`` there as a process of
its own, and then for the given time:

* N clients (one thread each, over HTTP) ask ``/ask`` back to back: mostly the seed questions,
  every fourth one about a file the writer added. They use Gradio's plain HTTP API (``POST
  /gradio_api/call/ask``, then read the event stream), the same queue as gradio_client, because
  gradio_client's own machinery took two to three times the server's CPU on the soak's machine,
  which is not what a server shared over a network pays for its clients;
* every few seconds a writer adds a file and removes the one added two rounds before, and
  ``qa index --watch`` (another process, started once, as a team would run it beside the page)
  brings the index up to date;
* the serving process's memory is sampled every second.

Counted: answers, errors (any failed request: refused, timed out, malformed), wrong seed answers
(a seed question answered right, by its gold answers in the questions file, before the load
started and wrong during it), latency p50/p95 per request, index updates (generations the
watcher published) and whether the watcher failed, and the serving process's memory growth (from
the end of the warm-up to the end, and to the peak).

With ``QA_STORE=milvus`` the soak needs a Milvus server (``QA_MILVUS_URI``): a Milvus Lite file is
served by one process at a time, and the watcher is a second one. It then starts a fresh index of
its own (new collections, named by its own index folder; vectors from the copied embedding
cache), so it never writes into the collections of the index it was given.

The server runs with the per-client question limit off (``QA_ASK_PER_MINUTE=0``): every client of
a soak comes from one address, which that limit would rightly slow down.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import numpy as np
import psutil

from ..config import Config
from .evaluate import judge_reply, load_seed_questions

#: Every this-many-th question is about a file the writer keeps adding (the rest are seed questions).
CHURN_EVERY = 4
_WORK = ["供水", "供电", "道路养护", "垃圾分类", "消防安全", "校舍维修", "河道清淤", "绿化补种"]


@dataclass
class SoakReport:
    clients: int
    seconds: float
    answers: int = 0
    errors: int = 0
    #: Seed questions whose gold answer the bot gave before the load (only these can be "wrong").
    seed_questions: int = 0
    seed_right_before: int = 0
    wrong_seed_answers: int = 0
    p50_s: float = 0.0
    p95_s: float = 0.0
    max_s: float = 0.0
    updates: int = 0
    watcher_failed: bool = False
    memory_start_mb: float = 0.0
    memory_end_mb: float = 0.0
    memory_peak_mb: float = 0.0
    load_average: list[float] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # the first few errors and wrong answers

    @property
    def growth_mb(self) -> float:
        return self.memory_end_mb - self.memory_start_mb

    @property
    def peak_growth_mb(self) -> float:
        return self.memory_peak_mb - self.memory_start_mb

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.wrong_seed_answers == 0 and not self.watcher_failed and self.answers > 0

    def summary(self) -> str:
        lines = [
            f"{self.clients} clients for {self.seconds:.0f} s: {self.answers} answers, {self.errors} errors, "
            f"{self.wrong_seed_answers} wrong seed answers ({self.seed_right_before}/{self.seed_questions} seed "
            f"questions answered right before the load)",
            f"latency p50 {self.p50_s:.2f} s, p95 {self.p95_s:.2f} s, max {self.max_s:.2f} s",
            f"index updates {self.updates} (the watcher failed: {'yes' if self.watcher_failed else 'no'})",
            f"serving memory {self.memory_start_mb:.0f} MB after warm-up, {self.memory_end_mb:.0f} MB at the end "
            f"(growth {self.growth_mb:+.0f} MB), peak {self.memory_peak_mb:.0f} MB (+{self.peak_growth_mb:.0f} MB)",
            "load average " + " ".join(f"{x:.2f}" for x in self.load_average),
        ]
        return "\n".join(lines + [f"  {e}" for e in self.examples])


class SoakError(RuntimeError):
    """The soak cannot run as asked (said why)."""


def soak(config: Config, questions: Path, clients: int = 16, minutes: float = 10.0, every: float = 5.0,
         log=print) -> SoakReport:
    """Run the soak described above over copies of ``config.corpus`` and ``config.index``."""
    milvus = config.store == "milvus"
    if milvus and (not config.milvus_uri or config.milvus_uri.endswith(".db")):
        raise SoakError("a soak of the Milvus store needs a Milvus server (QA_MILVUS_URI=http://…): a Milvus Lite "
                        "file is served by one process at a time, and the soak's qa index --watch is a second one")
    items = load_seed_questions(questions)
    with tempfile.TemporaryDirectory(prefix="qa-soak-") as tmp:
        work = Path(tmp)
        corpus, index = work / "corpus", work / "index"
        source = Path(config.corpus) if Path(config.corpus).is_dir() else Path(config.seeds)  # before a first run
        shutil.copytree(source, corpus, ignore=shutil.ignore_patterns(".*"))
        if milvus and (Path(config.index) / "cache.sqlite").is_file():  # a fresh index, no embedding again
            index.mkdir()
            shutil.copy2(Path(config.index) / "cache.sqlite", index / "cache.sqlite")
        elif not milvus and Path(config.index).is_dir():
            shutil.copytree(config.index, index, ignore=shutil.ignore_patterns(".lock", "*.tmp-*", "audit.log"))
        cli = [sys.executable, "-m", "qa.app.cli", "--corpus", str(corpus), "--index", str(index)]
        port = _free_port()
        env = {**os.environ, "QA_ASK_PER_MINUTE": "0", "HF_HUB_OFFLINE": "1"}
        with open(work / "serve.log", "w", encoding="utf-8") as out:
            server = subprocess.Popen([*cli, "serve", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                      env=env)
        try:
            url = _wait_for(server, port, work / "serve.log")
            log(f"soak: serving on {url} (pid {server.pid})")
            return _run(url, server.pid, cli, env, corpus, items, clients, minutes * 60, every, log)
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()


class Asker:
    """One HTTP client of ``/ask`` (Gradio's ``/gradio_api/call/ask``: post, then read the events)."""

    def __init__(self, url: str, timeout: float = 120.0):
        self.base = url.rstrip("/") + "/gradio_api/call/ask"
        self.http = httpx.Client(timeout=timeout)
        self.session = os.urandom(8).hex()  # one session per client, as a browser or gradio_client keeps

    def predict(self, question: str) -> dict:
        """The endpoint's JSON; raises with the server's message when it refuses or fails."""
        posted = self.http.post(self.base, json={"data": [question, None], "session_hash": self.session})
        posted.raise_for_status()
        events = self.http.get(f"{self.base}/{posted.json()['event_id']}")
        events.raise_for_status()
        event = None
        for line in events.text.splitlines():
            if line.startswith("event: "):
                event = line[7:].strip()
            elif line.startswith("data: ") and event in ("complete", "error"):
                data = line[6:]
                if event == "error":
                    raise RuntimeError(f"the server refused or failed: {data[:300]}")
                return json.loads(data)[0]
        raise RuntimeError(f"no answer in the event stream: {events.text[:300]!r}")

    def close(self) -> None:
        self.http.close()


def command(args, config: Config) -> int:
    """``qa soak``: prints the report (``--json``: as JSON); exits 0 when nothing failed, 1 when
    something did (an error, a wrong seed answer, the watcher), 2 when it cannot run."""
    try:
        report = soak(config, args.questions, clients=args.clients, minutes=args.minutes, every=args.every,
                      log=lambda line: print(line, file=sys.stderr, flush=True))
    except SoakError as exc:
        print(f"qa soak: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({**asdict(report), "growth_mb": report.growth_mb, "peak_growth_mb": report.peak_growth_mb,
                          "ok": report.ok}, ensure_ascii=False, indent=2))
    else:
        print(report.summary())
    return 0 if report.ok else 1


def _run(url: str, pid: int, cli: list[str], env: dict, corpus: Path, items: list[dict], clients: int,
         seconds: float, every: float, log) -> SoakReport:
    report = SoakReport(clients, seconds, seed_questions=len(items))
    first = Asker(url)
    right = [item for item in items if _judge(item, first.predict(item["question"]))]
    first.close()
    report.seed_right_before = len(right)
    log(f"soak: {len(right)}/{len(items)} seed questions answered right before the load")
    server = psutil.Process(pid)
    report.memory_start_mb = report.memory_peak_mb = server.memory_info().rss / 2**20
    stop = threading.Event()
    lock = threading.Lock()
    latencies: list[float] = []
    rounds = [0]

    def note(example: str) -> None:
        if len(report.examples) < 10:
            report.examples.append(example)

    def ask(n: int) -> None:
        client = Asker(url)
        i = n * 7
        while not stop.is_set():
            i += 1
            item = None if i % CHURN_EVERY == 0 else right[i % len(right)] if right else None
            question = item["question"] if item else f"第{_churn_number(max(1, rounds[0]))}号通报涉及几个项目？"
            started = time.monotonic()
            try:
                reply = client.predict(question)
                problem = None if isinstance(reply, dict) and isinstance(reply.get("found"), bool) else \
                    f"malformed reply {str(reply)[:100]}"
            except Exception as exc:  # noqa: BLE001
                reply, problem = None, f"{type(exc).__name__}: {exc}"
            took = time.monotonic() - started
            with lock:
                if problem:
                    report.errors += 1
                    note(f"error: {question}: {problem}")
                    continue
                report.answers += 1
                latencies.append(took)
                if item and not _judge(item, reply):
                    report.wrong_seed_answers += 1
                    note(f"wrong: {question}: got {reply.get('answer')!r}, expected one of {item['answers']}")
        client.close()

    watch_log = corpus.parent / "watch.log"
    with open(watch_log, "w", encoding="utf-8") as err:
        watcher = subprocess.Popen([*cli, "index", "--watch", "--interval", "1"], env=env, stdout=subprocess.PIPE,
                                   stderr=err, text=True, encoding="utf-8")

    def watch() -> None:
        for line in watcher.stdout:
            if " passages embedded; index " in line:  # the summary line of each update
                with lock:
                    report.updates += 1

    def write() -> None:
        while not stop.is_set():
            rounds[0] += 1
            n = rounds[0]
            (corpus / f"soak-{n:05d}.txt").write_text(_churn_text(n), encoding="utf-8")
            (corpus / f"soak-{n - 2:05d}.txt").unlink(missing_ok=True)
            stop.wait(every)

    def sample() -> None:
        while not stop.wait(1.0):
            rss = server.memory_info().rss / 2**20
            report.memory_peak_mb = max(report.memory_peak_mb, rss)

    threads = [threading.Thread(target=ask, args=(n,), daemon=True) for n in range(clients)]
    threads += [threading.Thread(target=f, daemon=True) for f in (write, watch, sample)]
    started = time.monotonic()
    for t in threads:
        t.start()
    while time.monotonic() - started < seconds:
        time.sleep(min(30.0, max(0.1, seconds - (time.monotonic() - started))))
        with lock:
            log(f"soak: {time.monotonic() - started:.0f} s, {report.answers} answers, {report.errors} errors, "
                f"{report.wrong_seed_answers} wrong, {report.updates} updates")
    stop.set()
    if watcher.poll() is not None:  # it died during the soak
        report.watcher_failed = True
        note(f"qa index --watch exited with {watcher.returncode}: {watch_log.read_text(encoding='utf-8')[-300:]}")
    watcher.terminate()
    for t in threads:
        t.join(300)
    watcher.wait(30)
    report.seconds = time.monotonic() - started
    report.memory_end_mb = server.memory_info().rss / 2**20
    report.memory_peak_mb = max(report.memory_peak_mb, report.memory_end_mb)
    if latencies:
        report.p50_s, report.p95_s = (float(x) for x in np.percentile(latencies, [50, 95]))
        report.max_s = max(latencies)
    report.load_average = [round(x, 2) for x in os.getloadavg()]
    return report


def _judge(item: dict, reply: dict) -> bool:
    quotes = reply.get("quotes") or []
    return judge_reply(item, bool(reply.get("found")), reply.get("answer"), quotes[0]["sentence"] if quotes else "")


def _churn_number(n: int) -> int:
    return 700_000 + n


def _churn_text(n: int) -> str:
    """A short notice of its own for round ``n``: new words for the index, none of the seeds'."""
    number = _churn_number(n)
    return "\n".join(
        f"第{number}号通报：第{n % 9 + 1}检查组在{k + 1}号片区完成了{_WORK[(n + k) % len(_WORK)]}检查，"
        f"涉及{(n + k) % 13 + 2}个项目。" for k in range(3)) + "\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(server: subprocess.Popen, port: int, log_file: Path, timeout: float = 600) -> str:
    """The server's URL once it answers HTTP and has loaded what a question needs."""
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"qa serve exited with {server.returncode}: {log_file.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                if "model and tokenizer loaded" in log_file.read_text(encoding="utf-8", errors="replace"):
                    return url
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"qa serve did not start within {timeout:.0f} s")
