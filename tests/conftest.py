"""Shared fixtures: one real model and one real seed index per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_QUESTIONS = Path(__file__).resolve().parent / "seed_questions.jsonl"


@pytest.fixture(scope="session")
def embedder():
    from qa.config import DEFAULT_MODEL
    from qa.index.embed import Embedder

    return Embedder(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def seed_dirs(tmp_path_factory) -> tuple[Path, Path]:
    """A private copy of the shipped seeds (not files a user added) and an index folder for it."""
    from tests.helpers.corpus import copy_seeds

    base = tmp_path_factory.mktemp("seed-corpus")
    return copy_seeds(base / "seeds"), base / "index"


@pytest.fixture(scope="session")
def seed_bot(seed_dirs, embedder):
    """A Bot over the seeds; tests must not change its corpus (copy it instead)."""
    from qa import Bot, Config
    from qa.index.indexer import update_index

    corpus, index = seed_dirs
    config = Config.from_env(corpus=corpus, index=index)
    update_index(config, embedder)
    from qa.index.store import Store

    return Bot(config, embedder, Store(index).load())


@pytest.fixture
def small_corpus(tmp_path) -> tuple[Path, Path]:
    """An empty corpus folder and index folder for tests that change files."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    return corpus, tmp_path / "index"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test."""
    from playwright.sync_api import sync_playwright

    from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


# --- the page: a server over a private copy of the seeds, and a browser page on it ------------------


@pytest.fixture(scope="module")
def web_bot(seed_bot, seed_dirs, tmp_path_factory, embedder):
    """A Bot over a private copy of the seeds and their index, free to add files to (per module)."""
    from qa import Bot, Config
    from qa.index.indexer import update_index
    from qa.index.store import Store

    corpus, index = seed_dirs
    base = tmp_path_factory.mktemp("web")
    shutil.copytree(corpus, base / "corpus")
    shutil.copytree(index, base / "index")  # the index of the same files: nothing to embed again
    config = Config.from_env(corpus=base / "corpus", index=base / "index")
    update_index(config, embedder)
    return Bot(config, embedder, Store(config.index).load())


@pytest.fixture(scope="module")
def server(web_bot) -> str:
    from qa.app.web import build_app, launch
    from tests.helpers.browser import free_port

    app = build_app(web_bot)
    url = launch(app, host="127.0.0.1", port=free_port(), block=False, quiet=True)
    yield url
    app.close()


@pytest.fixture
def page(browser, server):
    """A fresh page (a fresh conversation); ``page.outside`` collects requests that left 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.outside = []
    pg.on("request", lambda r: pg.outside.append(r.url) if not r.url.startswith(server.rstrip("/")) and
          not r.url.startswith(("data:", "blob:")) else None)
    pg.goto(server)
    pg.wait_for_selector("#qa-question textarea")
    yield pg
    context.close()
