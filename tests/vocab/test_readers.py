"""Vocabulary files: SKOS in three syntaxes, TSV and CSV, read into concepts; bad files refused in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from heritage_tagger.domain.errors import CancelledError, VocabularyError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.domain.vocabulary import LabelKind
from heritage_tagger.vocab.concept import VocabularyFormat
from heritage_tagger.vocab.reader import detect_format, read_vocabulary
from tests.vocab.samples import EX, N_CONCEPTS, SCHEME, write_csv, write_skos, write_tsv


@pytest.mark.parametrize("fmt", ["turtle", "xml", "nt"])
def test_skos_in_every_syntax_gives_the_same_concepts(tmp_path: Path, fmt: str) -> None:
    parsed = read_vocabulary(write_skos(tmp_path, fmt))
    by_uri = {c.uri: c for c in parsed.concepts}
    assert len(by_uri) == N_CONCEPTS and f"{EX}old" not in by_uri  # deprecated left out
    assert parsed.skipped_deprecated == 1 and any("deprecated" in w for w in parsed.warnings)
    assert parsed.scheme_uri == SCHEME and parsed.title == "Example subjects"
    assert parsed.main_language() == "en"
    women = by_uri[f"{EX}women"]
    assert sorted(women.labels) == sorted(
        [(LabelKind.PREF, "Women", "en"), (LabelKind.PREF, "Femmes", "fr"), (LabelKind.ALT, "Females", "en")]
    )
    assert women.broader == [f"{EX}people"]  # from the parent's skos:narrower
    assert by_uri[f"{EX}mothers"].broader == [f"{EX}women"]
    assert by_uri[f"{EX}mothers"].related == [f"{EX}children"]
    assert (LabelKind.HIDDEN, "U.S.A.", "en") in by_uri[f"{EX}us"].labels
    assert women.scheme == SCHEME
    assert by_uri[f"{EX}people"].scheme == SCHEME
    assert women.display_label("fr") == "Femmes" and women.display_label("en") == "Women"


def test_skos_xl_labels_are_read(tmp_path: Path) -> None:
    path = tmp_path / "xl.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix skosxl: <http://www.w3.org/2008/05/skos-xl#> .\n"
        '<http://x/c1> a skos:Concept ; skosxl:prefLabel <http://x/l1> ; skosxl:altLabel [ skosxl:literalForm "Boats"@en ] .\n'
        '<http://x/l1> skosxl:literalForm "Ships"@en .\n',
        encoding="utf-8",
    )
    (concept,) = read_vocabulary(path).concepts
    assert set(concept.labels) == {(LabelKind.PREF, "Ships", "en"), (LabelKind.ALT, "Boats", "en")}


def test_tsv(tmp_path: Path) -> None:
    parsed = read_vocabulary(write_tsv(tmp_path), language="en")
    by_uri = {c.uri: c for c in parsed.concepts}
    assert set(by_uri) == {f"{EX}women", f"{EX}us", f"{EX}racing"}
    assert by_uri[f"{EX}women"].labels == [(LabelKind.PREF, "Women", "en"), (LabelKind.ALT, "Females", "en")]
    assert by_uri[f"{EX}racing"].labels == [(LabelKind.PREF, "Horse racing", "en")]  # notation column ignored
    assert parsed.warnings == ["1 lines skipped: line 7 (no URI)."]


def test_csv(tmp_path: Path) -> None:
    parsed = read_vocabulary(write_csv(tmp_path))
    by_uri = {c.uri: c for c in parsed.concepts}
    assert len(by_uri) == 4
    assert by_uri[f"{EX}women"].labels == [
        (LabelKind.PREF, "Women", ""), (LabelKind.ALT, "Females", ""), (LabelKind.ALT, "Ladies", "")
    ]  # fmt: skip
    assert by_uri[f"{EX}mothers"].broader == [f"{EX}women"]
    assert parsed.warnings and "line 6 (no URI)" in parsed.warnings[0]


def test_csv_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("id,name\n1,Boats\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="needs the columns uri, pref_label"):
        read_vocabulary(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.ttl",
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> skos:prefLabel ",
            "not valid turtle RDF",
        ),
        (
            "bad.rdf",
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><oops",
            "not valid rdfxml RDF",
        ),
        ("bad.nt", "<http://x/a> <http://x/b> .\n", "not valid ntriples RDF"),
        ("empty.ttl", "@prefix ex: <http://x/> .\nex:a ex:b ex:c .\n", "has no SKOS concepts"),
        (
            "bomb.rdf",
            "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>",
            "refused for safety",
        ),
        ("v.xyz", "anything", "Cannot tell the format"),
        ("latin.tsv", "<http://x/1>\tCaf\xe9\n", "not UTF-8"),
    ],
)
def test_bad_files_get_a_plain_message(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    if name == "latin.tsv":
        path.write_bytes(content.encode("latin-1"))
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(VocabularyError, match=message):
        read_vocabulary(path)


def test_missing_file_and_explicit_format(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="No vocabulary file"):
        read_vocabulary(tmp_path / "nothing.ttl")
    assert detect_format(Path("x.txt"), "nt") is VocabularyFormat.NTRIPLES
    with pytest.raises(VocabularyError, match="Unknown vocabulary format"):
        detect_format(Path("x.ttl"), "jsonld")


def test_reading_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    path = tmp_path / "big.nt"
    skos = "http://www.w3.org/2004/02/skos/core#"
    path.write_text(
        "".join(f'<http://x/{i}> <{skos}prefLabel> "Concept {i}"@en .\n' for i in range(12000)),
        encoding="utf-8",
    )
    seen: list[Progress] = []
    assert len(read_vocabulary(path, progress=seen.append).concepts) == 12000
    assert seen and seen[-1].done >= 10000
    token = CancelToken()

    def cancel_soon(p: Progress) -> None:
        token.cancel()

    with pytest.raises(CancelledError):
        read_vocabulary(path, progress=cancel_soon, cancel=token)
