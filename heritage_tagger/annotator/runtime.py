"""Prediction without torch: the annotation network, the label-quantity head and the MLP probe in numpy.

A loaded bundle answers a catalogued photo's suggestions with a few matrix products on a handful
of rows; importing torch for them costs seconds (and, in the app, holds the interpreter lock
while its C extensions load). ``numpy_module`` rebuilds a trained module from its weights when
it is one of the architectures below, in eval mode (dropout off, no text hidden):

- ``"net"``: eqs. 13-15's ``AnnotationNet``, the paper's two branches or the product model's three
  (the record's text ``GT`` and the lexical pathway, ``annotator.network``), GX scaled by ``gx_scale``;
- ``"quantity"``: seed 002's ``LabelQuantityHead``;
- ``"mlp"``: the Multi-CNN probe (``annotator.mlp.two_layer``: Linear, ReLU, Dropout, Linear).

It returns None for any other set of weights (a newer architecture), and the loader then builds the
torch module as before. ``run`` evaluates either kind. Results match torch's to float32 rounding
(``tests/annotator/test_runtime.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from torch import nn

__all__ = ["NumpyModule", "numpy_module", "run"]

_NET = ("visual.weight", "visual.bias", "semantic.weight", "semantic.bias", "output.weight", "output.bias")
_TEXT = ("text.weight", "text.bias", "lexical_weight")
_QUANTITY = ("net.0.weight", "net.0.bias", "net.3.weight", "net.3.bias")
_MLP = ("0.weight", "0.bias", "3.weight", "3.bias")


@runtime_checkable
class NumpyModule(Protocol):
    """A trained module evaluated in numpy: ``predict(*inputs) -> float32 array``."""

    def predict(self, *inputs: np.ndarray) -> np.ndarray: ...

    def state_dict(self) -> Mapping[str, np.ndarray]: ...


def _linear(x: np.ndarray, weight_t: np.ndarray, bias: np.ndarray) -> np.ndarray:
    out = x @ weight_t
    out += bias
    return out


def _layer(w: Mapping[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    return np.ascontiguousarray(w[name + ".weight"].T), w[name + ".bias"]


class _Numpy:
    """Base of the numpy modules (what ``run`` recognises); keeps the weights it was built from."""

    weights: dict[str, np.ndarray]

    def state_dict(self) -> dict[str, np.ndarray]:
        """The weights, named as the torch module names them (a loaded model saves as it was trained)."""
        return dict(self.weights)


class _AnnotationNet(_Numpy):
    """theta_X = ReLU(W_X s GX + b_X); theta_S = ReLU(W_S GS + b_S); with a text branch also
    theta_T = ReLU(W_T GT + b_T); logits = W_P [theta_X; theta_S(; theta_T)] + b_P (+ w_lex * lexical).

    Without the record's text (two inputs) the text branch reads zeros, as the torch module does."""

    def __init__(self, w: Mapping[str, np.ndarray], gx_scale: float, text_dropout: float) -> None:
        self.weights = dict(w)
        self.gx_scale, self.text_dropout = float(gx_scale), float(text_dropout)
        self.visual, self.semantic, self.output = (_layer(w, k) for k in ("visual", "semantic", "output"))
        self.text_dim = int(w["text.weight"].shape[1]) if "text.weight" in w else 0
        if self.text_dim:
            self.text = _layer(w, "text")
            self.lexical_weight = float(np.asarray(w["lexical_weight"]).reshape(-1)[0])

    def predict(self, *inputs: np.ndarray) -> np.ndarray:
        gx, gs = (np.asarray(x, dtype=np.float32) for x in inputs[:2])
        if self.gx_scale != 1.0:
            gx = gx * np.float32(self.gx_scale)
        parts = [np.maximum(_linear(gx, *self.visual), 0.0), np.maximum(_linear(gs, *self.semantic), 0.0)]
        if not self.text_dim:
            return _linear(np.concatenate(parts, axis=1), *self.output).astype(np.float32, copy=False)
        n, n_tags = len(gx), self.output[0].shape[1]
        if len(inputs) >= 4:
            gt, lexical = (np.asarray(x, dtype=np.float32) for x in inputs[2:4])
        else:
            gt, lexical = np.zeros((n, self.text_dim), np.float32), np.zeros((n, n_tags), np.float32)
        parts.append(np.maximum(_linear(gt, *self.text), 0.0))
        logits = _linear(np.concatenate(parts, axis=1), *self.output)
        logits += np.float32(self.lexical_weight) * lexical
        return logits.astype(np.float32, copy=False)


class _TwoLayer(_Numpy):
    """Linear, ReLU, (dropout: identity in eval mode), Linear on the concatenated inputs.

    ``prefix`` "net." with one output squeezed: the label-quantity head (one count per row);
    no prefix: the MLP probe's logits."""

    def __init__(self, w: Mapping[str, np.ndarray], prefix: str, squeeze: bool) -> None:
        self.weights = dict(w)
        self.first, self.last = _layer(w, prefix + "0"), _layer(w, prefix + "3")
        self.squeeze = squeeze

    def predict(self, *inputs: np.ndarray) -> np.ndarray:
        arrays = [np.asarray(i, dtype=np.float32) for i in inputs]
        x = arrays[0] if len(arrays) == 1 else np.concatenate(arrays, axis=1)
        out = _linear(np.maximum(_linear(x, *self.first), 0.0), *self.last)
        return (out[:, 0] if self.squeeze else out).astype(np.float32, copy=False)


def numpy_module(
    state: Mapping[str, Any], kind: str, network: Mapping[str, Any] | None = None
) -> NumpyModule | None:
    """``kind`` "net" (AnnotationNet, with ``network``'s ``gx_scale`` and ``text_dropout`` as the
    manifest records them), "quantity" (LabelQuantityHead) or "mlp" (the MLP probe) in numpy, when
    ``state`` has exactly that architecture's weights; None when it does not (use torch)."""
    allowed: tuple[tuple[str, ...], ...] = {
        "net": (_NET, _NET + _TEXT),
        "quantity": (_QUANTITY,),
        "mlp": (_MLP,),
    }[kind]
    names = next((a for a in allowed if set(state) == set(a)), None)
    if names is None:
        return None
    weights = {k: np.ascontiguousarray(np.asarray(state[k]), dtype=np.float32) for k in names}
    if kind == "net":
        settings = dict(network or {})
        return _AnnotationNet(
            weights, float(settings.get("gx_scale", 1.0)), float(settings.get("text_dropout", 0.0))
        )
    return _TwoLayer(weights, "net." if kind == "quantity" else "", squeeze=kind == "quantity")


def run(module: nn.Module | NumpyModule, inputs: tuple[np.ndarray, ...], device: str) -> np.ndarray:
    """The module's raw output for ``inputs``: numpy modules directly, torch modules through
    ``annotator.network.predict_module`` (eval mode, batches, float32)."""
    if isinstance(module, _Numpy) and isinstance(module, NumpyModule):
        return module.predict(*inputs)
    from torch import nn

    from heritage_tagger.annotator.network import predict_module

    assert isinstance(module, nn.Module)
    return predict_module(module, inputs, device)
