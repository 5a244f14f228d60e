"""A minimal PDF writer with a real text layer, for CJK text, without any PDF library.

Each line is drawn with a Type0 font (Identity-H) whose ToUnicode CMap maps the glyph codes
back to Unicode, which is all a text extractor needs. The font itself is not embedded
(viewers substitute one); the file is otherwise a well-formed PDF 1.4 with a correct xref.
"""

from __future__ import annotations


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per list of lines (BMP characters only)."""
    chars = sorted({c for lines in pages for line in lines for c in line})
    if any(ord(c) > 0xFFFF for c in chars):
        raise ValueError("only BMP characters are supported")
    code = {c: i + 1 for i, c in enumerate(chars)}

    objects: dict[int, bytes] = {}
    font, cid_font, descriptor, to_unicode = 3, 4, 5, 6
    page_ids = [7 + 2 * i for i in range(len(pages))]
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()
    objects[font] = (f"<< /Type /Font /Subtype /Type0 /BaseFont /TestCJK /Encoding /Identity-H "
                     f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>").encode()
    objects[cid_font] = (f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestCJK "
                         f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                         f"/FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>").encode()
    objects[descriptor] = (b"<< /Type /FontDescriptor /FontName /TestCJK /Flags 4 /FontBBox [0 -120 1000 880] "
                           b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    objects[to_unicode] = _stream(_cmap(code))
    for page_id, lines in zip(page_ids, pages):
        ops = ["BT", "/F1 12 Tf", "14 TL", "40 800 Td"]
        for line in lines:
            ops.append("<" + "".join(f"{code[c]:04X}" for c in line) + "> Tj T*")
        ops.append("ET")
        objects[page_id + 1] = _stream("\n".join(ops).encode())
        objects[page_id] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {page_id + 1} 0 R >>").encode()

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _cmap(code: dict[str, int]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
    ]
    items = sorted(code.items(), key=lambda kv: kv[1])
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{n:04X}> <{ord(c):04X}>" for c, n in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode()
