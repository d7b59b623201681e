"""A synthetic heritage collection where events and places drive the description, the location and the
contextual tags, while the pixels show them only weakly (as in seed 000's State Library set).

Each record is an event (a procession, a regatta, a flood, ...) at a place. Its photo draws the
objects in it (boats, a crowd, horses, buildings, trees, smoke, water: clearly visible shapes) on a
background whose tint depends a little on the event (a weak visual cue, drowned in noise); events
make some objects likelier (a regatta has boats and water) but never certain. The description names
the event, in one of a few wordings (some literal, "Annual regatta at ...", some not, "Boat races
on the harbour"), and the place; some records have no description, some no location. The tags are
what a librarian would give: the event's heading, the place's heading, and most of the visible
objects (each object tag left out now and then, as real catalogues are incomplete).

    python scripts/make_synthetic_heritage.py --out /tmp/synthetic-heritage --records 300 --seed 0

writes ``images/*.jpg`` and ``records.csv`` (the manifest format ``import`` and ``evaluate`` read).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# event heading -> (wordings of the description, objects it makes likelier, background tint)
EVENTS: dict[str, tuple[list[str], list[str], tuple[int, int, int]]] = {
    "Processions": (
        ["Procession through {place}", "Church procession in {place}", "Marchers walk through {place}"],
        ["crowd", "buildings"],
        (150, 140, 130),
    ),
    "Regattas": (
        ["Annual regatta at {place}", "Boat races on the harbour, {place}", "Sailing day at {place}"],
        ["boats", "water"],
        (120, 150, 170),
    ),
    "Floods": (
        ["Flood waters in {place}", "The river in flood at {place}", "Streets under water, {place}"],
        ["water", "buildings"],
        (120, 130, 140),
    ),
    "Fires": (
        ["Fire destroys a store in {place}", "Bushfire near {place}", "Firemen at a blaze, {place}"],
        ["smoke", "buildings"],
        (160, 130, 110),
    ),
    "Royal visits": (
        [
            "Royal visit to {place}",
            "The Duke and Duchess arrive at {place}",
            "Crowds greet the royal party, {place}",
        ],
        ["crowd"],
        (150, 150, 120),
    ),
    "Bridge openings": (
        [
            "Opening of the new bridge at {place}",
            "The bridge is opened, {place}",
            "Ribbon cut on the bridge, {place}",
        ],
        ["water", "crowd"],
        (140, 140, 150),
    ),
    "Sports carnivals": (
        ["Sports carnival at {place}", "Athletics day in {place}", "School sports at {place}"],
        ["crowd", "trees"],
        (130, 160, 120),
    ),
    "Markets": (
        ["Market day in {place}", "Stalls at the {place} market", "Produce market, {place}"],
        ["crowd", "horses", "buildings"],
        (160, 150, 120),
    ),
    "Military parades": (
        ["Troops parade through {place}", "Anzac Day march, {place}", "Soldiers march in {place}"],
        ["crowd", "horses"],
        (130, 130, 120),
    ),
    "Picnics": (
        [
            "Picnic by the river at {place}",
            "Sunday school picnic, {place}",
            "Families picnic in the park, {place}",
        ],
        ["trees", "water"],
        (140, 165, 130),
    ),
}
PLACES = {  # location as catalogued -> place heading
    "Sydney (N.S.W.)": "Sydney (N.S.W.)",
    "Parramatta (N.S.W.)": "Parramatta (N.S.W.)",
    "Newcastle (N.S.W.)": "Newcastle (N.S.W.)",
    "Bathurst (N.S.W.)": "Bathurst (N.S.W.)",
    "Wollongong (N.S.W.)": "Wollongong (N.S.W.)",
    "Broken Hill (N.S.W.)": "Broken Hill (N.S.W.)",
}
OBJECTS = {  # object -> tag heading
    "boats": "Boats",
    "crowd": "Crowds",
    "horses": "Horses",
    "buildings": "Buildings",
    "trees": "Trees",
    "smoke": "Smoke",
    "water": "Water",
}
SIZE = (192, 144)


def draw_photo(
    rng: np.random.Generator, objects: set[str], tint: tuple[int, int, int], weak: float
) -> Image.Image:
    """The objects drawn plainly on a noisy background leaning ``weak`` of the way to the event's tint."""
    w, h = SIZE
    base = np.array([135, 135, 135], dtype=np.float64) * (1 - weak) + np.array(tint) * weak
    pixels = base + rng.normal(0, 22, size=(h, w, 3))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    if "water" in objects:
        draw.rectangle([0, int(h * 0.65), w, h], fill=(40, 80, 160))
    if "buildings" in objects:
        for _ in range(rng.integers(2, 5)):
            x = int(rng.integers(0, w - 40))
            top = int(rng.integers(20, 70))
            draw.rectangle([x, top, x + int(rng.integers(20, 40)), int(h * 0.65)], fill=(95, 95, 100))
    if "trees" in objects:
        for _ in range(rng.integers(2, 5)):
            x, y = int(rng.integers(10, w - 10)), int(rng.integers(30, 80))
            draw.ellipse([x - 14, y - 14, x + 14, y + 14], fill=(30, 120, 40))
    if "boats" in objects:
        for _ in range(rng.integers(1, 4)):
            x = int(rng.integers(10, w - 30))
            y = int(h * 0.7)
            draw.polygon([(x, y), (x + 24, y), (x + 12, y - 26)], fill=(240, 240, 230))
    if "horses" in objects:
        for _ in range(rng.integers(1, 3)):
            x, y = int(rng.integers(10, w - 40)), int(rng.integers(80, 110))
            draw.ellipse([x, y, x + 34, y + 16], fill=(110, 60, 25))
            draw.rectangle([x + 4, y + 14, x + 8, y + 28], fill=(110, 60, 25))
            draw.rectangle([x + 26, y + 14, x + 30, y + 28], fill=(110, 60, 25))
    if "crowd" in objects:
        for _ in range(60):
            x, y = int(rng.integers(0, w)), int(rng.integers(int(h * 0.55), h))
            draw.ellipse([x, y, x + 4, y + 6], fill=(30, 25, 20))
    if "smoke" in objects:
        for _ in range(6):
            x, y = int(rng.integers(20, w - 20)), int(rng.integers(5, 50))
            draw.ellipse([x - 18, y - 12, x + 18, y + 12], fill=(190, 190, 190))
        image = image.filter(ImageFilter.GaussianBlur(1.2))
    return image


