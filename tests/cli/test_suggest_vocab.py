"""`heritage-tagger suggest` in the vocabulary: concepts a record's text names when no model is trained
yet, and the model's tags with their concept's preferred label, URI and broader path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heritage_tagger.cli import main
from heritage_tagger.services import review
from heritage_tagger.services import vocab_suggesting as vs
from heritage_tagger.services import vocabularies as vocab
from heritage_tagger.services.catalogue import open_catalogue
from tests.factories import add_tagged_record
from tests.vocab.samples import EX, write_skos

SUBJECTS = "http://example.org/classes/"


def test_no_model_yet_gives_the_concepts_the_text_names(
    catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_catalogue(catalogue_path) as cat:
        add_tagged_record(cat, "r1", {}, title="Mothers at the races", description="In the U.S.A.")
    args = ["--catalogue", str(catalogue_path), "suggest", "r1"]
    assert main(args) == 1  # no model and no vocabulary: the old message
    assert "No model has been trained" in capsys.readouterr().err
    assert main(["--catalogue", str(catalogue_path), "vocab", "import", str(write_skos(tmp_path))]) == 0
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == "vocabulary" and data["identifier"] == "r1" and data["model_version"] is None
    tags = {t["tag"]: t for t in data["vocabulary_tags"]}
    assert set(tags) == {"Mothers", "United States"}
    assert tags["Mothers"]["uri"] == f"{EX}mothers" and tags["Mothers"]["broader"] == ["People", "Women"]
    assert tags["United States"]["field"] == "description" and tags["United States"]["phrase"] == "U.S.A."
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "no model yet" in text and "People › Women › Mothers" in text and 'title: "Mothers"' in text
    assert main(["--catalogue", str(catalogue_path), "suggest", "nope"]) == 1
    assert "No model has been trained" in capsys.readouterr().err
    # accept one by its preferred label, in any case: logged for the reviewer, stored with its concept
    assert main([*args, "--accept", "mothers", "--reviewer", "ann"]) == 0
    assert "Accepted 'Mothers' for r1 (People › Women › Mothers <" in capsys.readouterr().out
    with open_catalogue(catalogue_path) as cat:
        (decision,) = review.decisions_for(cat, 1)
        assert (decision.label, decision.reviewer, decision.action.value) == ("Mothers", "ann", "accept")
        assert vs.label_concepts(cat, ["Mothers"])["Mothers"].concept.uri == f"{EX}mothers"
    assert main([*args, "--accept", "Horse racing"]) == 1
    assert "'Horse racing' is not among the suggestions for r1" in capsys.readouterr().err


def test_model_tags_carry_their_concepts(trained, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "classes.csv"
    source.write_text(
        "uri,pref_label,alt_labels,broader\n"
        f"{SUBJECTS}nature,Nature,,\n{SUBJECTS}forests,Forests,Woods,{SUBJECTS}nature\n"
        f"{SUBJECTS}trees,Trees,,{SUBJECTS}nature\n{SUBJECTS}boats,Boats,Ships,\n",
        encoding="utf-8",
    )
    vocab.import_vocabulary(trained, source, name="classes")
    assert main(["--catalogue", str(trained.path), "suggest", "REC-1-02", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    tags = {t["tag"]: t for group in ("model_tags", "neighbour_tags", "existing_tags") for t in data[group]}
    assert tags["Forests"]["uri"] == f"{SUBJECTS}forests" and tags["Forests"]["broader"] == ["Nature"]
    assert tags["Forests"]["label"] == "Forests"
    assert tags["Barns"]["uri"] is None and tags["Barns"]["label"] is None  # not in the vocabulary
