"""Turning files into text: format extraction and encoding detection.

Everything that can go wrong with a user's file ends here as a :class:`ReadError` carrying
a reason a person can act on; callers list the file as skipped and go on.
"""

from __future__ import annotations

import codecs
import hashlib
import html as html_module
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .clean import CREDIT, DATE, SOURCE
from .markdown import markdown_to_text

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}


class ReadError(Exception):
    """A file that cannot be turned into text; the message says why (``zh``: the same in Chinese,
    so a refusal on the page reads as one language per sentence)."""

    def __init__(self, message: str, zh: str = "无法读取文件"):
        super().__init__(message)
        self.zh = zh


@dataclass(frozen=True)
class Document:
    #: Path relative to the corpus folder, with forward slashes: the source shown to users.
    source: str
    text: str
    sha256: str
    encoding: str


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: Path, root: Path, max_bytes: int) -> Document:
    """Read one corpus file; raises ReadError for anything unusable."""
    return parse_document(path.relative_to(root).as_posix(), read_bytes(path, max_bytes))


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """A file's bytes, refusing (before reading) files over the size limit."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:g} MB limit",
                            f"文件大小 {size / 2**20:.1f} MB，超过 {max_bytes / 2**20:g} MB 的上限")
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}", "无法读取文件") from exc


def parse_document(source: str, data: bytes) -> Document:
    """A document from bytes already read; the format comes from the name's suffix."""
    text, encoding = extract_text(data, Path(source).suffix.lower())
    if not text.strip():
        raise ReadError("file has no text", "文件里没有文字")
    return Document(source=source, text=text, sha256=file_sha256(data), encoding=encoding)


