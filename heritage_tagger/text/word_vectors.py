"""Word vectors for tags (the matrix H of eq. 12): loaded word2vec/fastText/GloVe files or gensim-trained."""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.settings import ModelSettings

_DEFAULTS = ModelSettings()
_RAW_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_FASTTEXT_MAGIC = 793712314  # first int32 of a fastText .bin model


class WordVectorError(HeritageTaggerError):
    """A word-vector file cannot be read."""


class WordVectors:
    """A read-only map from words to float32 vectors, with phrase and tag-matrix helpers.

    ``oov`` (optional) gives vectors for words outside the table, as fastText does from
    character n-grams; it is not part of ``to_arrays()``: a bundle stores ``H`` itself.
    """

    def __init__(
        self,
        words: Sequence[str],
        matrix: np.ndarray,
        oov: Callable[[str], np.ndarray | None] | None = None,
    ) -> None:
        matrix = np.asarray(matrix, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[0] != len(words):
            raise ValueError(f"{len(words)} words but a matrix of shape {matrix.shape}")
        self._words = [str(w) for w in words]
        self._matrix = np.ascontiguousarray(matrix)
        self._index = {w: i for i, w in enumerate(self._words)}
        self._oov = oov

    @property
    def dim(self) -> int:
        return int(self._matrix.shape[1])

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._index

    def word(self, w: str) -> np.ndarray | None:
        """The vector of ``w`` as written, or None when it is unknown."""
        i = self._index.get(w)
        if i is not None:
            return self._matrix[i]
        if self._oov is not None:
            return self._oov(w)
        return None

    def _lookup(self, raw: str) -> np.ndarray | None:
        """A word tried as its lemma, lower-cased, then as written (Google News keeps case)."""
        from heritage_tagger.text.lemmatise import lemmatise_tag

        for form in dict.fromkeys((lemmatise_tag(raw), raw.lower(), raw)):
            if form in self._index:
                return self._matrix[self._index[form]]
        return self.word(lemmatise_tag(raw)) if self._oov is not None else None

    def phrase(self, text: str) -> np.ndarray | None:
        """Mean vector of the known words of ``text`` (stop words skipped when others are known).

        A multi-word phrase that the table holds as one token (``New_York``) is used as such.
        """
        from heritage_tagger.text.lemmatise import tokens

        text = (text or "").strip()
        raw = _RAW_WORD.findall(text)
        if not raw:
            return None
        whole = (text, text.lower(), "_".join(raw), "_".join(w.lower() for w in raw))
        for joined in dict.fromkeys(whole):
            if joined in self._index:
                return self._matrix[self._index[joined]].copy()
        content = [w for w in raw if not w.isalpha() or tokens(w)]  # numbers count as content
        for group in (content, raw):
            vectors = [v for v in (self._lookup(w) for w in group) if v is not None]
            if vectors:
                return np.mean(np.stack(vectors), axis=0).astype(np.float32)
        return None

    def tag_matrix(self, labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``H`` (float32[T, dim]) and ``has_vector`` (bool[T]); an unknown tag gets a zero row."""
        h = np.zeros((len(labels), self.dim), dtype=np.float32)
        has = np.zeros(len(labels), dtype=bool)
        for t, label in enumerate(labels):
            vec = self.phrase(label)
            if vec is not None and np.all(np.isfinite(vec)):
                h[t] = vec
                has[t] = True
        return h, has

    def to_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(words as a numpy unicode array, float32 matrix): storable without pickle."""
        return np.array(self._words, dtype=np.str_), self._matrix.copy()

    @classmethod
    def from_arrays(cls, words: np.ndarray | Sequence[str], matrix: np.ndarray) -> WordVectors:
        return cls([str(w) for w in words], matrix)


def _open_text(path: Path) -> Iterable[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def _has_header(path: Path) -> bool:
    """word2vec/fastText text files start with "count dim"; GloVe files start with a vector."""
    with _open_text(path) as handle:  # type: ignore[attr-defined]
        first = next(iter(handle), "").split()
    return len(first) == 2 and all(part.isdigit() for part in first)


def _kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
    if len(head) == 4 and int.from_bytes(head, "little") == _FASTTEXT_MAGIC:
        return "fasttext"
    if path.suffix == ".bin" or path.name.endswith(".bin.gz"):
        return "word2vec-binary"
    return "word2vec-text" if _has_header(path) else "glove"


def load_word_vectors(path: str | Path, limit: int | None = None) -> WordVectors:
    """Load a word2vec (binary or text), fastText (.bin) or GloVe (text, no header) file.

    ``limit`` keeps only the first words of a word2vec/GloVe file (they are sorted by
    frequency), which bounds memory for the 3-million-word Google News vectors.
    """
    from gensim.models import KeyedVectors

    path = Path(path).expanduser()
    if not path.is_file():
        raise WordVectorError(f"The word-vector file {path} does not exist.")
    kind = _kind(path)
    try:
        if kind == "fasttext":
            from gensim.models.fasttext import load_facebook_vectors

            ft = load_facebook_vectors(str(path))

            def oov(word: str) -> np.ndarray | None:
                vec = np.asarray(ft.get_vector(word), dtype=np.float32)
                return vec if np.any(vec) else None

            keys = ft.index_to_key[:limit] if limit else ft.index_to_key
            return WordVectors(keys, ft.vectors[: len(keys)], oov=oov)
        try:
            kv = KeyedVectors.load_word2vec_format(
                str(path),
                binary=kind == "word2vec-binary",
                no_header=kind == "glove",
                limit=limit,
                unicode_errors="replace",
            )
        except (ValueError, UnicodeError):
            if kind != "word2vec-text":
                raise
            kind = "word2vec-binary"  # a binary file without the .bin suffix
            kv = KeyedVectors.load_word2vec_format(
                str(path), binary=True, limit=limit, unicode_errors="replace"
            )
    except (ValueError, OSError, EOFError, UnicodeError) as exc:
        raise WordVectorError(f"The word-vector file {path} cannot be read as {kind}: {exc}") from exc
    return WordVectors(kv.index_to_key, kv.vectors)


def _stable_hash(text: str) -> int:
    """Python's ``hash`` changes between processes; gensim only needs some stable hash."""
    return zlib.crc32(text.encode("utf-8"))


def train_word_vectors(
    sentences: Iterable[Sequence[str]],
    dim: int = _DEFAULTS.word_vector_size,
    seed: int = _DEFAULTS.seed,
    epochs: int | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> WordVectors:
    """Word2Vec (skip-gram) on the catalogue's own lemmatised titles, descriptions and tags.

    One worker thread and a fixed seed make it deterministic; tiny corpora get more epochs
    (``max(5, 2000 // n_sentences)``, at most 50) unless ``epochs`` is given.
    """
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec

    corpus = [[str(w) for w in s] for s in sentences]
    corpus = [s for s in corpus if s]
    if not corpus:
        return WordVectors([], np.zeros((0, dim), dtype=np.float32))
    n_epochs = epochs if epochs is not None else min(50, max(5, 2000 // len(corpus)))

    class _Report(CallbackAny2Vec):  # type: ignore[misc]
        def __init__(self) -> None:
            self.epoch = 0

        def on_epoch_end(self, model: object) -> None:
            self.epoch += 1
            progress(Progress("word vectors", self.epoch, n_epochs, "Training word vectors"))
            if cancel is not None:
                cancel.check()

    if cancel is not None:
        cancel.check()
    model = Word2Vec(
        sentences=corpus,
        vector_size=dim,
        window=5,
        min_count=1,
        sg=1,
        workers=1,
        seed=seed,
        epochs=n_epochs,
        hashfxn=_stable_hash,
        callbacks=[_Report()],
    )
    return WordVectors(model.wv.index_to_key, model.wv.vectors)


def word_vectors_for(
    sentences: Iterable[Sequence[str]],
    settings: ModelSettings,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> tuple[WordVectors, str]:
    """The word vectors a model is trained with, and where they came from in words: the file
    ``settings.word_vector_path`` (its first ``word_vector_limit`` words) when set, else vectors of
    ``word_vector_size`` dimensions trained on ``sentences`` (the training records' own text)."""
    progress(Progress("word vectors", 0, 1))
    if settings.word_vector_path:
        vectors = load_word_vectors(settings.word_vector_path, settings.word_vector_limit)
        source = f"file {settings.word_vector_path}"
    else:
        vectors = train_word_vectors(
            sentences, settings.word_vector_size, settings.seed, progress=progress, cancel=cancel
        )
        source = "trained on the catalogue's titles, descriptions and tags"
    progress(Progress("word vectors", 1, 1, source))
    return vectors, source
