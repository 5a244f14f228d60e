"""The page's example questions, stored beside an index generation so the page need not recompute them."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from ..index.generation import Metadata
from ..index.store import Store


def cached_examples(generation: Metadata, n: int = 4) -> list[str]:
    """The example questions of a generation, computed once and kept in its folder.

    Reading them off the passages tags hundreds of sentences with jieba (seconds, and jieba's
    dictionary first), which would hold up every start of the page; ``qa index`` stores them
    right after a build. The generation is otherwise read-only: ``examples.json`` is not part
    of its manifest, is written atomically, and a folder that cannot be written just means
    computing them again.
    """
    folder = getattr(generation, "folder", None)
    path = Path(folder) / "examples.json" if folder else None
    if path is not None:
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored.get("n") == n and stored.get("generation") == generation.name:
                return list(stored["questions"])
        except (OSError, ValueError, AttributeError, KeyError):
            pass
    from .examples import example_questions

    questions = example_questions(generation.first_passages(400), n)
    if path is not None:
        tmp = path.with_name(f"examples.json.tmp-{os.getpid()}-{threading.get_ident()}")
        try:
            tmp.write_text(json.dumps({"generation": generation.name, "n": n, "questions": questions},
                                      ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)
    return questions


def store_examples(index: Path) -> None:
    """Compute and keep the live generation's examples now (``qa index``, ``qa bench``), so the
    next start of the page finds them."""
    generation = Store(index).load()
    try:
        cached_examples(generation)
    finally:
        generation.close()
