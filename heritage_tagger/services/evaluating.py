"""Evaluation use case: read the current catalogue into the evaluation's plain dataset structure."""

from __future__ import annotations

from pathlib import Path

from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.records import TagState
from heritage_tagger.evaluation.dataset import EvalDataset

# the ground truth of an evaluation: tags a librarian stands behind (never pending suggestions or rejections)
TRUSTED_STATES = (TagState.CATALOGUED, TagState.ACCEPTED)


def dataset_from_catalogue(catalogue: object) -> EvalDataset:
    """Every record whose image file still exists, with its catalogued and accepted tags."""
    from heritage_tagger.db.records import iter_records

    path = Path(getattr(catalogue, "path", "catalogue"))
    data = EvalDataset(path.stem, [], [], [], [], [], [], source=str(path))
    with catalogue.session() as session:  # type: ignore[attr-defined]
        for record in iter_records(session, states=TRUSTED_STATES):
            image = Path(record.source_path)
            if not record.source_path or not image.is_file():
                data.warnings.append(
                    f"record {record.identifier}: image {record.source_path} not found; skipped"
                )
                continue
            data.ids.append(record.identifier)
            data.image_paths.append(image)
            data.titles.append(record.title)
            data.descriptions.append(record.description)
            data.locations.append(record.location)
            data.tags.append([t.label for t in record.tags])
    if not data.ids:
        raise CatalogueError(f"The catalogue {path} has no records with readable images to evaluate on.")
    return data
