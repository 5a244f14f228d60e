"""Building test corpora and inspecting index folders."""

from __future__ import annotations

import sqlite3
import subprocess
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

#: A seed question the shipped seeds answer, with the words its answer must contain.
SEED_QUESTION = ("谁主持召开了市委常委会第167次会议？", "黄钦")

_SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
_PLACES = "东南西北中"
_WORK = ["供水", "供电", "道路养护", "垃圾分类", "消防安全", "食品安全", "校舍维修", "河道清淤", "绿化补种", "防汛物资"]
_VERBS = ["检查了", "督办了", "调研了", "验收了"]


def synthetic_paragraph(n: int) -> str:
    """A short, distinct, sentence-ended Chinese paragraph for passage number ``n`` (~25 chars)."""
    name = _SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n // len(_SURNAMES)) % len(_GIVEN)]
    return (f"第{n}号简报：{name}在{_PLACES[n % 5]}{n % 97 + 1}区{_VERBS[n % 4]}"
            f"{_WORK[n % len(_WORK)]}工作，涉及{n % 13 + 2}个项目。")


def synthetic_file(first: int, count: int) -> str:
    """``count`` paragraphs numbered from ``first``, one per line."""
    return "\n".join(synthetic_paragraph(n) for n in range(first, first + count)) + "\n"


@lru_cache(maxsize=1)
def shipped_seeds() -> tuple[Path, ...]:
    """The seed documents the project ships: the files git tracks in seeds/.

    A user's own documents live in data/ (started from the seeds), but anyone may still drop
    files into seeds/; the tests must see the shipped documents only, whatever else it holds.
    """
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", "seeds"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode("utf-8")
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(f"the tests need a git checkout to tell the shipped seeds from user files: {exc}") from exc
    files = tuple(ROOT / name for name in out.split("\0") if name)
    if not files:
        raise RuntimeError("git tracks no files in seeds/")
    return files


def copy_seeds(dest: Path) -> Path:
    """A writable copy of the shipped seed documents (never the files a user added)."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in shipped_seeds():
        target = dest / path.relative_to(SEEDS)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    return dest


def copy_cache(index_from: Path, index_to: Path) -> None:
    """Start ``index_to`` with the embedding cache of ``index_from`` (a consistent SQLite copy)."""
    index_to.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(index_from / "cache.sqlite")
    dst = sqlite3.connect(index_to / "cache.sqlite")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def leftovers(index: Path) -> list[str]:
    """Unfinished generations or CURRENT pointers a writer left behind."""
    return sorted(p.name for p in index.glob("*.tmp-*"))


def generations(index: Path) -> list[str]:
    return sorted(p.name for p in index.glob("gen-*") if p.is_dir() and ".tmp-" not in p.name)


def bot_over(docs: dict[str, str], base: Path, embedder) -> "Bot":
    """A bot over ``docs`` (file name → text), its corpus and index in ``base``."""
    from qa import Bot, Config
    from qa.index.indexer import update_index
    from qa.index.store import Store

    corpus = base / "docs"
    corpus.mkdir()
    for name, text in docs.items():
        (corpus / name).write_text(text, encoding="utf-8")
    config = Config.from_env(corpus=corpus, index=base / "index")
    update_index(config, embedder)
    return Bot(config, embedder, Store(config.index).load())
