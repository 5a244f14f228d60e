"""The neural span reader at answer time: one window of the best passage, read by int8 ONNX.

The window is the question and the passage's tokens around the sentence the ranker chose
(the same shape the reader was trained on, :func:`window`); the reader returns its best span
there and how much more it believes that span than "no answer here" (``margin``). Both are
features of the pipeline's span choice and decision, never an answer of their own.

The ONNX model is built once per delta (the bundled encoder with the trained adapters folded
in, exported and quantised to int8 like the index's encoder) and cached beside the encoder's
folder; a question costs one run of ~190 tokens.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from filelock import FileLock

from ..ingest.script import fold_aligned

CLS, SEP = 0, 2  # XLM-R: <s> question </s></s> passage </s>
#: The delta's file names inside a reader-model folder (what training changed, and its settings).
DELTA = "span_delta.npz"
DELTA_CONFIG = "span_delta.json"
#: Bump when the export changes, so cached models are rebuilt.
EXPORT_VERSION = 1


@dataclass(frozen=True)
class Window:
    ids: list[int]
    #: Where the passage's tokens begin in ``ids``.
    base: int
    #: Character span in ``context`` of each passage token in the window.
    offsets: list[tuple[int, int]]
    context: str
    #: Index of the window's first passage token among the passage's tokens.
    first: int = 0


@dataclass(frozen=True)
class SpanReading:
    text: str
    start: int  # characters in the context
    end: int
    #: log-probability of the span (start + end) minus that of "no answer" in this window.
    margin: float
    #: probability of the span under the start and end distributions (over spans and "no answer").
    probability: float


def tokens(tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids and character offsets of ``text`` as the reader sees it (folded to simplified)."""
    enc = tokenizer.encode(fold_aligned(text), add_special_tokens=False)
    return list(enc.ids), [tuple(o) for o in enc.offsets]


