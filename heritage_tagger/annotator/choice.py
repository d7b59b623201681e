"""Which model serves suggestions: the collective model, a tuned baseline, or a blend of them, chosen on held-out rows.

Each candidate's scores for the held-out training rows (the collective model's folds) are judged
by ``knowledge.ranking.ranking_score`` (the mean of imAP and mAP, as evaluation reports both).
Candidates are each component alone and every weighting of the components on a grid of step
``step`` (weights summing to 1). Probabilities (the collective model, the LogReg probe, the
Multi-CNN MLP) are blended as they are; votes (KNN, and "the caption names this tag") are first
scaled to [0, 1] per image, as ``annotator.scoring.blend`` does. A blend must beat the best single
component by more than ``MIN_GAIN`` to be chosen; ties go to fewer components, then to the
collective model.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from heritage_tagger.knowledge.ranking import ranking_score

COMPONENTS = ("collective", "logreg", "multicnn", "knn", "lexical")
VOTES = frozenset({"knn", "lexical"})
NAMES = {  # what the app calls each component, in plain words
    "collective": "the collective-knowledge model",
    "logreg": "the LogReg probe",
    "multicnn": "the Multi-CNN classifier",
    "knn": "KNN votes of visual neighbours",
    "lexical": "tags named in the caption",
}
MIN_GAIN = 0.002


def _scaled(name: str, scores: np.ndarray) -> np.ndarray:
    s = np.asarray(scores, dtype=np.float32)
    if name not in VOTES:
        return s
    top = s.max(axis=1, keepdims=True)
    return np.divide(s, top, out=np.zeros_like(s), where=top > 0)


def combine(components: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """``sum_k w_k * scaled(component_k)`` over the components with a positive weight."""
    used = [(k, w) for k, w in weights.items() if w > 0]
    if not used:
        raise ValueError("a blend needs at least one component with a positive weight")
    first = next(iter(components.values()))
    out = np.zeros(np.shape(first), dtype=np.float32)
    for name, w in used:
        out += np.float32(w) * _scaled(name, components[name])
    return out


@dataclass
class Choice:
    """The chosen weighting of the components and the held-out score of every candidate tried."""

    weights: dict[str, float]
    score: float
    candidates: dict[str, float] = field(default_factory=dict)  # candidate name -> held-out score

    @property
    def name(self) -> str:
        used = [k for k, w in self.weights.items() if w > 0]
        return used[0] if len(used) == 1 else "blend"

    def describe(self) -> str:
        """The choice in plain words, e.g. "a blend of the LogReg probe (0.5) and ..."."""
        used = [(k, w) for k, w in self.weights.items() if w > 0]
        if len(used) == 1:
            return NAMES.get(used[0][0], used[0][0])
        return "a blend of " + ", ".join(f"{NAMES.get(k, k)} ({w:g})" for k, w in used)

    def as_dict(self) -> dict[str, Any]:
        return {
            "chosen": self.name,
            "weights": {k: w for k, w in self.weights.items() if w > 0},
            "score": round(self.score, 5),
            "candidates": {k: round(v, 5) for k, v in self.candidates.items()},
            "description": self.describe(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Choice:
        data = data or {}
        weights = {str(k): float(v) for k, v in dict(data.get("weights", {"collective": 1.0})).items()}
        return cls(weights, float(data.get("score", 0.0)), dict(data.get("candidates", {})))


def _label(weights: dict[str, float]) -> str:
    used = [f"{k}:{w:g}" for k, w in weights.items() if w > 0]
    return used[0].split(":")[0] if len(used) == 1 else "blend " + " ".join(used)


def choose(components: Mapping[str, np.ndarray], Y: np.ndarray, step: float = 0.25) -> Choice:
    """The best weighting of ``components`` (name -> held-out scores [n, T]) against ``Y``."""
    names = [k for k in COMPONENTS if k in components] + [k for k in components if k not in COMPONENTS]
    if not names:
        raise ValueError("nothing to choose from")
    levels = round(1.0 / step)
    tried: dict[str, tuple[float, dict[str, float]]] = {}
    for counts in itertools.product(range(levels + 1), repeat=len(names)):
        if sum(counts) != levels:
            continue
        weights = {k: c / levels for k, c in zip(names, counts, strict=True)}
        tried[_label(weights)] = (ranking_score(Y, combine(components, weights)), weights)
    singles = {k: v for k, v in tried.items() if not k.startswith("blend")}
    blends = {k: v for k, v in tried.items() if k.startswith("blend")}

    def preference(item: tuple[str, tuple[float, dict[str, float]]]) -> tuple[float, int, bool]:
        label, (score, weights) = item
        return (round(score, 9), -sum(1 for w in weights.values() if w > 0), label == "collective")

    best_single = max(singles.items(), key=preference)
    best = best_single
    if blends:
        best_blend = max(blends.items(), key=preference)
        if best_blend[1][0] > best_single[1][0] + MIN_GAIN:
            best = best_blend
    scores = {k: v[0] for k, v in singles.items()}
    if blends:
        scores["best blend"] = max(v[0] for v in blends.values())
    return Choice({k: w for k, w in best[1][1].items() if w > 0}, best[1][0], scores)
