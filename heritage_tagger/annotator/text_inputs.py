"""The record's own text as inputs of the fused network's third branch: a caption embedding and the tags it names.

A record's title and description (its caption) and its location are embedded with the model's word
vectors (``WordVectors.phrase``: the mean of the known content words, lemmatised), each scaled to
unit length, and concatenated: ``GT = [caption; location]`` (zeros for a part the record lacks).
Beside it, ``lexical[i, t] = 1`` when the caption or location names tag ``t`` of the model's
vocabulary (``vocab.lexicon``). A record without text gets zeros in both, which is what the
network sees for the records whose text is hidden during training (``AnnotationNet.text_dropout``),
so it then answers from the image alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from heritage_tagger.text.word_vectors import WordVectors
    from heritage_tagger.vocab.lexicon import Lexicon


@dataclass(frozen=True)
class RecordText:
    """What a record says about itself: title, description and location, as catalogued."""

    title: str = ""
    description: str = ""
    location: str = ""

    @property
    def caption(self) -> str:
        """Title and description (one of them when they are the same text)."""
        title, description = self.title.strip(), self.description.strip()
        if not description or description == title:
            return title
        if not title or title in description:
            return description
        return f"{title}. {description}"

    @property
    def empty(self) -> bool:
        return not (self.caption or self.location.strip())

    def searchable(self) -> str:
        """The text the lexical pathway reads: caption and location."""
        return " ; ".join(part for part in (self.caption, self.location.strip()) if part)


NO_TEXT = RecordText()


@dataclass
class TextInputs:
    """The third branch's inputs for a set of rows: ``embedding`` float32[n, 2 * dim], ``lexical``
    float32[n, T], and which rows have any text."""

    embedding: np.ndarray
    lexical: np.ndarray
    present: np.ndarray  # bool[n]

    def __len__(self) -> int:
        return len(self.present)

    def rows(self, index: np.ndarray | Sequence[int]) -> TextInputs:
        idx = np.asarray(index, dtype=np.int64)
        return TextInputs(self.embedding[idx], self.lexical[idx], self.present[idx])

    def blanked(self) -> TextInputs:
        """The same rows with their text hidden (the image-only inputs)."""
        return TextInputs(
            np.zeros_like(self.embedding), np.zeros_like(self.lexical), np.zeros_like(self.present)
        )

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return self.embedding, self.lexical

    @property
    def dims(self) -> tuple[int, int]:
        """(embedding size, number of tags)."""
        return int(self.embedding.shape[1]), int(self.lexical.shape[1])


def _unit(vector: np.ndarray | None, dim: int) -> np.ndarray:
    if vector is None:
        return np.zeros(dim, dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 and np.isfinite(norm) else np.zeros(dim, np.float32)


def encode_texts(texts: Sequence[RecordText], vectors: WordVectors, tag_lexicon: Lexicon) -> TextInputs:
    """``TextInputs`` of ``texts``; ``tag_lexicon`` holds the model's tags, in the model's order."""
    dim = vectors.dim
    n, n_tags = len(texts), len(tag_lexicon)
    embedding = np.zeros((n, 2 * dim), dtype=np.float32)
    lexical = np.zeros((n, n_tags), dtype=np.float32)
    present = np.zeros(n, dtype=bool)
    for i, text in enumerate(texts):
        if text.empty:
            continue
        present[i] = True
        caption, location = text.caption, text.location.strip()
        embedding[i, :dim] = _unit(vectors.phrase(caption) if caption else None, dim)
        embedding[i, dim:] = _unit(vectors.phrase(location) if location else None, dim)
        for hit in tag_lexicon.find(text.searchable()):
            lexical[i, hit.entry] = 1.0
    return TextInputs(embedding, lexical, present)


def blank_inputs(n: int, embedding_dim: int, n_tags: int) -> TextInputs:
    """Image-only inputs for ``n`` rows."""
    return TextInputs(
        np.zeros((n, embedding_dim), np.float32), np.zeros((n, n_tags), np.float32), np.zeros(n, bool)
    )
