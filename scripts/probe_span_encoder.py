"""Probe: how well can a neural span reader trained on this machine read the other dev set?

An experiment, not part of the bot (nothing in ``qa`` imports it). It fine-tunes the bundled
multilingual-e5-small (every layer but the 96M-parameter word-embedding table) with a start/end
head on one SQuAD-style set, then reads the other set's questions in the window of their own
paragraph that holds the answer (so retrieval is taken as right: an upper bound for the bot)
and reports exact match, character F1 (CMRC 2018 scoring), how often the sentence holding the
predicted span holds a gold answer (what a quote built on it would score), and the precision of
the most confident 20/35/50/70 % of the answers. Texts are folded to simplified script, as the
bot folds them. The README's "Tried and not shipped" section gives the figures it measured.

    .venv/bin/python scripts/probe_span_encoder.py ../shared/bench/cmrc2018_dev.json \\
        ../shared/bench/DRCD_dev.json            # ~70 min on 2 cores (2 epochs, 3.2k questions)

Add ``--train-limit 32 --test-limit 16 --epochs 1`` for a smoke run of a minute.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from qa.bench.metrics import contains_gold, exact_match, f1
from qa.index.bundled_model import bundled_model_path
from qa.ingest.passages import split_sentences
from qa.ingest.script import fold_aligned

MAX_TOKENS = 384  # question + passage window + 4 special tokens
MAX_QUESTION_TOKENS = 64
MAX_ANSWER_TOKENS = 30
CLS, SEP, PAD = 0, 2, 1  # XLM-R: <s> question </s></s> passage </s>


@dataclass
class Window:
    ids: list[int]
    start: int  # answer's first and last token in ids
    end: int
    base: int  # where the passage's tokens begin in ids
    offsets: list[tuple[int, int]]  # character span of each passage token
    context: str
    golds: list[str]


def windows(path: Path, tokenizer, seed: int = 0) -> list[Window]:
    """One window per answerable question: its paragraph, or a slice of it (half-overlapping
    slices, one holding the first gold answer picked at random) when it does not fit."""
    rng = random.Random(seed)
    out = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        for para in article["paragraphs"]:
            context = para["context"]
            enc = tokenizer(fold_aligned(context), add_special_tokens=False, return_offsets_mapping=True)
            ids, offsets = enc["input_ids"], enc["offset_mapping"]
            for qa in para["qas"]:
                answers = [a for a in qa["answers"] if a["text"].strip()]
                if not answers:
                    continue
                first = answers[0]
                s = first["answer_start"]
                if context[s:s + len(first["text"])] != first["text"]:
                    s = context.find(first["text"])
                if s < 0:
                    continue
                e = s + len(first["text"])
                ts = next((i for i, (_, b) in enumerate(offsets) if b > s), None)
                te = max((i for i, (a, _) in enumerate(offsets) if a < e), default=None)
                if ts is None or te is None or te < ts:
                    continue
                q = tokenizer(fold_aligned(qa["question"]), add_special_tokens=False)["input_ids"][:MAX_QUESTION_TOKENS]
                room = MAX_TOKENS - len(q) - 4
                starts = list(range(0, max(len(ids) - room, 0) + room // 2, room // 2)) if len(ids) > room else [0]
                fitting = [w for w in starts if w <= ts and te < w + room]
                if not fitting:
                    continue
                w = rng.choice(fitting)
                base = len(q) + 3
                out.append(Window([CLS, *q, SEP, SEP, *ids[w:w + room], SEP], base + ts - w, base + te - w, base,
                                  offsets[w:w + room], context, [a["text"] for a in answers]))
    return out


class SpanReader(torch.nn.Module):
    def __init__(self, folder: Path):
        super().__init__()
        self.encoder = AutoModel.from_pretrained(str(folder))
        self.encoder.embeddings.word_embeddings.weight.requires_grad = False
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 2)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = self.head(self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state)
        return logits[..., 0], logits[..., 1]


def batch(ws: list[Window]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Padded ids, attention mask, and the mask of passage tokens (where an answer may lie)."""
    n = max(len(w.ids) for w in ws)
    ids = torch.full((len(ws), n), PAD, dtype=torch.long)
    mask = torch.zeros((len(ws), n), dtype=torch.long)
    passage = torch.zeros((len(ws), n), dtype=torch.bool)
    for j, w in enumerate(ws):
        ids[j, :len(w.ids)] = torch.tensor(w.ids)
        mask[j, :len(w.ids)] = 1
        passage[j, w.base:len(w.ids) - 1] = True
    return ids, mask, passage


