"""Quoting question answering over Chinese documents: no generated text, every word is quoted.

    from qa import Bot
    bot = Bot.open(corpus="seeds", index="embeddings")
    ans = bot.ask("谁主持召开了市委常委会第167次会议？")
    ans.answer, ans.quotes[0].sentence, ans.quotes[0].source
"""

from .answer.answer import NOT_FOUND, Answer, Quote, Source
from .bot import Bot, IndexStatus
from .config import Config
from .index.indexer import IndexReport
from .index.store import CorruptIndex, IndexBusy, IndexProblem, ModelMismatch

__all__ = [
    "Answer", "Bot", "Config", "CorruptIndex", "IndexBusy", "IndexProblem", "IndexReport", "IndexStatus",
    "ModelMismatch", "NOT_FOUND", "Quote", "Source",
]
