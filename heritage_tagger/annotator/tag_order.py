"""Each tag's photos in the order of one blend, each photo's tags weighed as another blend weighs them.

The two measures evaluation reports read one score matrix in two directions: imAP orders the tags
of each photo, mAP the photos of each tag. A map that is increasing within each tag (column) changes
no tag's order of photos, so it leaves mAP as it was, and it can give each tag any scale, which is
what decides how tags compete within a photo. ``TagOrder`` uses that freedom: the photos of each tag
are ordered by the blend chosen on held-out mAP alone (``ORDER_COMPONENTS``: the classifiers fitted
per tag), and each tag's scores are moved, quantile for quantile, onto the distribution that the
served blend (chosen on imAP and mAP together) gives that tag on the same held-out rows. The map
reads no labels: it is fitted on the two blends' held-out scores alone.

Why the order is chosen among the collective model and the LogReg probe only: on small collections
the held-out rows are pooled from several fold models, and the Multi-CNN classifier and KNN votes
looked best there at ordering a tag's photos while on test photos they were the worst at it (LoC
JFP24, 15 folds: Multi-CNN 0.466 mAP against 0.503 for the LogReg probe), whereas they are the best
at weighing a photo's tags (Multi-CNN 0.296 imAP against 0.260).

Measured with ``evaluate`` on the same 15 folds (seeds 0-4), the product model for photos alone:
LoC JFP24 0.287 / 0.506 (imAP / mAP) with the map against 0.285 / 0.471 without; DOCUMERICA 0.164 /
0.285 against 0.163 / 0.281; the synthetic collection 0.585 / 0.438 against 0.585 / 0.436. The gain
is about one standard error, nothing on the training split predicts it (made only where the order
blend gained on held-out mAP, the map lost LoC JFP24 0.011 mAP), and on a catalogue of three clear
classes it cost 5 of 120 new photos their only confident tag. So it is off by default
(``ModelSettings.tag_order``); ``scripts/compare_tag_order.py`` measures it on and off. Records with
text never get it: with the caption's votes in the blend it cost LoC JFP24 0.079 imAP.
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
