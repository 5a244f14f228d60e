"""``qa train --span-reader``: teach the bundled encoder to point at answers, on 2 cores.

Each answerable question gives a window of its paragraph around the sentence that holds the
answer (moved at random, so the answer is not always in the middle), and half of them also a
window of the same article that holds no gold answer, labelled "no answer" (position 0). The
lower layers are the shipped encoder, frozen: their states are computed once per window and
kept in memory (fp16), so each step runs only the top layers, whose adapters learn.

Texts are folded to simplified script, as the bot folds them.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from ..answer.span_model import SpanConfig, SpanModel, new_model, save_delta
from ..answer.span_reader import Window, best_span, token_range, tokens, window
from ..index.bundled_model import bundled_model_path
from ..ingest.passages import split_sentences
from .metrics import exact_match, f1
from .squad import Context, load_squad, sample

#: Share of questions that also give a window without their answer.
NULL_SHARE = 0.5
#: Windows of the other set read by ``--score`` (a fixed sample).
SCORED = 1500


@dataclass
class Example:
    window: Window
    start: int  # label positions in window.ids (0, 0: no answer here)
    end: int
    golds: list[str]


def examples(path: Path, tokenizer, config: SpanConfig, seed: int = 0, limit: int | None = None) -> list[Example]:
    """Training (or scoring) windows of one SQuAD-style set (of a fixed sample of ``limit`` questions)."""
    rng = random.Random(seed)
    contexts, items = load_squad(path)
    items = sample(items, limit)
    by_id = {c.id: c for c in contexts}
    by_article: dict[int, list[Context]] = {}
    for c in contexts:
        by_article.setdefault(c.article, []).append(c)
    tokenised: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}

    def toks(c: Context):
        if c.id not in tokenised:
            tokenised[c.id] = tokens(tokenizer, c.text)
        return tokenised[c.id]

    out = []
    for item in items:
        c = by_id[item.context]
        at = [(s, s + len(g)) for g in item.answers if (s := c.text.find(g)) >= 0]
        if not at:
            continue
        q = tokens(tokenizer, item.question)[0][:config.max_question_tokens]
        ids, offsets = toks(c)
        answer = token_range(offsets, *at[0])
        if answer is None or answer[1] - answer[0] >= config.max_answer_tokens:
            continue
        first, last = answer
        sentence = next(((a, b) for a, b in split_sentences(c.text) if a <= at[0][0] < b), at[0])
        s_first, s_last = token_range(offsets, *sentence) or answer
        w = window(q, ids, offsets, c.text, (min(s_first, first), max(s_last, last)), config.max_tokens,
                   shift=rng.randint(-24, 24))
        lo, hi = w.base, w.base + len(w.offsets)
        start, end = first - w.first + lo, last - w.first + lo
        if not (lo <= start <= end < hi):
            continue
        out.append(Example(w, start, end, item.answers))
        if rng.random() < NULL_SHARE:
            null = _null_window(rng, q, c, by_article[c.article], toks, item.answers, config)
            if null is not None:
                out.append(Example(null, 0, 0, []))
    return out


def _null_window(rng: random.Random, q: list[int], c: Context, article: list[Context], toks, golds: list[str],
                 config: SpanConfig) -> Window | None:
    """A window of the article that holds none of the gold answers (its paragraph first)."""
    for other in [c, *rng.sample(article, len(article))]:
        ids, offsets = toks(other)
        room = config.max_tokens - len(q) - 4
        for _ in range(4):
            centre = rng.randrange(len(ids)) if ids else 0
            w = window(q, ids, offsets, other.text, (centre, centre), config.max_tokens)
            text = other.text[w.offsets[0][0]:w.offsets[-1][1]] if w.offsets else ""
            if text and not any(g in text for g in golds) and len(w.offsets) >= min(room, len(ids)):
                return w
    return None


def _padded(data: list[Example], width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids padded to ``width`` (1 = <pad>) and the attention mask."""
    ids = torch.ones((len(data), width), dtype=torch.long)
    mask = torch.zeros((len(data), width), dtype=torch.long)
    for i, ex in enumerate(data):
        ids[i, :len(ex.window.ids)] = torch.tensor(ex.window.ids)
        mask[i, :len(ex.window.ids)] = 1
    return ids, mask


def lower_states(model: SpanModel, data: list[Example], batch: int = 32,
                 say: Callable[[str], None] = print) -> tuple[torch.Tensor, torch.Tensor]:
    """The frozen layers' output for every window (fp16, padded to max_tokens) and the masks."""
    n, t = len(data), model.config.max_tokens
    states = torch.zeros((n, t, model.encoder.config.hidden_size), dtype=torch.float16)
    ids, masks = _padded(data, t)
    began = time.time()
    with torch.no_grad():
        for i in range(0, n, batch):
            with torch.autocast("cpu", dtype=torch.bfloat16):
                states[i:i + batch] = model.lower(ids[i:i + batch], masks[i:i + batch]).to(torch.float16)
            if i // batch % 20 == 0:
                say(f"lower layers: {min(i + batch, n)}/{n} windows, {time.time() - began:.0f}s")
    return states, masks


