"""The neural span reader's network: the bundled e5-small encoder taught to point at answers.

(question, window) → a start and an end score per token; the first token (``<s>``) stands for
"no answer here", as in SQuAD 2.0 readers, so one network gives both the span and how much
the window answers at all. Only the top layers learn, through low-rank adapters (LoRA) on
their six matrices, plus their layer norms and the two-score head: the lower layers stay the
encoder the index already ships, so their states can be computed once per training window,
and what is learned fits in a delta of a few megabytes beside the bundled weights.

This module needs torch; it is used to train (:mod:`qa.bench.span_training`) and, once per
delta, to build the int8 ONNX model that answers (:mod:`.span_reader`), never per question.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from .span_reader import DELTA, DELTA_CONFIG

#: The linear maps of a layer that get adapters.
ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value",
           "attention.output.dense", "intermediate.dense", "output.dense")


@dataclass(frozen=True)
class SpanConfig:
    #: Lower layers kept as shipped (their states are computed once per window when training).
    frozen: int = 6
    rank: int = 16
    alpha: float = 32.0
    #: Tokens of a window: <s> question </s></s> passage </s>.
    max_tokens: int = 192
    max_question_tokens: int = 40
    max_answer_tokens: int = 30


class LoRALinear(torch.nn.Module):
    """``base(x) + (x A^T B^T) · alpha/rank``; B starts at zero, so training starts from the encoder."""

    def __init__(self, base: torch.nn.Linear, rank: int, alpha: float):
        super().__init__()
        self.base = base
        self.scale = alpha / rank
        self.a = torch.nn.Parameter(torch.randn(rank, base.in_features) / base.in_features ** 0.5)
        self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.a.T @ self.b.T) * self.scale

    def merged(self) -> torch.nn.Linear:
        """The plain linear map with the adapter folded in (what the ONNX export holds)."""
        out = torch.nn.Linear(self.base.in_features, self.base.out_features)
        with torch.no_grad():
            out.weight.copy_(self.base.weight + self.scale * self.b @ self.a)
            out.bias.copy_(self.base.bias)
        return out


class SpanModel(torch.nn.Module):
    """The encoder with adapters on its top layers and a start/end head."""

    def __init__(self, encoder, config: SpanConfig):
        super().__init__()
        self.encoder, self.config = encoder, config
        for p in encoder.parameters():
            p.requires_grad = False
        for layer in encoder.encoder.layer[config.frozen:]:
            for name in ADAPTED:
                parent, attr = _parent(layer, name)
                setattr(parent, attr, LoRALinear(getattr(parent, attr), config.rank, config.alpha))
            for norm in (layer.attention.output.LayerNorm, layer.output.LayerNorm):
                for p in norm.parameters():
                    p.requires_grad = True
        self.head = torch.nn.Linear(encoder.config.hidden_size, 2)

    def lower(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The frozen part: embeddings and the lower layers (no gradient needed)."""
        hidden = self.encoder.embeddings(input_ids=ids)
        for layer in self.encoder.encoder.layer[:self.config.frozen]:
            hidden = layer(hidden, _additive(mask, hidden.dtype))
        return hidden

    def upper(self, hidden: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The learning part: top layers and head → start and end scores per token."""
        for layer in self.encoder.encoder.layer[self.config.frozen:]:
            hidden = layer(hidden, _additive(mask, hidden.dtype))
        logits = self.head(hidden)
        return logits[..., 0], logits[..., 1]

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.upper(self.lower(ids, mask), mask)

    def delta(self) -> dict[str, np.ndarray]:
        """What training changed, as fp16 arrays: adapters, top layer norms, head."""
        return {name: p.detach().to(torch.float16).numpy() for name, p in self.named_parameters() if p.requires_grad}

    def load_delta(self, arrays: dict[str, np.ndarray]) -> None:
        own = dict(self.named_parameters())
        missing = [name for name, p in own.items() if p.requires_grad and name not in arrays]
        if missing:
            raise ValueError(f"the span reader delta lacks {len(missing)} arrays, e.g. {missing[0]}")
        with torch.no_grad():
            for name, value in arrays.items():
                own[name].copy_(torch.from_numpy(np.asarray(value, dtype=np.float32)))

    def merge(self) -> None:
        """Fold every adapter into its linear map (for export: a plain XLM-R graph)."""
        for layer in self.encoder.encoder.layer[self.config.frozen:]:
            for name in ADAPTED:
                parent, attr = _parent(layer, name)
                module = getattr(parent, attr)
                if isinstance(module, LoRALinear):
                    setattr(parent, attr, module.merged())


def new_model(encoder_dir: Path, config: SpanConfig) -> SpanModel:
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(str(encoder_dir), attn_implementation="eager", add_pooling_layer=False)
    return SpanModel(encoder.eval(), config)


def save_delta(model: SpanModel, folder: Path, meta: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / DELTA, **model.delta())
    (folder / DELTA_CONFIG).write_text(json.dumps({"config": asdict(model.config), **meta}, ensure_ascii=False,
                                                  indent=1), encoding="utf-8")


def load_trained(encoder_dir: Path, folder: Path) -> SpanModel:
    """The encoder with the delta in ``folder`` applied (adapters still separate)."""
    config = SpanConfig(**json.loads((folder / DELTA_CONFIG).read_text(encoding="utf-8"))["config"])
    model = new_model(encoder_dir, config)
    with np.load(folder / DELTA) as arrays:
        model.load_delta({k: arrays[k] for k in arrays.files})
    return model.eval()


def _additive(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return ((1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min)


def _parent(layer: torch.nn.Module, dotted: str) -> tuple[torch.nn.Module, str]:
    *path, attr = dotted.split(".")
    for part in path:
        layer = getattr(layer, part)
    return layer, attr
