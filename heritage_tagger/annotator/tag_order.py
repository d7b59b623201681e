"""Which photos suit a tag: each tag's photos in the order of one blend, on the scale of the served one.

The app asks the model two questions. "Which tags suit this photo?" is the suggestion panel, batch
annotation and the review queue: the served blend (``annotator.choice``, chosen on imAP and mAP
together) answers it, calibrated, with a threshold for what is proposed. "Which photos suit this
tag?" is ``services.tag_search`` (``heritage-tagger suggest --tag``, the "Photos for a tag" window):
the catalogue's photos that do not carry a tag, most likely first. Evaluation reads the same two
orders: imAP ranks the tags of each photo, mAP the photos of each tag.

``TagOrder`` answers the second question with the blend chosen on held-out mAP alone among
``ORDER_COMPONENTS`` (the classifiers fitted per tag), and moves each tag's scores, quantile for
quantile, onto the distribution the served blend gives that tag on the same held-out rows. The map
is increasing within each tag, so it keeps the order blend's order of photos, and after the served
calibrator its probabilities read like the suggestions' (a photo the panel calls 0.6 for a tag sits
about where the search puts a 0.6). It reads no labels: it is fitted on the two blends' held-out
scores alone. Records with text are ordered by their own choice for both questions.

Why the order is chosen among the collective model and the LogReg probe only: on small collections
the held-out rows are pooled from several fold models, and the Multi-CNN classifier and KNN votes
looked best there at ordering a tag's photos while on test photos they were the worst at it (LoC
JFP24, 15 folds: Multi-CNN 0.466 mAP against 0.503 for the LogReg probe), whereas they are the best
at weighing a photo's tags (Multi-CNN 0.296 imAP against 0.260).

Measured with ``evaluate`` (15 folds, seeds 0-4, mAP read from this order, imAP from the suggestions):
LoC JFP24 0.285 / 0.506 (imAP / mAP) against 0.471 mAP for the suggestion scores' own order and the
LogReg probe's 0.512; DOCUMERICA 0.163 / 0.288 against 0.281 and 0.279 (docs/evaluation, stop 24).

Why it does not also order the suggestions (it did, behind ``ModelSettings.tag_order``, until stop
24): served for both questions, the map cost a catalogue of three clear classes the only confident
tag of 5 of 120 new photos, and DOCUMERICA's proposals got fewer and less precise, because it moves
how tags compete within a photo as well. ``scripts/compare_tag_order.py`` measures the search's
order against the suggestions' own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from heritage_tagger.annotator.choice import Choice, choose, combine

ORDER_COMPONENTS = ("collective", "logreg")  # what may order the photos within a tag
KNOTS = 65  # quantiles per tag the map passes through (fewer when fewer held-out rows)
ORDER_SHARE = 1e-3  # share of the order blend's own score kept, so the map is strictly increasing


@dataclass
class TagOrder:
    """The blend that orders each tag's photos, and per tag the increasing map onto the served scale."""

    choice: Choice
    source: np.ndarray  # float64[K, T]: quantiles of the order blend's held-out scores, per tag
    target: np.ndarray  # float64[K, T]: the same quantiles of the served blend's held-out scores

    @property
    def weights(self) -> dict[str, float]:
        return self.choice.weights

    def __call__(self, order_scores: np.ndarray) -> np.ndarray:
        """Scores [q, T] of the order blend moved onto the served blend's scale, tag by tag."""
        s = np.asarray(order_scores, dtype=np.float64)
        out = np.empty_like(s)
        for t in range(s.shape[1]):
            out[:, t] = np.interp(s[:, t], self.source[:, t], self.target[:, t])
        # strictly increasing within each tag: outside the held-out range interp is flat
        return ((1.0 - ORDER_SHARE) * out + ORDER_SHARE * s).astype(np.float32)

    def serve(self, components: Mapping[str, np.ndarray]) -> np.ndarray:
        return self(combine(components, self.choice.weights))

    @classmethod
    def fit(cls, choice: Choice, order_held: np.ndarray, served_held: np.ndarray) -> TagOrder:
        """The map from the order blend's held-out scores to the served blend's, per tag."""
        n = len(order_held)
        levels = np.linspace(0.0, 1.0, max(2, min(KNOTS, n)))
        source = np.quantile(np.asarray(order_held, np.float64), levels, axis=0)
        target = np.quantile(np.asarray(served_held, np.float64), levels, axis=0)
        # repeated quantiles (many equal scores) would make the map ambiguous: strictly increasing knots
        source = source + np.arange(len(levels), dtype=np.float64)[:, None] * 1e-9
        return cls(choice, source, target)

    def describe(self) -> str:
        return self.choice.describe()

    def as_dict(self) -> dict[str, Any]:
        return self.choice.as_dict()

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {prefix + "source": self.source, prefix + "target": self.target}

    @classmethod
    def from_parts(cls, data: Mapping[str, Any], arrays: Mapping[str, np.ndarray], prefix: str) -> TagOrder:
        return cls(
            Choice.from_dict(data),
            np.asarray(arrays[prefix + "source"], np.float64),
            np.asarray(arrays[prefix + "target"], np.float64),
        )


def choose_order(
    components: Mapping[str, np.ndarray], Y: np.ndarray, served: Choice, seed: int = 0
) -> TagOrder | None:
    """The blend of ``ORDER_COMPONENTS`` with the best held-out mAP (averaged over resamples of the
    tags, as ``choose`` does), mapped onto the served blend's scale; None when it is the served blend."""
    candidates = {k: v for k, v in components.items() if k in ORDER_COMPONENTS}
    if not candidates:
        return None
    order = choose(candidates, Y, seed=seed, measure="tags")
    if order.weights == served.weights:
        return None
    return TagOrder.fit(order, combine(components, order.weights), combine(components, served.weights))
