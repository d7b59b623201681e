"""Model bundles on disk: safetensors weights, JSON manifest, faiss index, npz matrices, checksums."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from heritage_tagger.domain.errors import BundleError

FORMAT_VERSION = 1
WEIGHTS = "weights.safetensors"
MANIFEST = "manifest.json"
INDEX = "index.faiss"
ARRAYS = "arrays.npz"
CHECKSUMS = "CHECKSUMS.json"
REQUIRED = (WEIGHTS, MANIFEST, INDEX, ARRAYS)


@dataclass
class BundleContents:
    """Everything a bundle holds, as plain arrays, bytes and JSON data."""

    manifest: dict[str, Any]
    tensors: dict[str, np.ndarray]
    arrays: dict[str, np.ndarray]
    index_bytes: bytes


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_write(path: Path, data: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_bundle(final_dir: Path, contents: BundleContents) -> Path:
    """Write a bundle into a temporary folder beside ``final_dir``, then rename it into place."""
    from safetensors.numpy import save_file

    final_dir = Path(final_dir)
    if final_dir.exists():
        raise BundleError(f"A model bundle named {final_dir.name} already exists.")
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = final_dir.parent / f".{final_dir.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        manifest = dict(contents.manifest)
        manifest["format_version"] = FORMAT_VERSION
        manifest.setdefault("version", final_dir.name)
        tensors = {k: np.ascontiguousarray(v) for k, v in contents.tensors.items()}
        save_file(tensors, str(tmp / WEIGHTS), metadata={"format_version": str(FORMAT_VERSION)})
        _fsync_write(tmp / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8"))
        _fsync_write(tmp / INDEX, contents.index_bytes)
        with (tmp / ARRAYS).open("wb") as fh:
            np.savez(
                fh, allow_pickle=False, **{k: np.ascontiguousarray(v) for k, v in contents.arrays.items()}
            )
            fh.flush()
            os.fsync(fh.fileno())
        sums = {name: sha256_file(tmp / name) for name in sorted(os.listdir(tmp))}
        _fsync_write(tmp / CHECKSUMS, json.dumps(sums, indent=2, sort_keys=True).encode("utf-8"))
        os.rename(tmp, final_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final_dir


def verify_bundle(bundle_dir: Path) -> dict[str, str]:
    """Check that every file is present and matches CHECKSUMS.json; returns the checksums."""
    bundle_dir = Path(bundle_dir)
    name = bundle_dir.name
    if not bundle_dir.is_dir():
        raise BundleError(f"model bundle {name} is missing: {bundle_dir} does not exist")
    try:
        sums = json.loads((bundle_dir / CHECKSUMS).read_text("utf-8"))
    except FileNotFoundError as exc:
        raise BundleError(f"model bundle {name} is damaged: {CHECKSUMS} is missing") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleError(f"model bundle {name} is damaged: {CHECKSUMS} cannot be read") from exc
    if not isinstance(sums, dict):
        raise BundleError(f"model bundle {name} is damaged: {CHECKSUMS} cannot be read")
    for required in REQUIRED:
        if required not in sums:
            raise BundleError(f"model bundle {name} is damaged: {required} is not listed in {CHECKSUMS}")
    for file_name, expected in sums.items():
        path = bundle_dir / str(file_name)
        if Path(str(file_name)).name != file_name or not path.is_file():
            raise BundleError(f"model bundle {name} is damaged: {file_name} is missing")
        if sha256_file(path) != expected:
            raise BundleError(f"model bundle {name} is damaged: {file_name} does not match its checksum")
    return {str(k): str(v) for k, v in sums.items()}


def read_bundle(bundle_dir: Path) -> BundleContents:
    """Verify and read a bundle. Raises BundleError on any mismatch; never unpickles."""
    from safetensors.numpy import load_file

    bundle_dir = Path(bundle_dir)
    name = bundle_dir.name
    verify_bundle(bundle_dir)
    try:
        manifest = json.loads((bundle_dir / MANIFEST).read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleError(f"model bundle {name} is damaged: {MANIFEST} cannot be read") from exc
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if version != FORMAT_VERSION:
        raise BundleError(
            f"model bundle {name} has format version {version!r}; this version of Heritage Tagger "
            f"reads format {FORMAT_VERSION}: retrain the model"
        )
    from safetensors import SafetensorError

    try:
        tensors = load_file(str(bundle_dir / WEIGHTS))
    except (SafetensorError, ValueError, OSError) as exc:
        raise BundleError(
            f"model bundle {name} is damaged or was tampered with: {WEIGHTS} is not a safetensors file "
            f"({exc}); it was not loaded. Activate another version or retrain."
        ) from exc
    try:
        with np.load(bundle_dir / ARRAYS, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (ValueError, OSError, EOFError) as exc:
        raise BundleError(
            f"model bundle {name} is damaged or was tampered with: {ARRAYS} cannot be read safely ({exc}); "
            "it was not loaded. Activate another version or retrain."
        ) from exc
    index_bytes = (bundle_dir / INDEX).read_bytes()
    return BundleContents(manifest=manifest, tensors=tensors, arrays=arrays, index_bytes=index_bytes)
