"""Saving uploaded files into the corpus folder: safe names, no silent overwrites, clear refusals.

Pure file-system logic with no web framework in it, so the page (and anything else) can use it
and the tests can check it on a temporary folder:

    results = save_uploads(config.corpus, [("会议.txt", "/tmp/upload/会议.txt")], config)
    for r in results:
        print(r.status, r.saved, r.message)

Rules:

* Only the last component of the uploaded name is kept; directory parts (``../``, ``C:\\``,
  ``/etc/``), NUL and control characters, invisible direction marks and characters that are
  not allowed on common file systems are removed or replaced; CJK characters are kept.
* A file is never overwritten silently: a file already there with the same content is
  ``unchanged``; with different content the new one is saved as ``name (2).txt`` (and so on),
  unless ``replace`` is asked for, in which case it replaces the old one (``replaced``).
* Unsupported types, empty files, files over ``config.max_file_mb``, files that would take the
  corpus folder over ``config.max_corpus_mb`` and files the readers cannot
  turn into text (a binary renamed .txt, a damaged PDF) are ``rejected`` with the reason, before
  anything is written: the corpus only ever receives files the index can use.
* Files are written to a hidden temporary file first and then moved into place, so the
  indexer never sees half a file.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..ingest.readers import ReadError, file_sha256, parse_document

ADDED = "added"
REPLACED = "replaced"
RENAMED = "renamed"
UNCHANGED = "unchanged"
REJECTED = "rejected"

#: Longest file name kept, in UTF-8 bytes (most file systems allow 255; room is left for " (99)").
MAX_NAME_BYTES = 200
#: Names Windows reserves for devices, with or without an extension.
RESERVED_STEMS = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in range(10)] + [f"LPT{i}" for i in range(10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
#: Characters that are not allowed (or are dangerous) in file names on common systems.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class UploadResult:
    #: The name the file was uploaded with.
    original: str
    #: ADDED, REPLACED, RENAMED, UNCHANGED or REJECTED.
    status: str
    #: The file name in the corpus folder (None when rejected).
    saved: str | None
    #: One sentence for the person who uploaded it.
    message: str

    @property
    def ok(self) -> bool:
        return self.status != REJECTED

    @property
    def wrote(self) -> bool:
        """True when the corpus folder changed (the index needs an update)."""
        return self.status in (ADDED, REPLACED, RENAMED)


class UnsafeName(ValueError):
    """The uploaded name has nothing usable left once cleaned (``zh``: the reason in Chinese)."""

    def __init__(self, message: str, zh: str):
        super().__init__(message)
        self.zh = zh


def safe_name(name: str) -> str:
    """A plain file name for ``name``: no folders, no control characters, never hidden.

    Raises :class:`UnsafeName` when nothing usable is left (e.g. ``"../"``).
    """
    name = unicodedata.normalize("NFC", str(name))
    # Directory parts, whichever separator the uploading system used.
    name = re.split(r"[/\\]", name)[-1]
    # NUL, control characters, and format characters (zero-width, right-to-left overrides).
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = _FORBIDDEN.sub("_", name)
    name = _SPACES.sub(" ", name)
    # Leading dots would hide the file from the indexer (and make "." / ".."); trailing dots and
    # spaces are dropped by Windows.
    name = name.strip(" ").lstrip(".").rstrip(". ").strip(" ")
    if not name:
        raise UnsafeName("the file name is empty once folders and special characters are removed",
                         "去掉文件夹和特殊字符后，文件名是空的")
    stem, suffix = _split(name)
    if stem.split(".")[0].strip().upper() in RESERVED_STEMS:
        stem = f"_{stem}"
    return _shorten(stem, suffix)


def _split(name: str) -> tuple[str, str]:
    """("会议纪要", ".txt") for "会议纪要.txt"; a name that is only an extension has no stem."""
    dot = name.rfind(".")
    if dot <= 0 or dot == len(name) - 1:
        return name, ""
    return name[:dot], name[dot:]


def _shorten(stem: str, suffix: str) -> str:
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    if budget < 1:  # an absurdly long "extension": it is not one we support anyway
        stem, suffix, budget = stem + suffix, "", MAX_NAME_BYTES
    while len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    stem = stem.rstrip(". ")
    return (stem or "upload") + suffix


def check_upload(name: str, size: int, config: Config) -> str | None:
    """Why a file of this (already safe) name and size cannot be added, or None when it can."""
    suffix = Path(name).suffix.lower()
    if suffix not in config.extensions:
        kinds = ", ".join(config.extensions)
        return (f"不支持的文件类型 {suffix or '（无扩展名）'}；支持：{kinds}。"
                f"(Unsupported file type {suffix or '(no extension)'}; supported: {kinds}.)")
    if size == 0:
        return "文件是空的。(The file is empty.)"
    if size > config.max_file_bytes:
        mb = size / 1024 / 1024
        return (f"文件大小 {mb:.1f} MB，超过 {config.max_file_mb:g} MB 的上限。"
                f"(The file is {mb:.1f} MB, over the {config.max_file_mb:g} MB limit.)")
    return None


def corpus_full(corpus: Path, size: int, config: Config) -> str | None:
    """Why ``size`` more bytes would take the corpus folder over its limit, or None when they fit.

    (A replaced file is counted twice: the limit errs on the side of refusing.)
    """
    used = folder_bytes(corpus)
    if used + size <= config.max_corpus_bytes:
        return None
    mb = used / 1024 / 1024
    return (f"文档库已有 {mb:.1f} MB，加上这个文件会超过 {config.max_corpus_mb:g} MB 的上限。"
            f"(The documents take {mb:.1f} MB; this file would take them over the {config.max_corpus_mb:g} MB limit.)")


def folder_bytes(folder: Path) -> int:
    """Bytes of the files under ``folder`` (links not followed; 0 when it does not exist)."""
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def numbered(name: str, n: int) -> str:
    """``name (n).ext``: the n-th name tried for ``name`` (n=1 is the name itself).

    A safe name has at most MAX_NAME_BYTES bytes, so the number always fits in 255.
    """
    if n <= 1:
        return name
    stem, suffix = _split(name)
    return f"{stem} ({n}){suffix}"


def save_upload(corpus: Path, name: str, source: Path | str | bytes, config: Config,
                replace: bool = False) -> UploadResult:
    """Save one uploaded file (``source`` is its temporary path or its bytes) into ``corpus``."""
    original = str(name)
    try:
        clean = safe_name(original)
    except UnsafeName as exc:
        return UploadResult(original, REJECTED, None, f"文件名不可用：{exc.zh}。(Unusable file name: {exc}.)")
    try:
        size = len(source) if isinstance(source, bytes) else os.stat(source).st_size
    except OSError as exc:
        return UploadResult(original, REJECTED, None, f"无法读取上传的文件。(Cannot read the upload: {exc.strerror}.)")
    problem = check_upload(clean, size, config)
    if problem:
        return UploadResult(original, REJECTED, None, problem)
    corpus = Path(corpus)
    if (full := corpus_full(corpus, size, config)) is not None:
        return UploadResult(original, REJECTED, None, full)
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        parse_document(clean, data)
    except ReadError as exc:
        return UploadResult(original, REJECTED, None,
                            f"无法读取其中的文字：{exc.zh}。(No text can be read from it: {exc}.)")
    corpus.mkdir(parents=True, exist_ok=True)
    if replace:
        return _save_replacing(corpus, original, clean, data)
    return _save_keeping(corpus, original, clean, data)


def save_uploads(corpus: Path, files: Iterable[tuple[str, Path | str | bytes]], config: Config,
                 replace: bool = False) -> list[UploadResult]:
    """:func:`save_upload` for each (name, path-or-bytes), in order."""
    return [save_upload(corpus, name, source, config, replace) for name, source in files]


def _save_keeping(corpus: Path, original: str, clean: str, data: bytes) -> UploadResult:
    """Never touch an existing file: same content is unchanged, different content a new name."""
    digest = file_sha256(data)
    for n in range(1, 10_000):
        candidate = numbered(clean, n)
        target = corpus / candidate
        if _same_content(target, digest):
            return UploadResult(original, UNCHANGED, candidate, _unchanged_message(candidate))
        if os.path.lexists(target):
            continue
        if not _create(corpus, target, data):
            continue  # created by someone else in the meantime: try the next name
        if n == 1:
            return UploadResult(original, ADDED, candidate, f"已添加 {candidate}。(Added.)")
        return UploadResult(
            original, RENAMED, candidate,
            f"已有同名但内容不同的 {clean}，新文件另存为 {candidate}；如要替换，请勾选“替换同名文件”。"
            f"({clean} already exists with different content; saved as {candidate}. "
            f"Tick “replace files with the same name” to replace it instead.)",
        )
    return UploadResult(original, REJECTED, None, "同名文件太多。(Too many files with this name.)")


def _save_replacing(corpus: Path, original: str, clean: str, data: bytes) -> UploadResult:
    target = corpus / clean
    if _same_content(target, file_sha256(data)):
        return UploadResult(original, UNCHANGED, clean, _unchanged_message(clean))
    if os.path.lexists(target) and (target.is_symlink() or not target.is_file()):
        # Never write through a link (it may point outside the corpus) or over a folder.
        return _save_keeping(corpus, original, clean, data)
    existed = target.exists()
    _write_atomic(corpus, target, data)
    if existed:
        return UploadResult(original, REPLACED, clean, f"已替换 {clean}。(Replaced the earlier {clean}.)")
    return UploadResult(original, ADDED, clean, f"已添加 {clean}。(Added.)")


def _unchanged_message(name: str) -> str:
    return f"{name} 已在文档库中，内容相同，未改动。(Already in the documents with the same content; unchanged.)"


def _same_content(path: Path, digest: str) -> bool:
    try:
        if path.is_symlink() or not path.is_file():
            return False
        return file_sha256(path.read_bytes()) == digest
    except OSError:
        return False


def _temp_file(corpus: Path, data: bytes) -> Path:
    """A hidden (so never indexed) temporary file in ``corpus`` holding ``data``, synced."""
    tmp = corpus / f".upload-{os.getpid()}-{os.urandom(6).hex()}.part"
    with open(tmp, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def _create(corpus: Path, target: Path, data: bytes) -> bool:
    """Put ``data`` at ``target`` only if nothing is there; whole or not at all."""
    tmp = _temp_file(corpus, data)
    try:
        os.link(tmp, target)  # atomic, and fails instead of overwriting
        return True
    except FileExistsError:
        return False
    except OSError:  # no hard links on this file system: exclusive create instead
        try:
            with open(target, "xb") as fh:
                fh.write(data)
            return True
        except FileExistsError:
            return False
    finally:
        tmp.unlink(missing_ok=True)


def _write_atomic(corpus: Path, target: Path, data: bytes) -> None:
    tmp = _temp_file(corpus, data)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
