"""Prediction without torch: the annotation network and the label-quantity head evaluated in numpy.

A loaded bundle answers a catalogued photo's suggestions with a few matrix products on a handful
of rows; importing torch for them costs seconds (and, in the app, holds the interpreter lock
while its C extensions load). ``numpy_module`` rebuilds a trained module from its weights when
it is one of the architectures below (eqs. 13-15's ``AnnotationNet``, seed 002's
``LabelQuantityHead``, both in eval mode: dropout off) and returns None otherwise, in which case
the loader builds the torch module as before. ``run`` evaluates either kind. Results match torch's
to float32 rounding (``tests/annotator/test_runtime.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from torch import nn

__all__ = ["NumpyModule", "numpy_module", "run"]

_NET = ("visual.weight", "visual.bias", "semantic.weight", "semantic.bias", "output.weight", "output.bias")
_QUANTITY = ("net.0.weight", "net.0.bias", "net.3.weight", "net.3.bias")


@runtime_checkable
class NumpyModule(Protocol):
    """A trained module evaluated in numpy: ``predict(*inputs) -> float32 array``."""

    def predict(self, *inputs: np.ndarray) -> np.ndarray: ...

    def state_dict(self) -> Mapping[str, np.ndarray]: ...


def _linear(x: np.ndarray, weight_t: np.ndarray, bias: np.ndarray) -> np.ndarray:
    out = x @ weight_t
    out += bias
    return out


class _Numpy:
    """Base of the numpy modules (what ``run`` recognises); keeps the weights it was built from."""

    weights: dict[str, np.ndarray]

    def state_dict(self) -> dict[str, np.ndarray]:
        """The weights, named as the torch module names them (a loaded model saves as it was trained)."""
        return dict(self.weights)


class _AnnotationNet(_Numpy):
    """theta_X = ReLU(W_X GX + b_X); theta_S = ReLU(W_S GS + b_S); logits = W_P [theta_X; theta_S] + b_P."""

    def __init__(self, w: Mapping[str, np.ndarray]) -> None:
        self.weights = dict(w)
        self.visual = (np.ascontiguousarray(w["visual.weight"].T), w["visual.bias"])
        self.semantic = (np.ascontiguousarray(w["semantic.weight"].T), w["semantic.bias"])
        self.output = (np.ascontiguousarray(w["output.weight"].T), w["output.bias"])

    def predict(self, *inputs: np.ndarray) -> np.ndarray:
        gx, gs = (np.asarray(x, dtype=np.float32) for x in inputs)
        hidden = np.concatenate(
            [np.maximum(_linear(gx, *self.visual), 0.0), np.maximum(_linear(gs, *self.semantic), 0.0)], axis=1
        )
        return _linear(hidden, *self.output).astype(np.float32, copy=False)


class _QuantityHead(_Numpy):
    """Linear, ReLU, (dropout: identity in eval mode), Linear on [GX; GS]; one count per row."""

    def __init__(self, w: Mapping[str, np.ndarray]) -> None:
        self.weights = dict(w)
        self.first = (np.ascontiguousarray(w["net.0.weight"].T), w["net.0.bias"])
        self.last = (np.ascontiguousarray(w["net.3.weight"].T), w["net.3.bias"])

    def predict(self, *inputs: np.ndarray) -> np.ndarray:
        x = np.concatenate([np.asarray(i, dtype=np.float32) for i in inputs], axis=1)
        hidden = np.maximum(_linear(x, *self.first), 0.0)
        return _linear(hidden, *self.last)[:, 0].astype(np.float32, copy=False)


def numpy_module(state: Mapping[str, np.ndarray], kind: str) -> NumpyModule | None:
    """``kind`` "net" (AnnotationNet) or "quantity" (LabelQuantityHead) in numpy, when ``state`` has
    exactly that architecture's weights; None when it does not (a newer architecture: use torch)."""
    names = {"net": _NET, "quantity": _QUANTITY}[kind]
    if set(state) != set(names):
        return None
    weights = {k: np.ascontiguousarray(state[k], dtype=np.float32) for k in names}
    return _AnnotationNet(weights) if kind == "net" else _QuantityHead(weights)


def run(module: nn.Module | NumpyModule, inputs: tuple[np.ndarray, ...], device: str) -> np.ndarray:
    """The module's raw output for ``inputs``: numpy modules directly, torch modules through
    ``annotator.network.predict_module`` (eval mode, batches, float32)."""
    if isinstance(module, _Numpy) and isinstance(module, NumpyModule):
        return module.predict(*inputs)
    from torch import nn

    from heritage_tagger.annotator.network import predict_module

    assert isinstance(module, nn.Module)
    return predict_module(module, inputs, device)
