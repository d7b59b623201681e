"""The record's own text as network inputs, and the lexical pathway's confidence measured leaving each record out."""

from __future__ import annotations

import numpy as np

from heritage_tagger.annotator.caption_tags import LexicalPrior, lexical_prior
from heritage_tagger.annotator.text_inputs import RecordText, encode_texts
from heritage_tagger.text.word_vectors import WordVectors
from heritage_tagger.vocab.lexicon import Lexicon

VECTORS = WordVectors(
    ["harbour", "boat", "regatta", "sydney", "street"], np.eye(5, 4, dtype=np.float32) + 0.1
)


def test_caption_and_location_are_embedded_and_named_tags_flagged() -> None:
    texts = [
        RecordText("Regatta on the harbour", "Regatta on the harbour", "Sydney"),
        RecordText("", "", ""),
        RecordText("Photo 3", "Boats in the street", ""),
    ]
    inputs = encode_texts(texts, VECTORS, Lexicon.of_labels(["Boats", "Regattas", "Harbours"]))
    assert inputs.embedding.shape == (3, 8) and inputs.lexical.shape == (3, 3) and inputs.dims == (8, 3)
    assert inputs.present.tolist() == [True, False, True]
    assert inputs.lexical.tolist() == [[0, 1, 1], [0, 0, 0], [1, 0, 0]]
    np.testing.assert_allclose(np.linalg.norm(inputs.embedding[0, :4]), 1.0, atol=1e-6)  # unit caption part
    np.testing.assert_allclose(np.linalg.norm(inputs.embedding[0, 4:]), 1.0, atol=1e-6)  # unit location part
    assert not inputs.embedding[1].any() and not inputs.embedding[2, 4:].any()  # no location: zeros
    hidden = inputs.rows([0, 2]).blanked()
    assert not hidden.embedding.any() and not hidden.lexical.any() and not hidden.present.any()
    assert texts[2].caption == "Photo 3. Boats in the street" and texts[0].caption == "Regatta on the harbour"


def test_lexical_prior_counts_only_labels_another_record_vouches_for() -> None:
    texts = [
        RecordText("Boats at the regatta", "", ""),
        RecordText("Boats in the harbour", "", ""),
        RecordText("A street with boats", "", ""),
        RecordText("Tidal Basin in spring", "", ""),
    ]
    labels = [["Boats", "Regattas"], ["Boats"], ["Streets"], ["Tidal Basin"]]
    prior = lexical_prior(texts, labels)
    # "Boats" named 3 times, carried by the first two (right) not the third; "regatta" and "Tidal
    # Basin" only on the record whose caption names them: they cannot vouch for themselves
    assert prior.matches == {"phrase": 0, "word": 3} and prior.right == {"phrase": 0, "word": 2}
    assert 0.5 < prior.probability("word") < 2 / 3 + 1e-9
    assert prior.probability("phrase") == prior.overall()  # no phrase seen: the overall share
    assert LexicalPrior.from_dict(prior.as_dict()).probability("word") == prior.probability("word")
