"""What the bot returns: an answer and the quotes it rests on. Shared by the API, CLI and page."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

NOT_FOUND = "文档中没有找到这个问题的答案。(Not found in the documents.)"
#: Said when the quotes stand but the kind of question has no short-answer extractor.
NO_SHORT_ANSWER = "这类问题（{}）没有提取短答案，请看下面最相关的引文。(No short answer for this kind of question: see the quotes.)"


@dataclass(frozen=True)
class Source:
    source: str
    paragraph: int
    title: str = ""
    date: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """The whole paragraph a quote comes from: long paragraphs are stored as several passages."""

    text: str
    #: Where the quote's ``text`` starts inside ``text``.
    offset: int


@dataclass(frozen=True)
class Quote:
    #: The whole passage, in the document's own script.
    text: str
    #: The sentence(s) of ``text`` that answer the question.
    sentence: str
    source: str
    paragraph: int
    score: float
    #: (start, end) of ``sentence`` in ``text``.
    sentence_span: tuple[int, int]
    #: (start, end) spans in ``text`` to mark as the short answer.
    highlights: list[tuple[int, int]] = field(default_factory=list)
    #: Every place the passage stands; more than one for reprints of the same report.
    sources: list[Source] = field(default_factory=list)
    title: str = ""
    date: str | None = None
    passage_id: int = -1
    #: The whole paragraph, read from the same index generation as the quote (None if unknown).
    context: Paragraph | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    #: The short answer, words taken from the quotes; None when none could be pulled out.
    answer: str | None
    found: bool
    quotes: list[Quote]
    kind: str = "other"
    #: The question actually searched (a follow-up's pronoun resolved), when it differs.
    resolved_question: str | None = None
    message: str = ""
    #: The reader's probability that the first quote answers the question (None: not judged).
    confidence: float | None = None

    def to_dict(self) -> dict:
        """The JSON shape of ``qa ask --json`` and the page's /ask endpoint."""
        data = asdict(self)
        for quote in data["quotes"]:
            quote["sentence_span"] = list(quote["sentence_span"])
            quote["highlights"] = [list(h) for h in quote["highlights"]]
        return data
