"""Turn a CollectiveModel (and the product model around it) into bundle contents and back (prefixed
safetensors keys, npz arrays). Everything the product model adds is additive: a bundle written before
it loads as the collective model alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, get_args

import numpy as np

from heritage_tagger.annotator.bundle import BundleContents
from heritage_tagger.annotator.model import BlendSource, CollectiveModel, GXMode
from heritage_tagger.annotator.network import build_annotation_net, build_quantity_head
from heritage_tagger.annotator.runtime import NumpyModule, numpy_module
from heritage_tagger.domain.errors import BundleError
from heritage_tagger.knowledge.relevance import RelevanceScale
from heritage_tagger.settings import Normalisation

if TYPE_CHECKING:
    import torch
    from torch import nn

    from heritage_tagger.annotator.product import ProductModel
    from heritage_tagger.knowledge.index import NeighbourIndex
    from heritage_tagger.text.word_vectors import WordVectors

T = TypeVar("T", bound=str)
HEAD, NET, QUANTITY = "head.", "net.", "quantity."
ARRAY_KEYS = ("gx", "relevance", "labels", "tag_vectors", "tag_similarity", "record_ids", "label_counts")


def _numpy(value: torch.Tensor | np.ndarray) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        value = value.detach().cpu().numpy()
    return np.ascontiguousarray(np.asarray(value))


def _state(module: nn.Module | NumpyModule) -> dict[str, np.ndarray]:
    return {k: _numpy(v) for k, v in module.state_dict().items()}


def model_contents(model: CollectiveModel, manifest: dict[str, Any]) -> BundleContents:
    """Bundle contents for ``model``; ``manifest`` adds backbone, fingerprint, dropped tags and so on."""
    tensors: dict[str, np.ndarray] = {}
    tensors.update({HEAD + k: _numpy(v) for k, v in model.head_state.items()})
    tensors.update({NET + k: v for k, v in _state(model.net).items()})
    if model.quantity is not None:
        tensors.update({QUANTITY + k: v for k, v in _state(model.quantity).items()})
    arrays = {
        "gx": model.gx.astype(np.float32),
        "relevance": model.relevance.astype(np.float32),
        "labels": model.labels.astype(np.uint8),
        "tag_vectors": model.tag_vectors.astype(np.float32),
        "tag_similarity": model.tag_similarity.astype(np.float32),
        "record_ids": model.record_ids.astype(np.int64),
        "label_counts": model.labels.sum(axis=1).astype(np.int32),
    }
    if model.raw_features is not None and model.gx_mode == "adapter" and model.blend_source == "knn":
        arrays["raw_features"] = model.raw_features.astype(np.float32)
    full = dict(manifest)
    full.update(
        tags=list(model.tag_labels),
        gx_mode=model.gx_mode,
        m=int(model.m),
        sigma=float(model.sigma),
        constant_count=int(model.constant_count),
        max_count=int(model.max_count),
        blend_weight=float(model.blend_weight),
        blend_source=model.blend_source,
        knn_k=int(model.knn_k),
        relevance_scales=[
            float(model.relevance_scale.semantic_field_max),
            float(model.relevance_scale.voting_max),
        ],
        relevance_normalisation=model.relevance_scale.normalisation,
        hyperparameters=model.hyperparameters,
        metrics=model.metrics,
        n_training_rows=len(model.record_ids),
        gx_dim=int(model.gx.shape[1]),
        index=model.neighbour_index.describe(),
        network={
            "gx_scale": float(getattr(model.net, "gx_scale", 1.0)),
            "text_dim": model.text_dim,
            "text_dropout": float(getattr(model.net, "text_dropout", 0.0)),
        },
    )
    # GX is stored once, in arrays.npz; the index file holds only what GX does not (issue 15)
    return BundleContents(
        manifest=full, tensors=tensors, arrays=arrays, index_bytes=model.neighbour_index.structure()
    )


def _one_of(value: object, allowed: tuple[T, ...], key: str, name: str) -> T:
    """``value`` when it is one of ``allowed`` (a Literal's values), else a plain-words BundleError."""
    for option in allowed:
        if value == option:
            return option
    raise BundleError(
        f"model bundle {name} records {key} = {value!r}, which this version of Heritage Tagger "
        "does not know: retrain the model"
    )


def _relevance_scale(manifest: dict[str, Any], name: str) -> RelevanceScale:
    """Eq. 10's scale; bundles written before the setting was recorded used ``"collection"``."""
    key = "relevance_normalisation"
    normalisation = _one_of(manifest.get(key, "collection"), get_args(Normalisation), key, name)
    ss, nn = manifest["relevance_scales"]
    return RelevanceScale(normalisation, float(ss), float(nn))


def _torch_state(tensors: dict[str, np.ndarray], prefix: str) -> dict[str, torch.Tensor]:
    import torch

    return {
        k[len(prefix) :]: torch.from_numpy(np.array(v)) for k, v in tensors.items() if k.startswith(prefix)
    }


def _index(gx: np.ndarray, data: bytes, name: str) -> NeighbourIndex:
    """The neighbour index over ``gx``: from its stored structure, or, in a bundle written before
    GX was stored once, the whole faiss index (whose vectors must then be GX)."""
    from heritage_tagger.knowledge.index import NeighbourIndex

    if NeighbourIndex.is_structure(data):
        return NeighbourIndex.from_structure(gx, data)
    index = NeighbourIndex.deserialize(data)
    if len(index) != len(gx) or index.dim != gx.shape[1]:
        raise BundleError(f"model bundle {name} is damaged: its neighbour index does not match GX")
    return index


def _modules(
    tensors: dict[str, np.ndarray], device: str, network: dict[str, Any], use_numpy: bool
) -> tuple[nn.Module | NumpyModule, nn.Module | NumpyModule | None]:
    """The annotation network and the label-quantity head (None: the constant count won): in numpy on
    the CPU when their architecture is a known one (no torch import: ``annotator.runtime``), else
    as torch modules on ``device``. ``network`` is the manifest's record of the network's settings
    (absent in bundles from before the text branch: the paper's network)."""
    raw = {
        prefix: {k[len(prefix) :]: v for k, v in tensors.items() if k.startswith(prefix)}
        for prefix in (NET, QUANTITY)
    }
    if device == "cpu" and use_numpy:
        net = numpy_module(raw[NET], "net", network)
        quantity = numpy_module(raw[QUANTITY], "quantity") if raw[QUANTITY] else None
        if net is not None and (quantity is not None or not raw[QUANTITY]):
            return net, quantity
    net_state = _torch_state(tensors, NET)
    h1, gx_dim = net_state["visual.weight"].shape
    h2, gs_dim = net_state["semantic.weight"].shape
    n_tags = net_state["output.weight"].shape[0]
    h3, text_dim = net_state["text.weight"].shape if "text.weight" in net_state else (0, 0)
    torch_net = build_annotation_net(
        int(gx_dim), int(gs_dim), int(n_tags), int(h1), int(h2), text_dim=int(text_dim),
        h3=int(h3) or 128, gx_scale=float(network.get("gx_scale", 1.0)),
        text_dropout=float(network.get("text_dropout", 0.0)),
    )  # fmt: skip
    torch_net.load_state_dict(net_state)
    torch_net.to(device).eval()
    q_state = _torch_state(tensors, QUANTITY)
    torch_quantity = None
    if q_state:
        hidden, in_dim = q_state["net.0.weight"].shape
        torch_quantity = build_quantity_head(int(in_dim), int(hidden))
        torch_quantity.load_state_dict(q_state)
        torch_quantity.to(device).eval()
    return torch_net, torch_quantity


def model_from_contents(
    contents: BundleContents, device: str = "cpu", use_numpy: bool = True
) -> CollectiveModel:
    """Rebuild the model a bundle holds, on ``device`` (on the CPU without importing torch, when it can:
    ``use_numpy`` False builds torch modules whatever the device, as the parity tests compare)."""
    manifest, tensors, arrays = contents.manifest, contents.tensors, contents.arrays
    name = str(manifest.get("version", "?"))
    missing = [k for k in ARRAY_KEYS if k not in arrays]
    if missing:
        raise BundleError(f"model bundle {name} is damaged: arrays.npz lacks {', '.join(missing)}")
    try:
        net, quantity = _modules(tensors, device, dict(manifest.get("network") or {}), use_numpy)
        n_tags = int(tensors[NET + "output.weight"].shape[0])
        head_state = {k[len(HEAD) :]: np.array(v) for k, v in tensors.items() if k.startswith(HEAD)}
        tags = [str(t) for t in manifest["tags"]]
        if n_tags != len(tags) or arrays["relevance"].shape[1] != len(tags):
            raise BundleError(
                f"model bundle {name} is damaged: its tag vocabulary does not match its weights"
            )
        gx = np.ascontiguousarray(arrays["gx"], dtype=np.float32)
        index = _index(gx, contents.index_bytes, name)
        return CollectiveModel(
            tag_labels=tags,
            gx_mode=_one_of(manifest["gx_mode"], get_args(GXMode), "gx_mode", name),
            head_state=head_state,
            gx=index.vectors(),  # a view of the index's own copy: GX is held once in memory too
            relevance=np.ascontiguousarray(arrays["relevance"], dtype=np.float32),
            labels=np.asarray(arrays["labels"], dtype=np.uint8),
            tag_vectors=np.asarray(arrays["tag_vectors"], dtype=np.float32),
            tag_similarity=np.asarray(arrays["tag_similarity"], dtype=np.float32),
            relevance_scale=_relevance_scale(manifest, name),
            record_ids=np.asarray(arrays["record_ids"], dtype=np.int64),
            m=int(manifest["m"]),
            sigma=float(manifest["sigma"]),
            net=net,
            quantity=quantity,
            constant_count=int(manifest["constant_count"]),
            max_count=int(manifest["max_count"]),
            blend_weight=float(manifest["blend_weight"]),
            blend_source=_one_of(
                manifest.get("blend_source", "relevance"), get_args(BlendSource), "blend_source", name
            ),
            knn_k=int(manifest.get("knn_k", 0)),
            raw_features=arrays.get("raw_features"),
            device=device,
            hyperparameters=dict(manifest.get("hyperparameters", {})),
            metrics=dict(manifest.get("metrics", {})),
            index=index,
        )
    except (KeyError, ValueError, RuntimeError, TypeError) as exc:
        raise BundleError(f"model bundle {name} is damaged: {type(exc).__name__}: {exc}") from exc


PROBE_MLP = "probe.mlp."
LOGREG_ARRAYS = "probe_logreg_"
MLP_ARRAYS = "probe_mlp_"
TAG_ORDER_ARRAYS = "tag_order_{mode}_"  # a kind of record's per-tag map (annotator.tag_order)


def product_contents(
    product: ProductModel, manifest: dict[str, Any], word_vectors: WordVectors | None = None
) -> BundleContents:
    """Bundle contents for a product model: the collective model's, plus the probes the choices use,
    each kind of record's choice, per-tag order map, calibration and threshold curve, and the word
    vectors' extra words."""
    contents = model_contents(product.collective, manifest)
    if product.logreg is not None:
        contents.arrays.update({LOGREG_ARRAYS + k: v for k, v in product.logreg.arrays().items()})
    if product.mlp is not None:
        contents.tensors.update({PROBE_MLP + k: v for k, v in _state(product.mlp.module).items()})
        contents.arrays.update(
            {MLP_ARRAYS + "mu": product.mlp.scale.mu, MLP_ARRAYS + "sd": product.mlp.scale.sd}
        )
    if product.collective.raw_features is not None and "raw_features" not in contents.arrays:
        contents.arrays["raw_features"] = product.collective.raw_features.astype(np.float32)
    if word_vectors is not None:
        words, matrix = (
            word_vectors.extra_arrays()
            if word_vectors.source.kind != "catalogue"
            else word_vectors.to_arrays()
        )
        contents.arrays.update(text_words=words, text_vectors=matrix)
        contents.manifest["word_vector_source"] = word_vectors.source.as_dict()
    for name, mode in product.modes.items():
        contents.arrays.update(mode.arrays(TAG_ORDER_ARRAYS.format(mode=name)))
    contents.manifest["product"] = {
        "modes": {name: mode.as_dict() for name, mode in product.modes.items()},
        "logreg": None if product.logreg is None else {"C": product.logreg.C},
        "mlp": None if product.mlp is None else {"epochs": product.mlp.epochs},
        "metrics": product.metrics,
    }
    return contents


def product_from_contents(
    contents: BundleContents, device: str = "cpu", use_numpy: bool = True
) -> ProductModel:
    """The product model a bundle holds; a bundle from before it serves its collective model alone
    (its networks in numpy on the CPU when ``use_numpy`` and their architecture allow)."""
    from heritage_tagger.annotator.probes import LogisticProbe, MLPProbe, Standardiser
    from heritage_tagger.annotator.product import ModeModel, ProductModel, plain_product

    model = model_from_contents(contents, device, use_numpy)
    data = contents.manifest.get("product")
    if not isinstance(data, dict):
        return plain_product(model)
    name = str(contents.manifest.get("version", "?"))
    arrays, tensors = contents.arrays, contents.tensors
    try:
        modes = {
            str(k): ModeModel.from_dict(v, arrays, TAG_ORDER_ARRAYS.format(mode=k))
            for k, v in dict(data["modes"]).items()
        }
        if "image" not in modes:
            raise KeyError("image")
        logreg = None
        if data.get("logreg"):
            parts = {k[len(LOGREG_ARRAYS) :]: v for k, v in arrays.items() if k.startswith(LOGREG_ARRAYS)}
            logreg = LogisticProbe.from_arrays(parts, float(data["logreg"]["C"]))
        mlp = None
        if data.get("mlp"):
            raw = {k[len(PROBE_MLP) :]: v for k, v in tensors.items() if k.startswith(PROBE_MLP)}
            module: nn.Module | NumpyModule | None = (
                numpy_module(raw, "mlp") if device == "cpu" and use_numpy else None
            )
            if module is None:
                state = _torch_state(tensors, PROBE_MLP)
                hidden, in_dim = state["0.weight"].shape
                torch_module = MLPProbe.build(int(in_dim), int(hidden), int(state["3.weight"].shape[0]))
                torch_module.load_state_dict(state)
                torch_module.eval()
                module = torch_module
            scale = Standardiser(np.asarray(arrays[MLP_ARRAYS + "mu"]), np.asarray(arrays[MLP_ARRAYS + "sd"]))
            mlp = MLPProbe(scale, module, int(data["mlp"].get("epochs", 0)))
    except (KeyError, ValueError, RuntimeError, TypeError) as exc:
        raise BundleError(f"model bundle {name} is damaged: {type(exc).__name__}: {exc}") from exc
    return ProductModel(model, modes, logreg, mlp, dict(data.get("metrics", {})))