def token_range(offsets: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """First and last token covering characters ``start:end`` (None when no token does)."""
    first = next((i for i, (_, b) in enumerate(offsets) if b > start), None)
    last = max((i for i, (a, _) in enumerate(offsets) if a < end), default=None)
    return None if first is None or last is None or last < first else (first, last)


def window(question_ids: list[int], ids: list[int], offsets: list[tuple[int, int]], context: str,
           focus: tuple[int, int], max_tokens: int, shift: int = 0) -> Window:
    """The question and the passage tokens around tokens ``focus`` (first, last), centred on them
    and moved by ``shift`` tokens, kept inside the passage; the focus is cut if longer than fits."""
    room = max_tokens - len(question_ids) - 4
    start = 0
    if len(ids) > room:
        start = (focus[0] + focus[1]) // 2 + shift - room // 2
        lo, hi = focus[1] - room + 1, focus[0]  # the whole focus inside, where it fits
        if lo <= hi:
            start = min(max(start, lo), hi)
        start = min(max(start, 0), len(ids) - room)
    part = ids[start:start + room]
    return Window([CLS, *question_ids, SEP, SEP, *part, SEP], len(question_ids) + 3,
                  offsets[start:start + room], context, start)


def best_span(start: np.ndarray, end: np.ndarray, w: Window, max_answer_tokens: int) -> SpanReading:
    """The best passage span of at most ``max_answer_tokens`` tokens against position 0 ("none")."""
    def log_softmax(x: np.ndarray) -> np.ndarray:
        x = x - x.max()
        return x - np.log(np.exp(x).sum())

    allowed = np.zeros(len(start), dtype=bool)
    allowed[0] = True
    allowed[w.base:w.base + len(w.offsets)] = True
    s = log_softmax(np.where(allowed, start, -1e9))
    e = log_softmax(np.where(allowed, end, -1e9))
    ps, pe = s[w.base:w.base + len(w.offsets)], e[w.base:w.base + len(w.offsets)]
    n = len(ps)
    scores = ps[:, None] + pe[None, :]
    i, j = np.indices((n, n))
    scores = np.where((j >= i) & (j - i < max_answer_tokens), scores, -np.inf)
    a, z = divmod(int(scores.argmax()), n)
    best = float(scores[a, z])
    cs, ce = w.offsets[a][0], w.offsets[z][1]
    text = w.context[cs:ce]
    cs, ce = cs + len(text) - len(text.lstrip()), ce - len(text) + len(text.rstrip())  # "▁3月" holds the space
    return SpanReading(w.context[cs:ce], cs, ce, best - float(s[0] + e[0]), float(np.exp(best)))


class SpanReader:
    """The trained reader of ``folder`` (a reader-model folder holding the delta), run by ONNX."""

    def __init__(self, folder: Path, encoder_dir: Path):
        meta = json.loads((folder / DELTA_CONFIG).read_text(encoding="utf-8"))["config"]
        self.max_tokens = int(meta["max_tokens"])
        self.max_question_tokens = int(meta["max_question_tokens"])
        self.max_answer_tokens = int(meta["max_answer_tokens"])
        self._onnx = export(folder, encoder_dir)
        self._vocabulary = Path(encoder_dir) / "tokenizer.json"
        self._tokenizer = self._session = None
        self._lock = threading.Lock()

    @property
    def tokenizer(self):
        """The encoder's tokenizer (~1 s to build its 250k pieces: on first use or :meth:`warm`)."""
        with self._lock:
            if self._tokenizer is None:
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self._vocabulary))
                tokenizer.no_truncation()
                tokenizer.no_padding()
                self._tokenizer = tokenizer
        return self._tokenizer

    @property
    def session(self):
        with self._lock:
            if self._session is None:
                import onnxruntime as ort

                options = ort.SessionOptions()
                # No busy-waiting between ops: on a shared machine spinning threads steal each other's cores.
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                self._session = ort.InferenceSession(str(self._onnx), options, providers=["CPUExecutionProvider"])
        return self._session

    def warm(self) -> None:
        _ = self.tokenizer, self.session

    def read(self, question: str, context: str, focus: tuple[int, int]) -> SpanReading:
        """Read ``context`` in the window around characters ``focus`` (a sentence)."""
        q = tokens(self.tokenizer, question)[0][:self.max_question_tokens]
        ids, offsets = tokens(self.tokenizer, context)
        w = window(q, ids, offsets, context, token_range(offsets, *focus) or (0, 0), self.max_tokens)
        return self.read_window(w)

    def read_window(self, w: Window) -> SpanReading:
        row = np.asarray([w.ids], dtype=np.int64)
        start, end = self.session.run(None, {"input_ids": row, "attention_mask": np.ones_like(row)})
        return best_span(start[0], end[0], w, self.max_answer_tokens)


def export(folder: Path, encoder_dir: Path) -> Path:
    """``span_int8.onnx`` for the delta in ``folder``, built once and cached beside the encoder."""
    digest = hashlib.sha256((folder / DELTA).read_bytes()).hexdigest()[:16]
    target = Path(encoder_dir).parent / f"{Path(encoder_dir).name}.span-v{EXPORT_VERSION}-{digest}"
    model = target / "span_int8.onnx"
    if model.is_file():
        return model
    with FileLock(str(target) + ".lock"):
        if model.is_file():
            return model
        tmp = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=target.parent))
        try:
            _export(folder, Path(encoder_dir), tmp)
            shutil.rmtree(target, ignore_errors=True)
            os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return model


def _export(folder: Path, encoder_dir: Path, out: Path) -> None:
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from .span_model import load_trained

    print(f"qa: building the span reader's int8 ONNX model into {out.parent} (once)", file=sys.stderr, flush=True)
    model = load_trained(encoder_dir, folder)
    model.merge()
    ids = torch.ones((1, 16), dtype=torch.long)
    fp32 = out / "fp32.onnx"
    with torch.no_grad():
        torch.onnx.export(model, (ids, torch.ones_like(ids)), str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["start", "end"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                        "start": {0: "batch", 1: "seq"}, "end": {0: "batch", 1: "seq"}})
    int8 = out / "quantized.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul", "Gemm"])
    fp32.unlink()
    # The weights (the fp32 word-embedding table alone is 384 MB) in a side file that ONNX Runtime
    # maps instead of parsing: the session opens in a fraction of a second (as the encoder's does).
    onnx.save_model(onnx.load(str(int8)), str(out / "span_int8.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="span_int8.onnx.data", size_threshold=1024)
    int8.unlink()