def fit(model: SpanReader, train: list[Window], epochs: float, lr: float, batch_size: int = 16) -> None:
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = math.ceil(len(train) / batch_size * epochs)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / warm if s < warm else max(0.0, (steps - s) / max(steps - warm, 1)))
    rng, step, t = random.Random(0), 0, time.time()
    model.train()
    while step < steps:  # batches of similar length, in random order
        order = sorted(range(len(train)), key=lambda i: len(train[i].ids) + rng.random() * 40)
        batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        rng.shuffle(batches)
        for b in batches[:steps - step]:
            ws = [train[i] for i in b]
            ids, mask, passage = batch(ws)
            s, e = model(ids, mask)
            ce = torch.nn.functional.cross_entropy
            loss = (ce(s.masked_fill(~passage, -1e4), torch.tensor([w.start for w in ws]))
                    + ce(e.masked_fill(~passage, -1e4), torch.tensor([w.end for w in ws])))
            opt.zero_grad()
            (loss / 2).backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 25 == 0 or step == steps:
                print(f"step {step}/{steps}  loss {loss.item() / 2:.3f}  {time.time() - t:.0f}s", flush=True)


@torch.no_grad()
def read(model: SpanReader, w: Window) -> tuple[float, str, tuple[int, int]]:
    """The most probable span of at most MAX_ANSWER_TOKENS tokens: probability, text, characters."""
    ids = torch.tensor([w.ids])
    s, e = model(ids, torch.ones_like(ids))
    s, e = torch.log_softmax(s[0, w.base:-1], -1), torch.log_softmax(e[0, w.base:-1], -1)
    n = len(s)
    scores = s[:, None] + e[None, :]
    allowed = torch.triu(torch.ones(n, n, dtype=torch.bool)) & ~torch.triu(torch.ones(n, n, dtype=torch.bool),
                                                                            MAX_ANSWER_TOKENS)
    scores = scores.masked_fill(~allowed, -1e9)
    a, z = divmod(int(scores.argmax()), n)
    cs, ce = w.offsets[a][0], w.offsets[z][1]
    return float(scores.max().exp()), w.context[cs:ce], (cs, ce)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train", type=Path)
    ap.add_argument("test", type=Path)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--train-limit", type=int, default=0)
    ap.add_argument("--test-limit", type=int, default=800, help="read this many test questions (a fixed sample)")
    args = ap.parse_args()
    torch.manual_seed(0)
    folder = bundled_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    train, test = windows(args.train, tokenizer), windows(args.test, tokenizer)
    if args.train_limit:
        train = random.Random(0).sample(train, min(args.train_limit, len(train)))
    test = random.Random(1).sample(test, min(args.test_limit, len(test)))
    model = SpanReader(folder)
    fit(model, train, args.epochs, args.lr)
    model.eval()
    t = time.time()
    rows = []
    for w in test:
        p, text, (cs, _) = read(model, w)
        sentence = next(((a, b) for a, b in split_sentences(w.context) if a <= cs < b), None)
        quoted = w.context[sentence[0]:sentence[1]] if sentence else text
        rows.append((p, exact_match(text, w.golds), f1(text, w.golds), float(contains_gold(quoted, w.golds))))
    ms = 1000 * (time.time() - t) / max(len(test), 1)
    rows.sort(key=lambda r: -r[0])
    a = np.array([r[1:] for r in rows])
    print(f"trained on {args.train.name} ({len(train)} questions), read {args.test.name} ({len(test)}): "
          f"EM {a[:, 0].mean():.3f}  F1 {a[:, 1].mean():.3f}  sentence holds gold {a[:, 2].mean():.3f}  "
          f"{ms:.0f} ms per window (torch fp32)")
    for share in (0.2, 0.35, 0.5, 0.7):
        k = max(1, int(len(rows) * share))
        print(f"  most confident {share:.0%}: EM {a[:k, 0].mean():.3f}  F1 {a[:k, 1].mean():.3f}")


if __name__ == "__main__":
    main()
