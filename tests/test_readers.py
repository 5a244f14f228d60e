"""Encoding detection on the short texts that fool detectors most (longer ones: test_robustness)."""

from __future__ import annotations

import codecs

import pytest

from qa.ingest.readers import ReadError, decode_bytes

SHORT = ["市委书记主持会议。", "通知：明天开会", "會議由市長主持。", "市委常委會召開會議，研究部署疫情防控工作。"]


ENCODINGS = ["utf-8", "gb18030", "big5", "utf-16", "utf-8-sig"]


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:  # Big5 has no simplified characters
        return False
    return True


@pytest.mark.parametrize(("text", "encoding"), [(t, e) for t in SHORT for e in ENCODINGS if _encodable(t, e)])
def test_short_chinese_texts_decode_exactly(text, encoding):
    assert decode_bytes(text.encode(encoding))[0] == text


def test_bom_decides_and_binary_is_refused():
    assert decode_bytes(codecs.BOM_UTF16_BE + "会议".encode("utf-16-be")) == ("会议", "utf-16")
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(bytes(range(256)) * 8)
