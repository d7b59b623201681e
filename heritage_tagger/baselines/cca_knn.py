"""CCA-KNN (seed 004): regularised CCA between backbone features and the images' mean tag word vectors,
then tags transferred from the nearest training images in the CCA space.

Following the paper: ``Y_i`` is the average of the word vectors of image i's tags; CCA gives
``W_x``, ``W_y``; a test image is projected ``T = (x - mu_x) W_x`` and compared with the training
images' tag-side projections ``V = (Y - mu_y) W_y`` by correlation distance ``D``; the K closest
training images vote ``sum_k exp(-D_k) y_k`` (eq. 5). Simplified: the paper takes K neighbours
from each label cluster; here the K nearest overall (K and the ridge on validation). The feature
side is first reduced to its principal subspace (exact for ridge CCA, which lives in the data span).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from heritage_tagger.baselines.registry import Method, SideInfo, validation_score
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.knowledge.selection import neighbour_grid, validation_split
from heritage_tagger.settings import ModelSettings

_DEFAULTS = ModelSettings()


def _inv_sqrt(C: np.ndarray) -> np.ndarray:
    vals, vecs = np.linalg.eigh(C)
    return (vecs / np.sqrt(np.maximum(vals, 1e-12))) @ vecs.T


def fit_cca(X: np.ndarray, Y: np.ndarray, reg: float) -> dict[str, np.ndarray]:
    """Ridge CCA; the ridge on each side is ``reg`` times that side's mean variance."""
    mu_x, mu_y = X.mean(0), Y.mean(0)
    Xc, Yc = X - mu_x, Y - mu_y
    _, s, vt = np.linalg.svd(Xc, full_matrices=False)
    P = vt[s > 1e-6 * max(1.0, float(s.max(initial=0.0)))].T  # D x r principal directions
    Xp = Xc @ P
    n = len(X)
    Cxx, Cyy, Cxy = Xp.T @ Xp / n, Yc.T @ Yc / n, Xp.T @ Yc / n
    Cxx += reg * (np.trace(Cxx) / max(1, len(Cxx)) + 1e-9) * np.eye(len(Cxx))
    Cyy += reg * (np.trace(Cyy) / max(1, len(Cyy)) + 1e-9) * np.eye(len(Cyy))
    Kx, Ky = _inv_sqrt(Cxx), _inv_sqrt(Cyy)
    U, corr, Vt = np.linalg.svd(Kx @ Cxy @ Ky, full_matrices=False)
    keep = corr > 1e-6
    return {
        "mu_x": mu_x,
        "mu_y": mu_y,
        "Wx": P @ Kx @ U[:, keep],
        "Wy": Ky @ Vt.T[:, keep],
        "corr": corr[keep],
    }


def correlation_distance(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``1 - Pearson correlation`` between every row of A and every row of B."""
    a = A - A.mean(1, keepdims=True)
    b = B - B.mean(1, keepdims=True)
    a /= np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b /= np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return 1.0 - a @ b.T


def cca_knn_scores(T: np.ndarray, V: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    D = correlation_distance(T, V)
    k = max(1, min(k, V.shape[0]))
    rows = np.argsort(D, axis=1, kind="stable")[:, :k]
    w = np.exp(-np.take_along_axis(D, rows, axis=1))
    return np.einsum("qk,qkt->qt", w, labels[rows]).astype(np.float32)


def image_tag_vectors(Y: np.ndarray, H: np.ndarray, has_vector: np.ndarray) -> np.ndarray:
    """Mean word vector of each image's tags that have one (zeros when none has)."""
    Yv = Y.astype(np.float64) * has_vector[None, :]
    counts = Yv.sum(1, keepdims=True)
    return np.divide(Yv @ H, counts, out=np.zeros((len(Y), H.shape[1])), where=counts > 0)


class CCAKNN(Method):
    name = "ccaknn"
    label = "CCA-KNN"
    needs_word_vectors = True
    default_params: ClassVar[dict[str, Any]] = {
        "reg_grid": (0.1, 1.0, 10.0),
        "grid": (*_DEFAULTS.neighbour_grid,),
        "validation_fraction": _DEFAULTS.validation_fraction,
    }

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        wv = side.get("word_vectors")
        if wv is None:
            raise ValueError("CCA-KNN needs word vectors (side['word_vectors'])")
        H, has = wv.tag_matrix(list(side["labels"]))
        H, has = np.asarray(H, dtype=np.float64), np.asarray(has, dtype=bool)
        Yw = image_tag_vectors(Y, H, has)
        X64 = X.astype(np.float64)
        labels = Y.astype(np.float32)
        fit, val = validation_split(len(X), self.params["validation_fraction"], int(side.get("seed", 0)))
        scores: dict[tuple[float, int], float] = {}
        for reg in self.params["reg_grid"]:
            if cancel is not None:
                cancel.check()
            cca = fit_cca(X64[fit], Yw[fit], float(reg))
            T = (X64[val] - cca["mu_x"]) @ cca["Wx"]
            V = (Yw[fit] - cca["mu_y"]) @ cca["Wy"]
            for k in neighbour_grid(self.params["grid"], len(fit)):
                scores[(float(reg), k)] = validation_score(Y[val], cca_knn_scores(T, V, labels[fit], k))
        (self.reg, self.k) = max(scores, key=lambda rk: (scores[rk], -rk[1]))
        self._cca = fit_cca(X64, Yw, self.reg)
        self._V = (Yw - self._cca["mu_y"]) @ self._cca["Wy"]
        self._labels = labels
        self.chosen = {
            "reg": self.reg,
            "k": self.k,
            "components": int(self._cca["Wx"].shape[1]),
            "tags_with_word_vector": int(has.sum()),
        }

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        T = (X.astype(np.float64) - self._cca["mu_x"]) @ self._cca["Wx"]
        return cca_knn_scores(T, self._V, self._labels, self.k)
