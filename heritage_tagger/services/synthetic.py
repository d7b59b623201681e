"""Synthetic catalogues for scale work and tests: N records with metadata, tags and optional tiny images."""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from heritage_tagger.db import bulk
from heritage_tagger.db.tagging import get_or_create_tags
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue

#: tag -> the colour its photos lean to (so that a model can learn something from the pictures)
VOCABULARY: dict[str, tuple[int, int, int]] = {
    "procession": (200, 60, 60),
    "harbour": (40, 90, 200),
    "theatre foyer": (150, 40, 150),
    "railway station": (90, 90, 90),
    "market": (230, 160, 40),
    "church": (240, 240, 220),
    "bridge": (120, 120, 60),
    "school class": (60, 180, 90),
    "factory": (70, 50, 40),
    "farm": (110, 170, 50),
    "portrait": (220, 180, 150),
    "street": (160, 160, 170),
    "parade": (230, 80, 30),
    "flood": (60, 120, 160),
    "ship": (20, 50, 120),
    "tram": (180, 140, 20),
    "wedding": (250, 250, 250),
    "harvest": (200, 190, 60),
    "mine": (30, 30, 30),
    "beach": (240, 220, 160),
    "snow": (230, 235, 245),
    "fire brigade": (210, 30, 20),
    "children": (250, 200, 120),
    "automobile": (80, 80, 120),
    "horse": (130, 80, 40),
    "river": (50, 140, 180),
    "monument": (170, 170, 150),
    "shop front": (190, 110, 90),
    "band": (160, 60, 20),
    "aircraft": (150, 190, 230),
}
LOCATIONS = [
    "Washington, D.C.", "Cardiff", "Leeds", "Galway", "Dundee", "Bristol", "Halifax",
    "Melbourne", "Dunedin", "Quebec", "Cork", "Glasgow", "Boston", "Ghent", "Lyon",
    "Aberystwyth", "Swansea", "Bergen", "Hobart", "Wellington",
]  # fmt: skip
_PHRASES = ["at", "near", "outside", "in", "by"]
_DESCRIPTIONS = [
    "Glass plate negative, view of the {tag} {prep} {loc}.",
    "Photograph showing a {tag} {prep} {loc}, taken for the local newspaper.",
    "Lantern slide. A {tag} with onlookers {prep} {loc}.",
    "Postcard print of the {tag}, {loc}.",
]
CHUNK = 20_000


@dataclass(frozen=True)
class SynthSummary:
    records: int
    record_tags: int
    images: int
    first_id: int
    batch_id: int


def _stamp() -> str:
    return datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _image_bytes(rng: random.Random, labels: list[str], size: tuple[int, int]) -> bytes:
    from PIL import Image, ImageDraw

    base = VOCABULARY[labels[0]] if labels else (128, 128, 128)
    jitter = tuple(max(0, min(255, c + rng.randint(-25, 25))) for c in base)
    image = Image.new("RGB", size, jitter)  # type: ignore[arg-type]
    draw = ImageDraw.Draw(image)
    w, h = size
    for label in labels[1:] or ["_"]:
        colour = VOCABULARY.get(label, (255 - jitter[0], 255 - jitter[1], 255 - jitter[2]))
        x, y = rng.randrange(w - 10), rng.randrange(h - 10)
        draw.ellipse([x, y, x + rng.randint(8, w // 2), y + rng.randint(8, h // 2)], fill=colour)
    draw.line([0, rng.randrange(h), w, rng.randrange(h)], fill=(0, 0, 0), width=2)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=88)
    return buf.getvalue()


def generate(
    catalogue: Catalogue,
    n: int,
    *,
    images: int = 0,
    seed: int = 0,
    image_size: tuple[int, int] = (96, 72),
    suggested_fraction: float = 0.3,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> SynthSummary:
    """Add ``n`` synthetic records (the first ``images`` with generated pictures and thumbnails).

    Rows go in with executemany in chunks of 20,000, each chunk its own transaction. About a
    fifth of the records are untagged; ``suggested_fraction`` of them carry pending suggestions.
    """
    if n < 0 or images < 0:
        raise ValueError("n and images must not be negative")
    from heritage_tagger.ingest.thumbnails import thumbnail_path

    rng = random.Random(seed)
    labels = list(VOCABULARY)
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(labels))]
    image_dir = catalogue.workspace.root / "synthetic"
    with catalogue.session() as session:
        tag_ids = {label: tag.id for label, tag in get_or_create_tags(session, labels).items()}
        batch_id, first = bulk.new_batch(session, str(image_dir), '{"synthetic": true}')
    stamp = _stamp()
    n_tags = n_images = 0
    for start in range(0, n, CHUNK):
        if cancel is not None:
            cancel.check()
        records: list[tuple[object, ...]] = []
        record_tags: list[tuple[int, int, str, float | None, str, str]] = []
        for i in range(start, min(n, start + CHUNK)):
            rid = first + i
            identifier = f"SYN-{rid:07d}"
            k = rng.choice((0, 1, 1, 2, 2, 3, 4))
            carried = list(dict.fromkeys(rng.choices(labels, weights, k=k)))
            loc = rng.choice(LOCATIONS)
            main = carried[0] if carried else rng.choice(labels)
            year = rng.randint(1880, 1990)
            month = rng.randint(1, 12)
            title = f"{main.capitalize()} {rng.choice(_PHRASES)} {loc}"
            desc = rng.choice(_DESCRIPTIONS).format(tag=main, prep=rng.choice(_PHRASES), loc=loc)
            source, mime, width, height = "", "", None, None
            if i < images:
                data = _image_bytes(rng, carried, image_size)
                sha = hashlib.sha256(data).hexdigest()
                path = image_dir / f"{identifier}.jpg"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                thumb = thumbnail_path(catalogue.workspace, sha)
                thumb.parent.mkdir(parents=True, exist_ok=True)
                thumb.write_bytes(data)
                source, mime, (width, height) = catalogue.stored_path(path), "image/jpeg", image_size
                n_images += 1
            else:
                sha = hashlib.sha256(identifier.encode()).hexdigest()
            records.append(
                (rid, identifier, title, desc, loc, f"{year}-{month:02d}", f"{year}-{month:02d}",
                 "Synthetic Studio", "No known restrictions", source, sha, mime, width, height,
                 batch_id, stamp, stamp)
            )  # fmt: skip
            for label in carried:
                record_tags.append((rid, tag_ids[label], "catalogued", None, "synthetic", stamp))
            if rng.random() < suggested_fraction:
                for label in rng.sample(labels, rng.randint(1, 3)):
                    if label not in carried:
                        score = round(rng.random(), 3)
                        record_tags.append((rid, tag_ids[label], "suggested", score, "synthetic", stamp))
        bulk.insert_rows(catalogue.engine, records, record_tags)
        n_tags += len(record_tags)
        progress(Progress("synthesise", min(n, start + CHUNK), n, f"{min(n, start + CHUNK)} records"))
    with catalogue.session() as session:
        bulk.finish_batch(session, batch_id, n)
    return SynthSummary(records=n, record_tags=n_tags, images=n_images, first_id=first, batch_id=batch_id)


def image_folder(catalogue: Catalogue) -> Path:
    """Where generated pictures are written."""
    return catalogue.workspace.root / "synthetic"
