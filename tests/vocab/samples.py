"""A tiny SKOS vocabulary written as Turtle, RDF/XML or N-Triples (rdflib serialises it), plus TSV and CSV forms.

Three levels (People > Women > Mothers), English and French labels, alternative and hidden labels,
a name that must not be lemmatised ("United States"), two concepts sharing the alt label "Mercury".
"""

from __future__ import annotations

from pathlib import Path

EX = "http://example.org/subjects/"
SCHEME = "http://example.org/subjects"

TURTLE = f"""\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <{EX}> .

<{SCHEME}> a skos:ConceptScheme ; dct:title "Example subjects"@en, "Sujets exemples"@fr ;
    skos:hasTopConcept ex:people .
ex:people a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "People"@en, "Personnes"@fr ;
    skos:narrower ex:women .
ex:women a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "Women"@en, "Femmes"@fr ;
    skos:altLabel "Females"@en .
ex:mothers a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "Mothers"@en, "Mères"@fr ;
    skos:altLabel "Moms"@en ; skos:broader ex:women ; skos:related ex:children .
ex:children a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "Children"@en ;
    skos:broader ex:people .
ex:us a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "United States"@en ;
    skos:altLabel "USA"@en ; skos:hiddenLabel "U.S.A."@en .
ex:racing a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "Horse racing"@en .
ex:planet a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "Mercury (Planet)"@en ;
    skos:altLabel "Mercury"@en .
ex:element a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "Mercury (Chemical element)"@en ;
    skos:altLabel "Mercury"@en .
ex:chat a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "Cats"@en, "Chat"@fr .
ex:old a skos:Concept ; skos:inScheme <{SCHEME}> ; skos:prefLabel "Old heading"@en ; owl:deprecated true .
"""

N_CONCEPTS = 9  # the deprecated one is left out


def write_skos(folder: Path, fmt: str = "turtle") -> Path:
    """The sample vocabulary as ``turtle``, ``xml`` (RDF/XML) or ``nt`` (N-Triples)."""
    from rdflib import Graph

    folder.mkdir(parents=True, exist_ok=True)
    suffix = {"turtle": ".ttl", "xml": ".rdf", "nt": ".nt"}[fmt]
    path = folder / f"subjects{suffix}"
    if fmt == "turtle":
        path.write_text(TURTLE, encoding="utf-8")
    else:
        Graph().parse(data=TURTLE, format="turtle").serialize(path, format=fmt, encoding="utf-8")
    return path


def write_tsv(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "subjects.tsv"
    path.write_text(
        f"# a comment\n<{EX}women>\tWomen\n<{EX}us>\tUnited States\n{EX}racing\tHorse racing\t123\n"
        f"<{EX}women>\tFemales\n\nbroken line without a tab\n",
        encoding="utf-8",
    )
    return path


def write_csv(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "subjects.csv"
    path.write_text(
        "\ufeffuri,pref_label,alt_labels,broader\n"
        f"{EX}people,People,,\n"
        f"{EX}women,Women,Females|Ladies,{EX}people\n"
        f"{EX}mothers,Mothers,Moms,{EX}women\n"
        f'{EX}us,"United States",USA,\n'
        f",No URI,,\n",
        encoding="utf-8",
    )
    return path