def make_collection(out: Path, n: int, seed: int, weak: float = 0.25) -> Path:
    """Write ``n`` records to ``out``; returns the manifest's path."""
    rng = np.random.default_rng(seed)
    (out / "images").mkdir(parents=True, exist_ok=True)
    events, locations = list(EVENTS), list(PLACES)
    rows = []
    for i in range(n):
        event = events[int(rng.integers(len(events)))]
        location = locations[int(rng.integers(len(locations)))]
        wordings, likely, tint = EVENTS[event]
        objects = {o for o in OBJECTS if rng.random() < (0.6 if o in likely else 0.12)}
        photo = draw_photo(rng, objects, tint, weak)
        name = f"images/syn{i:05d}.jpg"
        photo.save(out / name, quality=85)
        place = location.split(" (")[0]
        description = str(rng.choice(wordings)).format(place=place) if rng.random() > 0.2 else ""
        year = int(rng.integers(1880, 1960))
        tags = [event, PLACES[location]] + [OBJECTS[o] for o in sorted(objects) if rng.random() > 0.25]
        rows.append(
            {
                "id": f"SYN-{i:05d}",
                "file": name,
                "title": description or f"Photograph {i}",
                "description": description,
                "location": location if rng.random() > 0.1 else "",
                "date": str(year),
                "creator": "Synthetic studio",
                "tags": "|".join(tags),
            }
        )
    manifest = out / "records.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, required=True, help="folder to write images/ and records.csv into"
    )
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--weak", type=float, default=0.25, help="how far the background leans to the event's tint"
    )
    args = parser.parse_args()
    print(make_collection(args.out, args.records, args.seed, args.weak))


if __name__ == "__main__":
    main()