def extract_text(data: bytes, suffix: str) -> tuple[str, str]:
    """Text of a file's bytes by format; returns (text, encoding or format name)."""
    if suffix in MARKDOWN_SUFFIXES:
        text, encoding = decode_bytes(data)
        return markdown_to_text(text), encoding
    if suffix in TEXT_SUFFIXES:
        return decode_bytes(data)
    if suffix in HTML_SUFFIXES:
        html, encoding = decode_bytes(data)
        return html_to_text(html), encoding
    if suffix == ".pdf":
        return pdf_to_text(data), "pdf"
    if suffix == ".docx":
        return docx_to_text(data), "docx"
    raise ReadError(f"unsupported file type {suffix or '(none)'}", f"不支持的文件类型 {suffix or '（无扩展名）'}")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text of unknown encoding: BOM, then strict UTF-8, then a detector."""
    if not data:
        return "", "utf-8"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _detect(data)
    _reject_binary(text)
    return text, encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(f"bytes are not valid {encoding} after its byte-order mark",
                        f"内容与字节顺序标记 (BOM) 所示的 {encoding.upper()} 编码不符") from exc
    return text.lstrip("\ufeff")


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    if b"\x00" in data[:4096] and not _looks_utf16(data):
        raise ReadError("file looks binary (NUL bytes), not text", "文件是二进制数据（含 NUL 字节），不是文字")
    best = from_bytes(data).best()
    encoding = _superset(best.encoding) if best else None
    if encoding not in CHINESE_ENCODINGS:
        # Short Chinese texts fool the detector (a GBK notice read as cp949); this bot reads
        # Chinese documents, so a Chinese reading wins when it yields more Chinese characters.
        chinese = from_bytes(data, cp_isolation=list(CHINESE_ENCODINGS)).best()
        if chinese and _cjk_share(str(chinese)) > max(0.3, _cjk_share(str(best)) if best else 0.0):
            encoding = _superset(chinese.encoding)
    if encoding is None:
        raise ReadError("cannot detect the text encoding", "无法识别文字编码")
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise ReadError(f"cannot decode as detected encoding {encoding}", f"无法按识别出的编码 {encoding.upper()} 解码") from exc


CHINESE_ENCODINGS = ("gb18030", "big5")


def _superset(encoding: str) -> str:
    """GBK and GB2312 are subsets of GB18030; decoding with the superset loses nothing."""
    return "gb18030" if encoding in ("gb2312", "gbk", "cp936") else encoding


def _cjk_share(text: str) -> float:
    visible = [c for c in text if not c.isspace()]
    return sum("\u4e00" <= c <= "\u9fff" for c in visible) / max(len(visible), 1)


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4


def _reject_binary(text: str) -> None:
    sample = text[:20000]
    if not sample:
        return
    controls = sum(
        1 for ch in sample if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\n\r\t\f\v"
    )
    if controls > max(8, len(sample) // 100):
        raise ReadError("file looks binary (control characters), not text", "文件是二进制数据（含控制字符），不是文字")


#: "<title>市政府召开…_某市人民政府门户网站</title>": the site after the headline.
_SITE = re.compile(r"<title[^>]*>[^<]*?[_|｜–—-]\s*([^<_|｜–—-]{2,30}?)\s*</title>", re.IGNORECASE)


#: A page's publication date in its metadata line: labelled, or a date beside the source or author.
_DAY = rf"(?:{DATE.pattern})日?"
_PUBLISHED = re.compile(rf"(?:发布时间|發布時間|发布日期|發佈日期|發布日期|发表时间|發表時間|更新时间|更新時間)\s*[:：]\s*({_DAY})"
                        rf"|(?m:^[^\n]{{0,20}}?({_DAY})[^\n]{{0,40}}?(?:来源|來源|作者|编辑|編輯))")


def html_to_text(html: str) -> str:
    """Article text of a web page: navigation, footers and scripts removed."""
    import trafilatura

    found = trafilatura.bare_extraction(html, include_comments=False, include_tables=True, favor_recall=True,
                                        with_metadata=True)
    if found is not None and found.text:
        # The headline (<h1> or <title>) is not part of the article body: put it back on top, since
        # it often names what the paragraphs only refer to ("市政府召开第三次全体会议…").
        title = (found.title or "").strip()
        text = found.text if not title or title in found.text else f"{title}\n{found.text}"
        # Who published the page, which article extraction drops: the site in "<title>标题_某某网</title>"
        # and the "来源：某某日报" line; kept below the article, where a report's issuer stands.
        issuers = [m.group(1) for m in (_SITE.search(html), SOURCE.search(html)) if m]
        issuers = [i.strip() for i in issuers if i.strip()]
        # Who wrote and edited it ("记者 某某", "责任编辑：某某"), in the page's chrome that extraction drops.
        visible = html_module.unescape(re.sub(r"<[^>]*>", "\n", re.sub(r"(?is)<(script|style|title)\b.*?</\1>", "", html)))
        credits = [m.group().strip() for m in CREDIT.finditer(visible) if m.group().strip() not in text]
        # When it was published ("2026-03-28 07:30　来源：…" beside the headline): what 昨天 and 日前 count from
        day = next((d for d in m.groups() if d), "") if (m := _PUBLISHED.search(visible)) else ""
        published = [f"发布时间：{day}"] if day and day not in text else []
        return "\n".join([text, *published, *(f"来源：{i}" for i in dict.fromkeys(issuers)), *dict.fromkeys(credits)])
    # Pages too small for article detection: fall back to every visible text node.
    from lxml import html as lxml_html
    from lxml_html_clean import Cleaner

    try:
        tree = Cleaner(scripts=True, javascript=True, style=True).clean_html(lxml_html.fromstring(html))
    except Exception as exc:  # lxml raises many types on broken markup
        raise ReadError(f"cannot parse HTML: {exc}", "无法解析 HTML") from exc
    return "\n".join(t.strip() for t in tree.itertext() if t.strip())


def pdf_to_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types on damaged files
        raise ReadError(f"cannot read PDF: {exc}", "无法读取 PDF 文件") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ReadError("PDF has no text layer (scanned images are not supported)",
                        "PDF 没有文字层（不支持扫描图片）")
    return text


def docx_to_text(data: bytes) -> str:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = []
        for block in document.iter_inner_content():  # paragraphs and tables, in document order
            blocks += _table_rows(block) if isinstance(block, Table) else [block.text]
    except Exception as exc:  # zipfile, lxml and python-docx raise many types on damaged files
        raise ReadError(f"cannot read DOCX: {exc}", "无法读取 DOCX 文件") from exc
    return "\n\n".join(blocks)


def _table_rows(table) -> list[str]:
    """One line per row, cells separated by tabs; a merged cell counts once."""
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1]._tc:  # a merged cell repeats for each column it spans
                cells.append(cell)
        rows.append("\t".join(c.text.strip() for c in cells if c.text.strip()))
    return rows