def fit(model: SpanModel, data: list[Example], epochs: float = 2.0, lr: float = 1e-3, batch: int = 16,
        say: Callable[[str], None] = print) -> float:
    """Train the adapters, layer norms and head; returns the minutes it took (states included)."""
    began = time.time()
    states, masks = lower_states(model, data, say=say)
    starts = torch.tensor([e.start for e in data])
    ends = torch.tensor([e.end for e in data])
    allowed = torch.zeros_like(masks, dtype=torch.bool)
    allowed[:, 0] = True
    for i, e in enumerate(data):
        allowed[i, e.window.base:e.window.base + len(e.window.offsets)] = True
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = math.ceil(len(data) / batch * epochs)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / warm if s < warm else max(0.0, (steps - s) / max(steps - warm, 1)))
    gen = torch.Generator().manual_seed(0)
    model.train()
    step = 0
    while step < steps:
        for b in torch.randperm(len(data), generator=gen).split(batch):
            if step >= steps:
                break
            width = int(masks[b].sum(1).max())
            with torch.autocast("cpu", dtype=torch.bfloat16):  # half the time of fp32 (AVX-512 BF16)
                s, e = model.upper(states[b, :width].float(), masks[b, :width])
            keep = allowed[b, :width]
            loss = (torch.nn.functional.cross_entropy(s.float().masked_fill(~keep, -1e4), starts[b])
                    + torch.nn.functional.cross_entropy(e.float().masked_fill(~keep, -1e4), ends[b])) / 2
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0 or step == steps:
                say(f"step {step}/{steps}  loss {loss.item():.3f}  {time.time() - began:.0f}s")
    model.eval()
    return (time.time() - began) / 60


@dataclass
class SpanScores:
    n: int
    em: float
    f1: float
    #: AUC of the margin: answer windows against no-answer windows.
    auc: float
    #: EM of the most confident share of the answer windows (by margin).
    em_at: dict[str, float]


def score(model: SpanModel, data: list[Example], batch: int = 32) -> SpanScores:
    """Read every window with the torch model; EM/F1 on answer windows, AUC over all."""
    rows = []
    with torch.no_grad():
        for i in range(0, len(data), batch):
            part = data[i:i + batch]
            s, en = model(*_padded(part, max(len(e.window.ids) for e in part)))
            for j, e in enumerate(part):
                n = len(e.window.ids)
                r = best_span(s[j, :n].numpy(), en[j, :n].numpy(), e.window, model.config.max_answer_tokens)
                rows.append((r.margin, bool(e.golds), exact_match(r.text, e.golds) if e.golds else 0.0,
                             f1(r.text, e.golds) if e.golds else 0.0))
    answer = sorted((r for r in rows if r[1]), key=lambda r: -r[0])
    margins = np.array([r[0] for r in rows])
    labels = np.array([r[1] for r in rows])
    return SpanScores(len(answer), float(np.mean([r[2] for r in answer])), float(np.mean([r[3] for r in answer])),
                      _auc(margins, labels),
                      {f"{k:.0%}": float(np.mean([r[2] for r in answer[:max(1, int(len(answer) * k))]]))
                       for k in (0.2, 0.35, 0.5, 0.7)})


def _auc(scores: np.ndarray, labels: np.ndarray) -> float:
    pos, neg = scores[labels], scores[~labels]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="stable")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def train_span_reader(datasets: list[Path], out: Path, config: SpanConfig | None = None, epochs: float = 2.0,
                      limit: int | None = None, score_on: Path | None = None,
                      say: Callable[[str], None] = print) -> dict:
    """Train on ``datasets`` and write the delta into ``out``; with ``score_on`` (another set), read
    a fixed sample of its windows (SCORED) with the trained reader. Returns what it measured."""
    from tokenizers import Tokenizer

    torch.manual_seed(0)
    config = config or SpanConfig()
    encoder_dir = bundled_model_path()
    tokenizer = Tokenizer.from_file(str(encoder_dir / "tokenizer.json"))
    tokenizer.no_truncation()
    data = [e for path in datasets for e in examples(Path(path), tokenizer, config, limit=limit)]
    say(f"span reader: {len(data)} windows ({sum(bool(e.golds) for e in data)} with an answer)")
    model = new_model(encoder_dir, config)
    minutes = fit(model, data, epochs, say=say)
    save_delta(model, Path(out), {"trained_on": [Path(p).name for p in datasets], "windows": len(data),
                                  "epochs": epochs, "minutes": round(minutes, 1)})
    report: dict = {"minutes": round(minutes, 1), "windows": len(data), "out": str(out)}
    if score_on is not None:
        test = examples(Path(score_on), tokenizer, config, seed=1)
        test = random.Random(1).sample(test, min(SCORED, len(test)))
        report["scored_on"] = {"set": Path(score_on).name, **asdict(score(model, test))}
    return report
