"""The plain dataset an evaluation runs on: records read from a manifest folder, tags prepared as in seed 000."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from heritage_tagger.domain.errors import ManifestError


@dataclass
class EvalDataset:
    """Records as catalogued (tags as written); every list has one entry per record."""

    name: str
    ids: list[str]
    image_paths: list[Path]
    titles: list[str]
    descriptions: list[str]
    locations: list[str]
    tags: list[list[str]]
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, keep: list[int]) -> EvalDataset:
        """The records at positions ``keep``, in that order."""
        return EvalDataset(
            name=self.name,
            ids=[self.ids[i] for i in keep],
            image_paths=[self.image_paths[i] for i in keep],
            titles=[self.titles[i] for i in keep],
            descriptions=[self.descriptions[i] for i in keep],
            locations=[self.locations[i] for i in keep],
            tags=[self.tags[i] for i in keep],
            source=self.source,
            warnings=list(self.warnings),
        )


@dataclass
class PreparedData:
    """Records that keep at least one tag after lemmatising and the frequency threshold."""

    data: EvalDataset
    vocabulary: list[str]  # lemmatised tags kept, most frequent first
    Y: np.ndarray  # bool [n, T]
    stats: dict[str, object]


def read_manifest_folder(folder: Path) -> EvalDataset:
    """Read ``folder/records.csv`` (manifest format); rows whose image file is missing are skipped."""
    from heritage_tagger.ingest.manifest import MANIFEST_NAME, read_manifest

    folder = Path(folder).expanduser().resolve()
    manifest = read_manifest(folder / MANIFEST_NAME)
    data = EvalDataset(
        folder.name, [], [], [], [], [], [], source=str(folder), warnings=list(manifest.warnings)
    )
    seen: set[str] = set()
    for row in manifest.rows:
        path = row.resolve(manifest.base)
        meta = row.metadata
        identifier = meta.identifier or Path(row.file).stem
        if not path.is_file():
            data.warnings.append(f"line {row.line}: the image {row.file} is missing; record skipped")
            continue
        if identifier in seen:
            data.warnings.append(f"line {row.line}: identifier {identifier} repeated; record skipped")
            continue
        seen.add(identifier)
        data.ids.append(identifier)
        data.image_paths.append(path)
        data.titles.append(meta.title)
        data.descriptions.append(meta.description)
        data.locations.append(meta.location)
        data.tags.append(list(meta.tags or []))
    if not data.ids:
        raise ManifestError(f"The folder {folder} has no usable records with images.")
    return data


def prepare(data: EvalDataset, min_fraction: float = 0.002, min_count: int = 2) -> PreparedData:
    """Lemmatise tags, drop those on fewer than ``max(min_fraction * n, min_count)`` records, drop untagged records."""
    from heritage_tagger.text.lemmatise import lemmatise_tag

    lemmas = [sorted({lemmatise_tag(t) for t in tags if t.strip()}) for tags in data.tags]
    counts = Counter(t for tags in lemmas for t in tags)
    floor = max(min_fraction * len(data), float(min_count))
    kept = sorted((t for t, c in counts.items() if c >= floor), key=lambda t: (-counts[t], t))
    index = {t: j for j, t in enumerate(kept)}
    keep_rows = [i for i, tags in enumerate(lemmas) if any(t in index for t in tags)]
    sub = data.subset(keep_rows)
    sub.tags = [[t for t in lemmas[i] if t in index] for i in keep_rows]
    Y = np.zeros((len(keep_rows), len(kept)), dtype=bool)
    for r, tags in enumerate(sub.tags):
        Y[r, [index[t] for t in tags]] = True
    stats: dict[str, object] = {
        "records_read": len(data),
        "records_untagged": sum(1 for t in data.tags if not t),
        "records_kept": len(keep_rows),
        "distinct_tags_lemmatised": len(counts),
        "min_records_per_tag": int(np.ceil(floor)),
        "tags_kept": len(kept),
        "tag_frequency": {t: counts[t] for t in kept},
        "tags_per_record_mean": float(Y.sum(axis=1).mean()) if len(keep_rows) else 0.0,
    }
    return PreparedData(sub, kept, Y, stats)


def fingerprint(prepared: PreparedData) -> str:
    """SHA-256 over the records used (id, image name and size, kept tags): the same data, the same value."""
    digest = hashlib.sha256()
    for i, rid in enumerate(prepared.data.ids):
        path = prepared.data.image_paths[i]
        size = path.stat().st_size if path.exists() else -1
        digest.update(json.dumps([rid, path.name, size, prepared.data.tags[i]]).encode())
    return digest.hexdigest()
