"""What a new user meets in the first hour on the command line (issue 19): a busy port, a pipe
closed early, the watcher, the data folder started from the seeds, an empty corpus."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

from .conftest import ROOT
from .test_cli import qa


def qa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "qa.app.cli", *args]


def test_a_second_serve_on_a_busy_port_says_so_before_anything_else(small_corpus):
    corpus, index = small_corpus
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = qa("--corpus", str(corpus), "--index", str(index), "serve", "--port", str(port), check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"qa: port {port} is in use; use --port", proc.stderr
    assert "ready" not in proc.stderr and "Traceback" not in proc.stderr
    assert not index.exists()  # checked before the index is built or opened


def test_ask_json_into_a_closed_pipe_ends_quietly(seed_bot, seed_dirs):
    corpus, index = seed_dirs
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(qa_command("--corpus", str(corpus), "--index", str(index), "ask",
                                       "谁主持召开了市委常委会第167次会议？", "--json"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    proc.stdout.close()  # as `| head` does once it has its lines: nobody reads the rest
    err = proc.stderr.read().decode()
    proc.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 141  # as a shell reports a command ended by SIGPIPE


def test_index_watch_says_what_it_watches_and_prints_only_changes(small_corpus, tmp_path):
    corpus, index = small_corpus
    (corpus / "a.txt").write_text("市委书记李明远主持召开城市更新工作推进会。", encoding="utf-8")
    qa("--corpus", str(corpus), "--index", str(index), "index")
    log = tmp_path / "watch.log"  # stdout and stderr into one file, as a service's log gets them
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with open(log, "w") as out:
        proc = subprocess.Popen(qa_command("--corpus", str(corpus), "--index", str(index), "index", "--watch",
                                           "--interval", "0.2"), stdout=out, stderr=subprocess.STDOUT, env=env,
                                cwd=ROOT)
    try:
        assert _wait_for(log, "Ctrl+C to stop"), log.read_text()
        first = log.read_text()
        assert f"watching {corpus}" in first and "1 unchanged" in first  # the state it starts from
        time.sleep(3)  # some fifteen checks of an unchanged folder
        assert log.read_text() == first, "an unchanged folder printed something"
        (corpus / "b.txt").write_text("副市长赵一鸣主持召开防汛工作部署会。", encoding="utf-8")
        assert _wait_for(log, "added    b.txt"), log.read_text()
        time.sleep(2)
        after = log.read_text()[len(first):]
        assert after.count("added    b.txt") == 1 and after.count("passages embedded") == 1, after
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_for(path, text: str, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text():
            return True
        time.sleep(0.2)
    return False


def test_own_documents_live_in_a_data_folder_started_from_the_seeds(tmp_path):
    """Without --corpus the documents are data/ (git-ignored), a copy of the seeds made on the
    first run; uploads and the index use it, and the seeds stay as shipped."""
    seeds = tmp_path / "shipped"
    seeds.mkdir()
    (seeds / "a.txt").write_text("2023年5月8日，市委书记李明远主持召开城市更新工作推进会。", encoding="utf-8")
    home = tmp_path / "project"  # the folder the commands run in
    home.mkdir()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "QA_SEEDS": str(seeds), "PYTHONPATH": str(ROOT)}
    env.pop("QA_CORPUS", None)
    run = subprocess.run(qa_command("index"), cwd=home, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert (home / "data" / "a.txt").read_bytes() == (seeds / "a.txt").read_bytes()
    assert "added    a.txt" in run.stdout
    assert f"folder data was started with a copy of the 1 documents in {seeds}" in run.stderr
    (home / "data" / "a.txt").unlink()  # the user's folder is theirs: never filled again
    again = subprocess.run(qa_command("index"), cwd=home, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "removed  a.txt" in again.stdout and "copy" not in again.stderr
    assert [p.name for p in seeds.iterdir()] == ["a.txt"]
    status = subprocess.run(qa_command("status"), cwd=home, env=env, capture_output=True, text=True, timeout=600)
    assert "0 files" in status.stdout

    ignored = subprocess.run(["git", "check-ignore", "-q", "data/upload.txt"], cwd=ROOT)
    assert ignored.returncode == 0, "data/ must be git-ignored"


def test_bot_open_and_uploads_use_the_data_folder(tmp_path, monkeypatch, embedder):
    from qa import Bot
    from qa.app.render import render_status
    from qa.app.uploads import save_uploads

    seeds = tmp_path / "shipped"
    seeds.mkdir()
    (seeds / "a.txt").write_text("市委书记李明远主持召开城市更新工作推进会。", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QA_CORPUS", raising=False)
    monkeypatch.setenv("QA_SEEDS", str(seeds))
    bot = Bot.open(index=tmp_path / "index")
    assert bot.config.corpus.name == "data" and (tmp_path / "data" / "a.txt").is_file()
    save_uploads(bot.config.corpus, [("b.txt", "副市长赵一鸣主持召开防汛工作部署会。".encode())], bot.config)
    bot.update()
    assert sorted(s for s, _ in bot.status().files) == ["a.txt", "b.txt"]
    assert sorted(p.name for p in seeds.iterdir()) == ["a.txt"]
    html = render_status(bot.status())
    assert str((tmp_path / "data").resolve()) in html and "上传的文件保存在这里" in html


def test_an_empty_corpus_says_there_are_no_documents_and_how_to_add_some(small_corpus, embedder):
    from qa import Bot, Config
    from qa.index.indexer import update_index
    from qa.index.store import Store

    corpus, index = small_corpus
    config = Config.from_env(corpus=corpus, index=index)
    update_index(config, embedder)
    bot = Bot(config, embedder, Store(index).load())
    answer = bot.ask("谁主持召开了市委常委会？")
    assert not answer.found and answer.answer is None
    assert "没有文档" in answer.message and str(corpus) in answer.message and "qa index" in answer.message
    assert "no documents" in answer.message and "Add documents" in answer.message
    proc = qa("--corpus", str(corpus), "--index", str(index), "ask", "谁主持召开了市委常委会？", check=False)
    assert proc.returncode == 1 and "no documents" in proc.stdout


def test_a_pronoun_with_nothing_before_it_asks_who_is_meant(seed_bot):
    conversation = seed_bot.conversation()
    answer = conversation.ask("他还参加了哪些会议？")
    assert answer.kind == "invalid" and not answer.found and not answer.quotes  # as a question it cannot use
    assert "“他”指的是谁" in answer.message and "Who is “他”" in answer.message
    assert conversation.history == []  # nothing to refer back to later either
    assert "“他们”指的是谁" in seed_bot.ask("他们参加了哪些会议？").message
    # with a person before it, the pronoun is resolved as ever; a question naming one is not asked back
    conversation.ask("谁主持召开了市委常委会第167次会议？")
    assert conversation.ask("他还参加了哪些会议？").resolved_question == "黄钦参加了哪些会议？"
    assert seed_bot.ask("杜小刚说他参加了哪些会议？").kind != "invalid"


def test_python_app_py_works_without_activating_the_venv(tmp_path):
    """`python app.py` as the README writes it, run by a Python that lacks the project's packages
    (the system one), uses the project's .venv by itself; without a .venv it says what to run."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "app.py", project / "app.py")
    (project / "qa").symlink_to(ROOT / "qa")
    bare = tmp_path / "bare"  # a Python without gradio and faiss: a venv without system packages
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    missing = subprocess.run([str(bare / "bin" / "python"), "app.py", "--help"], cwd=project, env=env,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert "bash scripts/run.sh" in missing.stderr and "source .venv/bin/activate" in missing.stderr

    (project / ".venv" / "bin").mkdir(parents=True)
    venv_python = project / ".venv" / "bin" / "python"  # stands for the installed environment
    venv_python.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    venv_python.chmod(0o755)
    found = subprocess.run([str(bare / "bin" / "python"), "app.py", "--help"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    assert "usage: qa serve" in found.stdout and "--port" in found.stdout
