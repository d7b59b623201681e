"""Draw the demo collection shipped in ``resources/demo/`` from the shared public-domain collections.

    .venv/bin/python scripts/make_demo_sample.py [--datasets ../shared/datasets] [--out resources/demo]

At most 40 photos: DOCUMERICA (US federal works, public domain) and LoC JFP24 (marked free to use
by the Library of Congress), chosen deterministically among the photos whose tags recur, so that a
model trained on the sample has something to learn. Each is resized to a longer side of at most
384 px. A few photos keep their records but not their tags (``Collection.hold_out``): the demo shows
suggestions on photos that need them. Writes ``images/``, ``records.csv`` (the app's import format)
and ``RIGHTS.md``; run it again only to change the sample, and commit what it writes.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
# ../shared/datasets beside the checkout (or beside the folder of worktrees)
DATASETS = next(
    (p / "shared" / "datasets" for p in ROOT.parents if (p / "shared" / "datasets").is_dir()),
    ROOT.parent / "shared" / "datasets",
)
FIELDS = ("id", "file", "title", "description", "location", "date", "creator", "tags")
MAX_SIDE = 384
QUALITY = 82


@dataclass(frozen=True)
class Collection:
    folder: str
    prefix: str  # keeps identifiers of the two collections apart
    take: int
    hold_out: int  # photos shipped without their tags
    name: str
    rights: str


COLLECTIONS = (
    Collection(
        "documerica",
        "epa",
        26,
        6,
        "US EPA DOCUMERICA photographs (1971-1977), keywords by the Distant Viewing Lab",
        "Works of the US federal government: public domain in the United States (no known copyright). "
        "Keywords (tags) were attached by the Distant Viewing Lab from an image-cluster label and a "
        "generated caption.",
    ),
    Collection(
        "loc-jfp24",
        "loc",
        14,
        2,
        "Library of Congress Prints & Photographs (JFP24 selection)",
        "Marked by the Library of Congress as free to use and reuse / no known restrictions on "
        "publication (the bundle they came from is CC0). Tags are the main terms of the items' "
        "Library of Congress subject headings.",
    ),
)


def _tags(row: dict[str, str]) -> list[str]:
    return [t for t in row["tags"].split("|") if t.strip()]


def choose(rows: list[dict[str, str]], take: int) -> list[dict[str, str]]:
    """The ``take`` photos whose tags recur most: greedy, each pick counting tags already picked twice
    (ties broken by identifier, so the choice is the same at every run)."""
    counts = Counter(t for r in rows for t in _tags(r))
    pool = [r for r in rows if any(counts[t] >= 2 for t in _tags(r))]
    chosen: list[dict[str, str]] = []
    picked: Counter[str] = Counter()
    while pool and len(chosen) < take:

        def score(row: dict[str, str]) -> tuple[float, str]:
            tags = [t for t in _tags(row) if counts[t] >= 2]
            gain = sum(2.0 if picked[t] else 1.0 for t in tags) / (1 + 0.1 * len(_tags(row)))
            return (-gain, row["id"])

        best = min(pool, key=score)
        pool.remove(best)
        chosen.append(best)
        picked.update(_tags(best))
    return sorted(chosen, key=lambda r: r["id"])


def held_out(rows: list[dict[str, str]], n: int) -> set[str]:
    """``n`` identifiers, each with a tag that stays on at least two other photos of the sample (most first)."""
    counts = Counter(t for r in rows for t in _tags(r))
    out: set[str] = set()
    for row in sorted(rows, key=lambda r: (-sum(counts[t] >= 3 for t in _tags(r)), r["id"])):
        if len(out) >= n:
            break
        if any(counts[t] >= 3 for t in _tags(row)):
            out.add(row["id"])
            counts.subtract(_tags(row))
    return out


def resize(source: Path, target: Path) -> None:
    with Image.open(source) as image:
        image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        image.save(target, "JPEG", quality=QUALITY, optimize=True, progressive=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "demo")
    args = parser.parse_args(argv)
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    (out / "images").mkdir(parents=True)
    sample: list[tuple[Collection, dict[str, str]]] = []
    for collection in COLLECTIONS:
        folder = args.datasets / collection.folder
        with (folder / "records.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in choose(rows, collection.take):
            sample.append((collection, row))
    hidden: set[str] = set()
    for collection in COLLECTIONS:
        rows = [dict(r, id=f"{c.prefix}-{r['id']}") for c, r in sample if c is collection]
        hidden |= held_out(rows, collection.hold_out)
    manifest, sources = [], []
    for collection, row in sample:
        identifier = f"{collection.prefix}-{row['id']}"
        file = f"images/{identifier}.jpg"
        resize(args.datasets / collection.folder / row["file"], out / file)
        tags = "" if identifier in hidden else row["tags"]
        manifest.append({**{k: row[k] for k in FIELDS}, "id": identifier, "file": file, "tags": tags})
        sources.append((identifier, collection, row))
    with (out / "records.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(manifest)
    (out / "RIGHTS.md").write_text(rights_text(sources, hidden), encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{len(manifest)} photos ({len(hidden)} without their tags), {size / 1e6:.2f} MB in {out}")
    return 0


def rights_text(sources: list[tuple[str, Collection, dict[str, str]]], hidden: set[str]) -> str:
    lines = [
        "# The demo collection: sources and rights",
        "",
        f"{len(sources)} photographs drawn by `scripts/make_demo_sample.py` from two public collections, "
        f"resized to a longer side of at most {MAX_SIDE} px. Titles, places, dates and creators are the "
        "institutions' catalogue data. "
        f"{len(hidden)} photos are shipped without their tags, so that the demo has photos to suggest tags for.",
        "",
    ]
    for collection in COLLECTIONS:
        lines += [f"## {collection.name}", "", collection.rights, ""]
        lines += [
            f"- `{identifier}`: {row['title'].strip() or '(untitled)'} ({row['creator'] or 'creator unknown'}, "
            f"{row['date'] or 'undated'}); source identifier {row['id']}"
            + (" (tags left out)" if identifier in hidden else "")
            for identifier, c, row in sources
            if c is collection
        ]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
