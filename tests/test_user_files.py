"""Files a user adds to seeds/ (by hand or through the page) never break the test suite.

The page saves uploads into the corpus folder, which is seeds/ by default, and people drop
their own files there; the suite must still collect and its seed fixtures must still see the
shipped documents only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa import Bot, Config
from qa.index.indexer import update_index
from qa.index.store import Store
from tests.helpers.browser import free_port, needs_browser, upload
from tests.helpers.corpus import ROOT, copy_cache, shipped_seeds


def _checkout(dest: Path) -> Path:
    """The project as a user has it: its tracked files (as they are now) in a git repository."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in tracked.decode("utf-8").split("\0"):
        if name and (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "checkout"]):
        subprocess.run([*git, *args], cwd=dest, check=True, capture_output=True)
    return dest


@pytest.mark.browser
@needs_browser
def test_uploads_and_dropped_files_in_seeds_leave_the_suite_intact(browser, embedder, seed_bot, seed_dirs,
                                                                   tmp_path):
    project = _checkout(tmp_path / "project")
    seeds = project / "seeds"
    config = Config.from_env(corpus=seeds, index=project / "embeddings")
    copy_cache(seed_dirs[1], config.index)  # the shipped seeds' vectors: nothing to embed again
    update_index(config, embedder)
    bot = Bot(config, embedder, Store(config.index).load())

    from qa.app.web import build_app, launch

    app = build_app(bot)
    url = launch(app, host="127.0.0.1", port=free_port(), block=False, quiet=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#qa-question textarea")
        gbk = tmp_path / "通知.txt"
        gbk.write_bytes("2024年3月1日，区政府召开春季植树动员会议，副区长刘晓东主持。\n".encode("gbk"))
        binary = tmp_path / "数据.txt"
        binary.write_bytes(os.urandom(3000))
        assert "已添加 added" in upload(page, gbk).inner_text()
        assert "No text can be read" in upload(page, binary).inner_text()
    finally:
        context.close()
        app.close()
    # What people drop into the folder by hand is not checked by anyone.
    (seeds / "旧稿.txt").write_bytes("會議紀要：市長主持召開專題會議。".encode("big5"))
    (seeds / "截图.txt").write_bytes(os.urandom(2000))
    assert (seeds / gbk.name).read_bytes() == gbk.read_bytes() and not (seeds / binary.name).exists()

    env = {**os.environ, "PYTHONPATH": str(project), "CI": ""}
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                               cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert " tests collected" in collected.stdout and "error" not in collected.stdout.splitlines()[-1]
    listed = subprocess.run(
        [sys.executable, "-c", "from tests.helpers.corpus import shipped_seeds; "
                               "print('\\n'.join(p.name for p in shipped_seeds()))"],
        cwd=project, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert listed == [p.name for p in shipped_seeds()]
    assert {p.name for p in seeds.iterdir()} - set(listed) == {gbk.name, "旧稿.txt", "截图.txt"}
