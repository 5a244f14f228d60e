"""Passages and sentences: the units the index stores and the reader quotes.

One passage per paragraph; a paragraph too long for the model is split at sentence ends.
Each passage keeps where it came from (file, paragraph number, character offsets in the
original text) and the context it belongs to (the headline above it, the article date), and
its sentences as offsets into its own text, so later stages can rescore or quote sentence by
sentence without re-splitting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import CLOSERS, SENTENCE_END, CleanDocument, Mapped, clean, find_date
from .readers import Document

#: How files become passages and words (reading, cleaning, cutting, lexical words): an index
#: made by another version is rebuilt from its files, not patched file by file.
READING_VERSION = 3

_SENTENCE = re.compile(rf"[^{SENTENCE_END}]*(?:[{SENTENCE_END}]+[{CLOSERS}]*|$)")


@dataclass
class Passage:
    source: str
    #: 1-based number of the body paragraph in the cleaned document.
    paragraph: int
    text: str
    #: Character offsets of the passage in the original (decoded) document text.
    start: int
    end: int
    title: str = ""
    date: str | None = None
    #: (start, end) offsets of each sentence within ``text``.
    sentences: list[tuple[int, int]] = field(default_factory=list)
    #: Original-text offset of every character of ``text`` (for exact highlighting).
    offsets: list[int] = field(default_factory=list, repr=False)
    id: int = -1

    @property
    def search_text(self) -> str:
        """What retrieval sees: the headline gives a paragraph its topic."""
        return f"{self.title}\n{self.text}" if self.title else self.text


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
    return spans


def document_passages(doc: Document, max_chars: int) -> list[Passage]:
    """Clean a document and cut it into passages."""
    return passages_from_clean(doc.source, clean(doc.text), max_chars)


def passages_from_clean(source: str, cleaned: CleanDocument, max_chars: int) -> list[Passage]:
    passages: list[Passage] = []
    headings: list[str] = []
    title, date = "", cleaned.date
    paragraph = 0
    for block in [b for b in cleaned.blocks if not b.credit]:
        if block.heading:
            headings.append(block.text.text)
            continue
        if headings:
            title, headings = " ".join(headings), []
        paragraph += 1
        date = find_date(block.text.text[:40]) or date
        for piece in _fit(block.text, max_chars):
            passages.append(
                Passage(
                    source=source,
                    paragraph=paragraph,
                    text=piece.text,
                    start=piece.start,
                    end=piece.end,
                    title=title,
                    date=date,
                    sentences=split_sentences(piece.text),
                    offsets=piece.offsets,
                )
            )
    if headings and passages:
        # Headings after the last paragraph (a web page's "来源：临河日报" that its extractor moved below
        # the article, the issuing office under minutes) speak for the whole document: its headline.
        first = passages[0].title
        tail = " ".join(h for h in dict.fromkeys(headings) if h not in first)
        for p in passages:
            if p.title == first:
                p.title = f"{first} {tail}".strip()
    for block in [b for b in cleaned.blocks if b.credit] if passages else []:
        # Who wrote or edited it: after the article's paragraphs, with no headline, so that retrieval finds
        # it only by its own words (under the headline it would be near every question about the report).
        paragraph += 1
        passages += [Passage(source=source, paragraph=paragraph, text=piece.text, start=piece.start, end=piece.end,
                             title="", date=passages[0].date, sentences=split_sentences(piece.text),
                             offsets=piece.offsets) for piece in _fit(block.text, max_chars)]
    return passages


def _fit(text: Mapped, max_chars: int) -> list[Mapped]:
    """Greedy packing of whole sentences into pieces of at most ``max_chars``."""
    if len(text.text) <= max_chars:
        return [text]
    pieces: list[Mapped] = []
    start = end = 0
    for s, e in split_sentences(text.text):
        if e - start > max_chars and end > start:
            pieces.append(text[start:end].strip())
            start = s
        while e - start > max_chars:  # a single sentence longer than the budget
            pieces.append(text[start:start + max_chars].strip())
            start += max_chars
        end = e
    if end > start:
        pieces.append(text[start:end].strip())
    return [p for p in pieces if p.text]

