"""Word vectors: gensim training is deterministic, phrases average their words, files of each format load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.text.word_vectors import (
    WordVectorError,
    WordVectors,
    load_word_vectors,
    train_word_vectors,
)

CORPUS = [
    ["harbour", "bridge", "opening", "crowd"],
    ["bridge", "construction", "worker", "steel"],
    ["tram", "street", "city", "crowd"],
    ["beach", "surf", "swimmer", "sand"],
    ["harbour", "ferry", "wharf", "boat"],
    ["street", "parade", "crowd", "flag"],
    ["beach", "lifesaver", "surf", "sand"],
    ["ferry", "boat", "harbour", "wharf"],
] * 3


def test_training_is_deterministic_with_a_seed() -> None:
    a = train_word_vectors(CORPUS, dim=16, seed=0)
    b = train_word_vectors(CORPUS, dim=16, seed=0)
    c = train_word_vectors(CORPUS, dim=16, seed=1)
    wa, ma = a.to_arrays()
    wb, mb = b.to_arrays()
    wc, mc = c.to_arrays()
    assert a.dim == 16 and len(a) == len({w for s in CORPUS for w in s})
    assert list(wa) == list(wb) and np.array_equal(ma, mb)
    assert list(wa) == list(wc) and not np.allclose(ma, mc)
    assert np.all(np.isfinite(ma)) and np.abs(ma).sum() > 0


def test_training_reports_progress_and_can_be_cancelled() -> None:
    reports: list[Progress] = []
    train_word_vectors(CORPUS[:8], dim=8, seed=0, epochs=3, progress=reports.append)
    assert [r.done for r in reports] == [1, 2, 3]
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        train_word_vectors(CORPUS, dim=8, seed=0, cancel=token)


def test_empty_corpus_gives_empty_vectors() -> None:
    wv = train_word_vectors([[], []], dim=8)
    assert len(wv) == 0 and wv.dim == 8
    h, has = wv.tag_matrix(["bridge"])
    assert h.shape == (1, 8) and not has[0]


def test_multi_word_tag_averages_its_words() -> None:
    wv = WordVectors.from_arrays(
        ["harbour", "bridge", "opening"], np.array([[1, 0], [0, 1], [4, 4]], np.float32)
    )
    # "Bridges" is lemmatised to "bridge"; "Sydney" is unknown and skipped; "of"/"the" are stop words
    assert wv.phrase("Harbour Bridges") == pytest.approx([0.5, 0.5])
    assert wv.phrase("Sydney Harbour Bridge") == pytest.approx([0.5, 0.5])
    assert wv.phrase("Opening of the bridge") == pytest.approx([2.0, 2.5])
    assert wv.word("harbour") == pytest.approx([1, 0])
    assert wv.word("Harbour") is None  # word() is an exact lookup


def test_unknown_tag_gets_a_zero_row() -> None:
    wv = WordVectors.from_arrays(["harbour", "bridge"], np.array([[1, 0], [0, 1]], np.float32))
    h, has = wv.tag_matrix(["Harbour bridge", "zebra crossing", "", "1932"])
    assert h.dtype == np.float32 and h.shape == (4, 2)
    assert has.tolist() == [True, False, False, False]
    assert h[0] == pytest.approx([0.5, 0.5])
    assert np.all(h[1:] == 0)


def test_phrase_uses_a_joined_multi_word_token() -> None:
    wv = WordVectors.from_arrays(["New_York", "new", "york"], np.array([[9, 9], [1, 0], [0, 1]], np.float32))
    assert wv.phrase("New York") == pytest.approx([9, 9])
    assert wv.phrase("york new") == pytest.approx([0.5, 0.5])


def test_phrase_with_digits() -> None:
    wv = WordVectors.from_arrays(["1932", "olympics", "b17"], np.array([[1, 1], [3, 3], [5, 5]], np.float32))
    assert wv.phrase("1932 Olympics") == pytest.approx([2, 2])
    assert wv.phrase("B17") == pytest.approx([5, 5])


def test_arrays_round_trip_without_pickle(tmp_path: Path) -> None:
    wv = train_word_vectors(CORPUS[:8], dim=8, seed=0, epochs=2)
    words, matrix = wv.to_arrays()
    np.savez(tmp_path / "wv.npz", words=words, matrix=matrix)
    with np.load(tmp_path / "wv.npz", allow_pickle=False) as data:
        back = WordVectors.from_arrays(data["words"], data["matrix"])
    assert back.dim == 8 and len(back) == len(wv)
    for w in ("harbour", "surf"):
        assert np.array_equal(back.word(w), wv.word(w))


def test_load_word2vec_text(tmp_path: Path) -> None:
    path = tmp_path / "vectors.txt"
    path.write_text("3 2\nharbour 1.0 0.0\nbridge 0.0 1.0\nferry 0.5 0.5\n", encoding="utf-8")
    wv = load_word_vectors(path)
    assert wv.dim == 2 and len(wv) == 3
    assert wv.word("ferry") == pytest.approx([0.5, 0.5])
    assert load_word_vectors(path, limit=2).word("ferry") is None


def test_load_glove_text(tmp_path: Path) -> None:
    path = tmp_path / "glove.6B.3d.txt"
    path.write_text("harbour 1 0 0\nbridge 0 1 0\nferry 0 0 1\nboat 0 0 2\n", encoding="utf-8")
    wv = load_word_vectors(path)
    assert wv.dim == 3 and len(wv) == 4
    assert wv.phrase("ferry boats") == pytest.approx([0, 0, 1.5])


def test_load_word2vec_binary(tmp_path: Path) -> None:
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=3)
    kv.add_vectors(["harbour", "bridge"], np.array([[1, 2, 3], [4, 5, 6]], np.float32))
    path = tmp_path / "vectors.bin"
    kv.save_word2vec_format(str(path), binary=True)
    wv = load_word_vectors(path)
    assert wv.word("bridge") == pytest.approx([4, 5, 6])
    renamed = path.rename(tmp_path / "vectors.w2v")  # binary without the .bin suffix
    assert load_word_vectors(renamed).word("harbour") == pytest.approx([1, 2, 3])


def test_load_fasttext_bin_gives_vectors_for_unseen_words(tmp_path: Path) -> None:
    from gensim.models import FastText
    from gensim.models.fasttext import save_facebook_model

    model = FastText(vector_size=8, min_count=1, workers=1, seed=0, epochs=3, min_n=3, max_n=4, bucket=2000)
    model.build_vocab(CORPUS)
    model.train(CORPUS, total_examples=len(CORPUS), epochs=3)
    path = tmp_path / "model.bin"
    save_facebook_model(model, str(path))
    wv = load_word_vectors(path)
    assert wv.dim == 8
    assert wv.word("harbour") == pytest.approx(model.wv["harbour"], abs=1e-5)
    assert "harbours" not in wv and wv.word("harbours") is not None  # from character n-grams


def test_missing_or_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WordVectorError, match="does not exist"):
        load_word_vectors(tmp_path / "none.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("2 3\nharbour 1 2\n", encoding="utf-8")
    with pytest.raises(WordVectorError, match="cannot be read"):
        load_word_vectors(bad)
