"""The reader's learned parts, stored as plain JSON: feature names, weights or trees, threshold.

Boosted trees rank sentences and spans; a logistic regression gives the answerability
probability. ``qa train`` fits them with scikit-learn; they are applied here with numpy
alone, so answering needs no training library and the shipped files can be read by eye. A file lists the features it was
trained on; a model whose list differs from the code's is refused rather than misread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .features import ANSWERABLE_FEATURES, SENTENCE_FEATURES
from .span_reader import DELTA, SpanReader
from .spans import SPAN_FEATURES

#: The models shipped with the package (trained on CMRC 2018 dev + DRCD dev).
SHIPPED = Path(__file__).parent / "models"
FEATURES = {"sentence": SENTENCE_FEATURES, "span": SPAN_FEATURES, "answerable": ANSWERABLE_FEATURES}


@dataclass(frozen=True)
class Linear:
    """A logistic regression over standardised features."""

    features: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    #: Decision threshold on the probability, chosen on the training data.
    threshold: float = 0.5
    info: dict = field(default_factory=dict)

    def probability(self, rows: list[list[float]] | np.ndarray) -> np.ndarray:
        x = np.asarray(rows, dtype=np.float64)
        if x.size == 0:
            return np.zeros(0)
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def with_threshold(self, threshold: float) -> Linear:
        return Linear(self.features, self.mean, self.scale, self.coef, self.intercept, threshold, self.info)

    def to_json(self) -> dict:
        return {"type": "linear", "features": self.features, "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                "coef": self.coef.round(6).tolist(), "intercept": round(float(self.intercept), 6),
                "threshold": round(float(self.threshold), 4), "info": self.info}

    @classmethod
    def from_json(cls, data: dict) -> Linear:
        return cls(list(data["features"]), np.asarray(data["mean"], dtype=np.float64),
                   np.asarray(data["scale"], dtype=np.float64), np.asarray(data["coef"], dtype=np.float64),
                   float(data["intercept"]), float(data.get("threshold", 0.5)), dict(data.get("info", {})))


@dataclass(frozen=True)
class Trees:
    """Boosted decision trees (scikit-learn's HistGradientBoosting, exported node by node).

    Each tree is five parallel lists: feature, threshold (go left when value <= threshold),
    left child, right child (-1 at a leaf) and the value a leaf adds to the log-odds.
    """

    features: list[str]
    baseline: float
    trees: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
    threshold: float = 0.5
    info: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # All trees in one set of arrays, walked together: one numpy step per level, not per tree.
        offsets = np.cumsum([0] + [len(t[0]) for t in self.trees])
        flat = [np.concatenate([t[k] for t in self.trees]) if self.trees else np.zeros(0) for k in range(5)]
        shift = np.concatenate([np.full(len(t[0]), o) for t, o in zip(self.trees, offsets)]) if self.trees \
            else np.zeros(0, dtype=np.int64)
        left = np.where(flat[2] >= 0, flat[2] + shift, -1).astype(np.int64)
        right = np.where(flat[3] >= 0, flat[3] + shift, -1).astype(np.int64)
        object.__setattr__(self, "_flat", (flat[0].astype(np.int64), flat[1], left, right, flat[4],
                                           offsets[:-1].astype(np.int64)))

    def probability(self, rows: list[list[float]] | np.ndarray) -> np.ndarray:
        x = np.asarray(rows, dtype=np.float64)
        if x.size == 0:
            return np.zeros(0)
        feature, threshold, left, right, value, roots = self._flat
        node = np.tile(roots, (len(x), 1))
        index = np.arange(len(x))[:, None]
        while True:
            inner = left[node] >= 0
            if not inner.any():
                break
            go_left = x[index, feature[node]] <= threshold[node]
            node = np.where(inner, np.where(go_left, left[node], right[node]), node)
        z = self.baseline + value[node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict:
        trees = [{"feature": f.tolist(), "threshold": [float(v) for v in t], "left": a.tolist(),
                  "right": b.tolist(), "value": [round(float(v), 6) for v in val]}
                 for f, t, a, b, val in self.trees]
        return {"type": "trees", "features": self.features, "baseline": round(float(self.baseline), 6),
                "threshold": round(float(self.threshold), 4), "info": self.info, "trees": trees}

    @classmethod
    def from_json(cls, data: dict) -> Trees:
        trees = [(np.asarray(t["feature"], dtype=np.int64), np.asarray(t["threshold"], dtype=np.float64),
                  np.asarray(t["left"], dtype=np.int64), np.asarray(t["right"], dtype=np.int64),
                  np.asarray(t["value"], dtype=np.float64)) for t in data["trees"]]
        return cls(list(data["features"]), float(data["baseline"]), trees, float(data.get("threshold", 0.5)),
                   dict(data.get("info", {})))

    def with_threshold(self, threshold: float) -> Trees:
        return Trees(self.features, self.baseline, self.trees, threshold, self.info)


Scorer = Linear | Trees


def scorer_from_json(data: dict) -> Scorer:
    return Trees.from_json(data) if data.get("type") == "trees" else Linear.from_json(data)


@dataclass(frozen=True)
class ReaderModel:
    sentence: Scorer
    span: Scorer
    answerable: Scorer
    #: The neural span reader, where the folder holds its delta (``qa train --span-reader``).
    reader: SpanReader | None = None

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in FEATURES:
            text = json.dumps(getattr(self, name).to_json(), ensure_ascii=False, indent=1)
            (folder / f"{name}.json").write_text(text + "\n", encoding="utf-8")


class ModelError(ValueError):
    pass


@lru_cache(maxsize=8)
def load_model(folder: str | Path | None = None, neural: bool = True) -> ReaderModel:
    """The reader model in ``folder`` (the shipped one when None); cached per folder."""
    folder = Path(folder) if folder else SHIPPED
    parts = {}
    for name, expected in FEATURES.items():
        path = folder / f"{name}.json"
        try:
            model = scorer_from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"cannot read the reader model {path}: {exc}; rebuild it with `qa train`") from exc
        if model.features != expected:
            raise ModelError(f"{path} was trained on other features than this code computes; rebuild it with `qa train`")
        parts[name] = model
    if neural and (folder / DELTA).is_file():
        from ..index.bundled_model import bundled_model_path

        parts["reader"] = SpanReader(folder, bundled_model_path())
    return ReaderModel(**parts)
