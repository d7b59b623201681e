"""Vocabulary import and label look-up at scale: a generated 100,000-concept SKOS vocabulary.

    .venv/bin/python scripts/bench_vocab.py [--concepts 100000] [--format turtle --format ntriples ...]
        [--tags 5000] [--lookups 2000] [--captions 300] [--workdir DIR]

For each format: a vocabulary of ``--concepts`` concepts is generated (an English preferred label,
one or two English alternative labels, a French preferred label, a broader concept: a tree ten
wide, five deep; about 6.5 statements per concept) and imported into a fresh catalogue holding
``--tags`` tags (half of them a variant of some label: other case, singular, trailing period; half
unknown), which the import then links. Printed: the wall time of each stage (reading, saving
concepts, hierarchy, linking) and in total, the peak RSS, then the latency of ``match``,
``concept_for_label`` and ``complete`` (each call opens its own session, as the app's calls do)
over ``--lookups`` texts: p50, p95 and max in ms; then vocabulary suggestions from ``--captions``
records' captions (each naming two headings), completion with broader paths, and the time and
memory of ``lexical_candidates`` (the lexical pathway's input). The machine's load average is printed before and
after, since the figures are wall-clock times.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SKOS = "http://www.w3.org/2004/02/skos/core#"
BASE = "http://vocab.example.org/c/"
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "do", "pa", "ri", "zu", "fe", "go", "hu", "ja"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def plural_nouns() -> list[str]:
    """English plurals the lemmatiser knows ("boats" -> "boat"), so singular variants can match."""
    from heritage_tagger.text.lemmatise import _lookup

    table = _lookup()
    return sorted(w for w, lemma in table.items() if w.isalpha() and len(w) > 4 and w == lemma + "s")[:3000]


def labels(n: int, seed: int = 0) -> list[tuple[str, list[str], str]]:
    """(preferred, alternatives, French) for n concepts: unique headings, most ending in a real English plural."""
    rng = random.Random(seed)
    nouns = plural_nouns()
    seen: set[str] = set()
    out = []
    while len(out) < n:
        head = rng.choice(nouns)
        pref = (word(rng) + " " + head).capitalize() if rng.random() < 0.8 else (word(rng) + "s").capitalize()
        if pref.lower() in seen:
            continue
        seen.add(pref.lower())
        alts = [(word(rng) + " " + word(rng)).capitalize() for _ in range(rng.randint(1, 2))]
        out.append((pref, alts, pref.lower() + "e"))
    return out


def write_vocabulary(path: Path, fmt: str, concepts: list[tuple[str, list[str], str]]) -> None:
    def lit(text: str, lang: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'

    with path.open("w", encoding="utf-8") as fh:
        if fmt == "turtle":
            fh.write(f"@prefix skos: <{SKOS}> .\n@prefix c: <{BASE}> .\n")
            fh.write('<http://vocab.example.org/> a skos:ConceptScheme ; skos:prefLabel "Bench"@en .\n')
            for i, (pref, alts, fr) in enumerate(concepts):
                fh.write(f"c:{i} a skos:Concept ; skos:inScheme <http://vocab.example.org/> ;\n")
                fh.write(f"  skos:prefLabel {lit(pref, 'en')}, {lit(fr, 'fr')} ;\n")
                fh.write("  skos:altLabel " + ", ".join(lit(a, "en") for a in alts))
                fh.write(f" ;\n  skos:broader c:{(i - 1) // 10} .\n" if i else " .\n")
        elif fmt == "ntriples":
            for i, (pref, alts, fr) in enumerate(concepts):
                s = f"<{BASE}{i}>"
                fh.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SKOS}Concept> .\n")
                fh.write(
                    f"{s} <{SKOS}prefLabel> {lit(pref, 'en')} .\n{s} <{SKOS}prefLabel> {lit(fr, 'fr')} .\n"
                )
                for a in alts:
                    fh.write(f"{s} <{SKOS}altLabel> {lit(a, 'en')} .\n")
                if i:
                    fh.write(f"{s} <{SKOS}broader> <{BASE}{(i - 1) // 10}> .\n")
        elif fmt == "csv":
            fh.write("uri,pref_label,alt_labels,broader\n")
            for i, (pref, alts, _) in enumerate(concepts):
                fh.write(f"{BASE}{i},{pref},{'|'.join(alts)},{BASE}{(i - 1) // 10 if i else ''}\n")
        else:  # tsv
            for i, (pref, _, _) in enumerate(concepts):
                fh.write(f"<{BASE}{i}>\t{pref}\n")


def variant(label: str, rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return label.lower()
    if kind == 1:
        return label[:-1] if label.endswith("s") else label  # singular
    return label + "."


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms, max {ordered[-1]:.2f} ms"


def run(
    fmt: str, args: argparse.Namespace, concepts: list[tuple[str, list[str], str]], workdir: Path
) -> None:
    from heritage_tagger.db.tagging import get_or_create_tags
    from heritage_tagger.domain.progress import Progress
    from heritage_tagger.services import vocabularies as vocab
    from heritage_tagger.services.catalogue import open_catalogue

    suffix = {"turtle": ".ttl", "ntriples": ".nt", "csv": ".csv", "tsv": ".tsv"}[fmt]
    path = workdir / f"vocabulary-{len(concepts)}{suffix}"
    if not path.exists():
        write_vocabulary(path, fmt, concepts)
    rng = random.Random(1)
    tags = [variant(rng.choice(concepts)[0], rng) for _ in range(args.tags // 2)]
    tags += [f"Unknown subject {i}" for i in range(args.tags - len(tags))]
    db = workdir / f"catalogue-{fmt}.sqlite"
    for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        p.unlink(missing_ok=True)
    with open_catalogue(db) as catalogue:
        with catalogue.session() as session:
            get_or_create_tags(session, tags)
        marks: dict[str, float] = {}

        def progress(p: Progress) -> None:
            marks.setdefault(p.stage, time.perf_counter())

        start = time.perf_counter()
        report = vocab.import_vocabulary(catalogue, path, progress=progress, language="en")
        total = time.perf_counter() - start
        stages = ["Reading the vocabulary", "Saving concepts", "Saving the hierarchy", "Linking tags"]
        times = [start] + [marks.get(s, start) for s in stages[1:]] + [start + total]
        split = ", ".join(
            f"{s.lower()} {b - a:.1f} s" for s, a, b in zip(stages, times, times[1:], strict=False)
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        link = report.link
        print(f"\n{fmt}: {path.stat().st_size / 1e6:.1f} MB, {report.concepts} concepts, {report.labels} labels, "
              f"{report.relations} relations")  # fmt: skip
        print(f"  import {total:.1f} s ({split}); peak RSS {peak:.0f} MiB")
        if link is not None:
            print(
                f"  linked {link.linked} of {len(set(tags))} tags ({len(link.unlinked)} unlinked, {len(link.ambiguous)} ambiguous)"
            )
        texts = [variant(rng.choice(concepts)[0], rng) for _ in range(args.lookups // 2)]
        texts += [rng.choice(rng.choice(concepts)[1]) for _ in range(args.lookups // 4)]
        texts += [f"Nothing like this {i}" for i in range(args.lookups - len(texts))]
        rng.shuffle(texts)
        for name, call in (
            ("match", lambda t: vocab.match(catalogue, t)),
            ("concept_for_label", lambda t: vocab.concept_for_label(catalogue, t)),
            ("complete (first 3 letters)", lambda t: vocab.complete(catalogue, t[:3])),
        ):
            call(texts[0])
            latencies = []
            hits = 0
            for text in texts:
                t0 = time.perf_counter()
                found = call(text)
                latencies.append((time.perf_counter() - t0) * 1000)
                hits += bool(found)
            print(f"  {name}: {percentiles(latencies)} over {len(texts)} texts ({hits} found)")
        suggestions(catalogue, concepts, args, rng)


def suggestions(catalogue: object, concepts: list[tuple[str, list[str], str]], args: argparse.Namespace,
                rng: random.Random) -> None:  # fmt: skip
    """Vocabulary suggestions from captions (no model), completion with paths, the lexical candidates."""
    from heritage_tagger.db import tables
    from heritage_tagger.services import vocab_suggesting as vs
    from heritage_tagger.services import vocabularies as vocab
    from heritage_tagger.services.catalogue import Catalogue

    assert isinstance(catalogue, Catalogue)
    filler = "photograph of the view near a street with people walking in the afternoon light".split()
    with catalogue.session() as session:
        ids = []
        for i in range(args.captions):
            words = rng.sample(filler, 10)
            for _ in range(2):  # two headings named in each caption, one by an alternative label
                pref, alts, _ = rng.choice(concepts)
                words.insert(rng.randrange(len(words)), rng.choice([pref.lower(), alts[0]]))
            rec = tables.Record(identifier=f"cap{i}", sha256=f"{i:064d}", title=" ".join(words),
                                description=" ".join(rng.sample(filler, 12)), location="")  # fmt: skip
            session.add(rec)
            session.flush()
            ids.append(rec.id)
    vs.suggest_from_vocabulary(catalogue, ids[0])
    latencies, named = [], 0
    for rid in ids:
        t0 = time.perf_counter()
        found = vs.suggest_from_vocabulary(catalogue, rid)
        latencies.append((time.perf_counter() - t0) * 1000)
        named += len(found.matches)
    print(f"  suggest_from_vocabulary (a 12-word title, a 12-word description): {percentiles(latencies)} "
          f"over {len(ids)} records ({named / len(ids):.1f} concepts named per record, 2 planted)")  # fmt: skip
    latencies = []
    for pref, _, _ in concepts[: args.lookups // 4]:
        t0 = time.perf_counter()
        vs.complete_concepts(catalogue, pref[:3])
        latencies.append((time.perf_counter() - t0) * 1000)
    print(f"  complete_concepts (first 3 letters, with broader paths): {percentiles(latencies)}")
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    candidates = vocab.lexical_candidates(catalogue)
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    keys = sum(len(c.keys) for c in candidates)
    print(f"  lexical_candidates: {len(candidates)} concepts, {keys} keys in {took:.1f} s "
          f"(peak RSS {before:.0f} -> {after:.0f} MiB)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--format", action="append", choices=("turtle", "ntriples", "csv", "tsv"))
    parser.add_argument("--tags", type=int, default=5000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--captions", type=int, default=300, help="records whose captions are matched")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-vocab-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
          f"(1 min) at start; workdir {workdir}")  # fmt: skip
    concepts = labels(args.concepts)
    for fmt in args.format or ["turtle"]:
        run(fmt, args, concepts, workdir)
    print(f"\nload average {os.getloadavg()[0]:.1f} (1 min) at the end")


if __name__ == "__main__":
    main()
