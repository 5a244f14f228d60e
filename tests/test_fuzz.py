"""Property-based tests: readers, the cleaner and the splitter never crash and keep their promises.

Inputs: random bytes; the same Chinese text in UTF-8, UTF-8 with BOM, GB18030, Big5 and
UTF-16 (whole or damaged); broken PDF and DOCX files; and documents assembled from real seed
sentences, page chrome, jump markers, pinyin annotations, control characters, odd line ends
and very long lines. ReadError is the only exception a reader may raise. Every passage must
map character by character back to the original text, in order, with its sentences inside.
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import strategies as st

from qa.ingest.clean import clean, is_credit
from qa.ingest.passages import document_passages, passages_from_clean
from qa.ingest.readers import Document, ReadError, decode_bytes, extract_text, file_sha256, read_document
from qa.ingest.script import fold
from tests.helpers.fuzz import report, run_property, seed_sentences
from tests.helpers.minipdf import make_pdf

SUFFIXES = [".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".jpg", ""]


@pytest.fixture(scope="module", autouse=True)
def report_examples():
    yield
    print("\n" + report())


# --- material ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def traditional_sentences() -> list[str]:
    import opencc

    s2t = opencc.OpenCC("s2t")
    return [s2t.convert(s) for s in seed_sentences()]


sentences = st.sampled_from(seed_sentences())
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
NOISE_CHARS = st.characters(
    categories=["Lu", "Ll", "Lo", "Nd", "Po", "Ps", "Pe", "Zs", "Cc", "Sm"],
    exclude_characters="\x00", max_codepoint=0xFFFF,
)
pinyin = st.builds(lambda c, s, b: f"{c}{b[0]}{s}{b[1]}", CJK,
                   st.sampled_from(["xué", "zhōng", "guó", "rén", "ma", "de", "lǜ", "nǚ", "abc"]),
                   st.sampled_from(["()", "（）", "( )", "(（"]))
chrome = st.sampled_from([
    "返回顶部", "首页 > 新闻中心", "版权所有 ©2020 某某市人民政府", "浏览次数：1234", "【大】【中】【小】",
    "来源：新华社", "编辑：张三", "上一篇：关于召开会议的通知", "繁体 | 简体 | English", "1. 首页", "记者 周樛",
    "(王怡菘)", "智能问答", "发布时间：2020年2月17日 10:31",
])
jump = st.sampled_from(["（下转第4版）", "(上接第一版)", "下转第12页>>>", "转第3版》", "接第二版"])
control = st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Co"]), min_size=1, max_size=5)
huge_line = st.builds(lambda s, n, sep: sep.join([s] * n), sentences, st.integers(50, 600),
                      st.sampled_from(["", " ", "，", "\u3000", "\t"]))
long_word = st.builds(lambda c, n: c * n, CJK, st.integers(300, 3000))  # one "sentence" longer than any budget
separator = st.sampled_from(["", "\n", "\r\n", "\r", "\n\n", " ", "\u3000", "\t", "  \n  ", "\f", "\v"])
piece = st.one_of(
    sentences, sentences, sentences, pinyin, chrome, jump, control, huge_line, long_word,
    st.text(NOISE_CHARS, max_size=60), st.builds(lambda a, b: a[: len(a) // 2] + b, sentences, sentences),
)
documents = st.builds(lambda parts: "".join(p + s for p, s in parts),
                      st.lists(st.tuples(piece, separator), max_size=25))


def chinese_text(min_chars: int) -> st.SearchStrategy[str]:
    return st.lists(sentences, min_size=1, max_size=8).map("".join).filter(lambda t: len(t) >= min_chars)


# --- readers -----------------------------------------------------------------------------------


def check_decode(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except ReadError as exc:
        assert str(exc)
        return
    assert isinstance(text, str) and isinstance(encoding, str) and encoding
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            assert text == data.decode("utf-8")  # valid UTF-8 is always taken as UTF-8
        except UnicodeDecodeError:
            pass


def test_decode_random_bytes():
    run_property("decode random bytes", st.binary(max_size=3000), check_decode, 300)


ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"]


@st.composite
def encoded_chinese(draw):
    """A Chinese text (traditional for Big5) in one encoding, sometimes damaged."""
    encoding = draw(st.sampled_from(ENCODINGS))
    text = draw(chinese_text(60))
    if encoding == "big5":
        s2t = dict(zip(seed_sentences(), traditional_sentences()))
        text = "".join(s2t.get(s, s) for s in re.findall(r"[^。！？]+[。！？]", text))
    data = text.encode(encoding, errors="replace")
    damage = draw(st.sampled_from(["none", "none", "flip", "insert", "truncate"]))
    if damage == "flip" and data:
        i = draw(st.integers(0, len(data) - 1))
        data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
    elif damage == "insert":
        i = draw(st.integers(0, len(data)))
        data = data[:i] + draw(st.binary(min_size=1, max_size=8)) + data[i:]
    elif damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    return text, encoding, damage, data


def check_encoded(case) -> None:
    text, encoding, damage, data = case
    if damage != "none":
        check_decode(data)
        return
    try:
        text.encode(encoding)
    except UnicodeEncodeError:  # a character the encoding lacks became "?": only no crash is asked
        check_decode(data)
        return
    decoded, _ = decode_bytes(data)
    assert decoded == text, (encoding, text[:30], decoded[:30])


def test_decode_mixed_encodings():
    run_property("mixed encodings", encoded_chinese(), check_encoded, 200)


def check_bom_roundtrip(case) -> None:
    text, encoding = case
    try:
        decoded, _ = decode_bytes(text.encode(encoding))
    except ReadError as exc:
        assert encoding == "utf-8" and "binary" in str(exc), exc  # only BOM-less text is checked for that
        return
    assert decoded == text


def test_unicode_round_trip():
    any_text = st.text(st.characters(codec="utf-8"), max_size=300).filter(
        lambda t: not t.startswith(("\ufeff", "\x00")))
    run_property("unicode round trip", st.tuples(any_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])),
                 check_bom_roundtrip, 150)


def check_extract(case) -> None:
    data, suffix = case
    try:
        text, encoding = extract_text(data, suffix)
    except ReadError as exc:
        assert str(exc)
        return
    assert isinstance(text, str) and isinstance(encoding, str)


html_bytes = st.builds(
    lambda head, body, tail, enc: (head + body + tail).encode(enc, errors="replace"),
    st.sampled_from(["<html><head><title>标题</title><script>var x='脚本';</script></head><body>", "<p>", "",
                     "<!DOCTYPE html><meta charset=gb18030><div>", "<html><body><nav>首页 | 新闻</nav><article>"]),
    documents.map(lambda d: d[:3000]),
    st.sampled_from(["</body></html>", "", "</article><footer>版权所有</footer>", "<div><p>", "<!--"]),
    st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)


def test_extract_text_any_suffix():
    data = st.one_of(st.binary(max_size=2000), html_bytes, documents.map(lambda d: d[:2000].encode("utf-8")))
    run_property("extract_text", st.tuples(data, st.sampled_from(SUFFIXES)), check_extract, 250)


@lru_cache(maxsize=1)
def sample_files() -> dict[str, bytes]:
    import docx

    document = docx.Document()
    for sentence in seed_sentences()[:6]:
        document.add_paragraph(sentence)
    buffer = io.BytesIO()
    document.save(buffer)
    return {".docx": buffer.getvalue(), ".pdf": make_pdf([seed_sentences()[:4], seed_sentences()[4:8]])}


@st.composite
def damaged_files(draw):
    """A real PDF or DOCX with a few bytes flipped, cut short, or with a zip member garbled."""
    suffix = draw(st.sampled_from([".pdf", ".docx"]))
    data = bytearray(sample_files()[suffix])
    how = draw(st.sampled_from(["flip", "flip", "truncate", "member"]))
    if how == "member" and suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as source:
            names = source.namelist()
            victim = draw(st.sampled_from(names))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as target:
                for name in names:
                    content = source.read(name)
                    if name == victim:
                        content = draw(st.one_of(st.binary(max_size=200), st.just(content[: len(content) // 2])))
                    target.writestr(name, content)
        return suffix, out.getvalue()
    if how == "truncate":
        return suffix, bytes(data[: draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(data) - 1))
        data[i] ^= draw(st.integers(1, 255))
    return suffix, bytes(data)


def test_damaged_pdf_and_docx():
    assert extract_text(sample_files()[".pdf"], ".pdf")[0].startswith(seed_sentences()[0][:10])
    assert seed_sentences()[0] in extract_text(sample_files()[".docx"], ".docx")[0]
    run_property("damaged pdf/docx", damaged_files(), lambda case: check_extract((case[1], case[0])), 150)


def test_read_document_from_files():
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)

        def check(case) -> None:
            data, suffix, limit = case
            path = root / f"doc{suffix}"
            path.write_bytes(data)
            try:
                doc = read_document(path, root, limit)
            except ReadError as exc:
                assert str(exc)
                return
            assert isinstance(doc, Document) and doc.text.strip()
            assert doc.source == path.name and doc.sha256 == file_sha256(data)
            assert len(data) <= limit

        data = st.one_of(st.binary(max_size=1500), documents.map(lambda d: d[:4000].encode("utf-8")),
                         st.builds(lambda t, e: t.encode(e), chinese_text(60), st.sampled_from(["gb18030", "utf-16"])))
        run_property("read_document", st.tuples(data, st.sampled_from(SUFFIXES), st.sampled_from([100, 10**6])),
                     check, 100)


# --- cleaning and splitting --------------------------------------------------------------------


def check_passages(case) -> None:
    original, max_chars = case
    cleaned = clean(original)
    for block in cleaned.blocks:
        assert block.text.text and len(block.text.offsets) == len(block.text.text)
        assert all(original[o] == c for c, o in zip(block.text.text, block.text.offsets))
    doc = Document(source="a.txt", text=original, sha256="", encoding="utf-8")
    passages = document_passages(doc, max_chars)
    assert [(p.text, p.offsets) for p in passages] == [
        (p.text, p.offsets) for p in passages_from_clean("a.txt", cleaned, max_chars)]
    last_offset, last_paragraph = -1, 0
    # A page's credit lines ("记者 某某") follow the article's paragraphs, wherever the page printed them.
    credits = [is_credit(p.text) for p in passages]
    assert credits == sorted(credits), "a credit line before the article's paragraphs"
    for p, credit in zip(passages, credits):
        assert p.text.strip(), "a passage of nothing but blanks"
        assert len(p.text) <= max_chars
        assert len(p.offsets) == len(p.text)
        assert all(original[o] == c for c, o in zip(p.text, p.offsets)), "a character does not map back"
        assert all(a < b for a, b in zip(p.offsets, p.offsets[1:])), "offsets do not increase"
        assert credit or p.offsets[0] > last_offset, "passages out of document order"
        assert (p.start, p.end) == (p.offsets[0], p.offsets[-1] + 1)
        last_offset = p.offsets[-1]
        assert p.paragraph >= max(last_paragraph, 1)
        last_paragraph = p.paragraph
        previous_end, covered = 0, set()
        for start, end in p.sentences:
            assert previous_end <= start < end <= len(p.text), (p.sentences, len(p.text))
            previous_end = end
            covered.update(range(start, end))
        assert all(i in covered for i, c in enumerate(p.text) if not c.isspace()), "text outside every sentence"
        fold(p.search_text)  # what the indexer embeds must be foldable too


def test_long_run_of_blanks_is_cleaned_quickly():
    import time

    text = "开头。" + " " * 12_000 + "结尾。"
    started = time.perf_counter()
    clean(text)
    assert time.perf_counter() - started < 0.5


def test_clean_and_split_keep_offsets():
    run_property("clean + passages", st.tuples(documents, st.sampled_from([400, 120, 30])), check_passages, 300)


def test_long_run_of_blanks_in_one_sentence_gives_no_blank_passage():
    doc = Document(source="a.txt", text="甲" + " " * 200 + "乙。", sha256="", encoding="utf-8")
    passages = document_passages(doc, 30)
    assert [p.text.strip() for p in passages] == [p.text for p in passages]
    assert all(p.text for p in passages)
