"""The product model behind the registry: ``annotator.product.fit_product`` on the training rows.

Two rows of ``evaluate``: ``product`` scores a test photo from its image alone (its metadata is
blanked like every image-only method's), ``product-text`` reads the test record's own title,
description and location, as the app does (reported with the methods that use test metadata).
Both are the same fitted model (fitted once per fold, kept for the second row). Besides scores,
``proposals`` gives what the app would actually propose: calibrated probabilities, and the tags
above the threshold for ``ModelSettings.target_precision``, capped by the label-quantity head.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any, ClassVar, NamedTuple

import numpy as np

from heritage_tagger.baselines.registry import Method, SideInfo
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.settings import ModelSettings

_FITTED: dict[str, Any] = {}  # the last fit (one fold), shared by "product" and "product-text"


class _Scored(NamedTuple):
    """One batch of test rows: suggestions, label quantities, read with text, and the search's order."""

    probs: np.ndarray
    counts: np.ndarray
    has_text: np.ndarray
    search: np.ndarray | None


def _texts(side: SideInfo) -> list[Any]:
    from heritage_tagger.annotator.text_inputs import RecordText

    return [
        RecordText(t or "", d or "", loc or "")
        for t, d, loc in zip(side["titles"], side["descriptions"], side["locations"], strict=True)
    ]


def _key(X: np.ndarray, Y: np.ndarray, side: SideInfo, settings: ModelSettings) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(X).tobytes())
    digest.update(np.ascontiguousarray(Y).tobytes())
    for part in (side["titles"], side["descriptions"], side["locations"], side["labels"]):
        digest.update("\x1f".join(part).encode("utf-8"))
    digest.update(repr((settings, side.get("seed"), id(side.get("word_vectors")))).encode())
    return digest.hexdigest()


class Product(Method):
    name = "product"
    label = "Product model (image only)"
    needs_word_vectors = True
    reads_text: ClassVar[bool] = False
    default_params: ClassVar[dict[str, Any]] = {"settings": None}

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        from heritage_tagger.annotator.product import fit_product
        from heritage_tagger.annotator.text_inputs import encode_texts
        from heritage_tagger.text.lemmatise import token_set
        from heritage_tagger.vocab.lexicon import Lexicon

        settings = self.params["settings"] or ModelSettings()
        settings = dataclasses.replace(settings, seed=int(side.get("seed", settings.seed)))
        word_vectors = side.get("word_vectors")
        if word_vectors is None:
            raise ValueError("the product model needs word vectors (side['word_vectors'])")
        key = _key(X, Y, side, settings)
        if _FITTED.get("key") != key:
            self._lexicon = Lexicon.of_labels(list(side["labels"]))
            texts = encode_texts(_texts(side), word_vectors, self._lexicon)
            words = [token_set(d or t) for d, t in zip(side["descriptions"], side["titles"], strict=True)]
            product = fit_product(
                X, words, list(side["locations"]), Y, list(side["labels"]), word_vectors, settings,
                texts=texts, progress=progress, cancel=cancel,
            )  # fmt: skip
            _FITTED.clear()
            _FITTED.update(key=key, product=product, lexicon=self._lexicon)
        self._product = _FITTED["product"]
        self._lexicon = _FITTED["lexicon"]
        self._word_vectors = word_vectors
        self._settings = settings
        self.chosen = {
            "choices": self._product.metrics.get("choices"),
            "orders": self._product.metrics.get("orders"),
            "validation": self._product.metrics.get("modes"),
            "logreg": self._product.metrics.get("logreg"),
            "multicnn": self._product.metrics.get("multicnn"),
            "collective": {
                "gx_mode": self._product.collective.gx_mode,
                "m": int(self._product.collective.m),
                "text_branch": self._product.collective.text_dim > 0,
            },
        }
        self._cache: tuple[str, _Scored] | None = None

    def _run(self, X: np.ndarray, side: SideInfo) -> _Scored:
        """Both answers for these rows from one pass over the components (kept for the next call)."""
        from heritage_tagger.annotator.text_inputs import encode_texts

        text = encode_texts(_texts(side), self._word_vectors, self._lexicon) if self.reads_text else None
        key = hashlib.sha256(X.tobytes() + repr(self.reads_text).encode()).hexdigest()
        if self._cache is None or self._cache[0] != key:
            parts = self._product.components(X, text=text)
            search = self._product.serve(parts, for_tags=True) if self._product.mode("image").order else None
            self._cache = (key, _Scored(self._product.serve(parts), parts.counts, parts.has_text, search))
        return self._cache[1]

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        return self._run(X, side).probs

    def predict_counts(self, features: np.ndarray, side: SideInfo) -> np.ndarray | None:
        return self._run(np.ascontiguousarray(features, dtype=np.float32), side).counts

    def photos_for_tags(self, features: np.ndarray, side: SideInfo) -> np.ndarray | None:
        """The order ``heritage-tagger suggest --tag`` shows each tag's photos in (None when it is the
        suggestions' own order: the model has no order blend; records with text never get one)."""
        return self._run(np.ascontiguousarray(features, dtype=np.float32), side).search

    def proposals(self, features: np.ndarray, side: SideInfo) -> tuple[np.ndarray, np.ndarray] | None:
        """(calibrated probabilities, proposed bool[q, T]) as the app would propose them."""
        from heritage_tagger.annotator.calibration import proposals

        probs, counts, has_text, _ = self._run(np.ascontiguousarray(features, dtype=np.float32), side)
        target = self._settings.target_precision
        decided = np.zeros(probs.shape, dtype=bool)
        for mode, rows in (("text", has_text), ("image", ~has_text)):
            if rows.any():
                threshold = self._product.threshold(mode, target)
                decided[rows] = proposals(probs[rows], counts[rows], threshold)
        return probs, decided


class ProductText(Product):
    name = "product-text"
    label = "Product model with the record's text"
    uses_test_metadata = True
    reads_text = True
