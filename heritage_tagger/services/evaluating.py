"""Evaluation use case: the methods, a collection (a manifest folder or the catalogue), and the benchmark run."""

from __future__ import annotations

from pathlib import Path

from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.progress import ProgressCallback, null_progress
from heritage_tagger.domain.records import TagState
from heritage_tagger.evaluation.benchmark import BenchmarkOptions as EvaluationOptions
from heritage_tagger.evaluation.dataset import EvalDataset
from heritage_tagger.services.catalogue import Catalogue

__all__ = [
    "EvaluationOptions",
    "dataset_from_catalogue",
    "dataset_from_folder",
    "default_methods",
    "known_methods",
    "run_evaluation",
]

# the ground truth of an evaluation: tags a librarian stands behind (never pending suggestions or rejections)
TRUSTED_STATES = (TagState.CATALOGUED, TagState.ACCEPTED)


def dataset_from_catalogue(catalogue: Catalogue) -> EvalDataset:
    """Every record whose image file still exists, with its catalogued and accepted tags."""
    from heritage_tagger.db.records import iter_records

    path = catalogue.path
    name = path.stem if not catalogue.team else "team catalogue"
    data = EvalDataset(name, [], [], [], [], [], [], source=catalogue.name)
    with catalogue.session() as session:
        for record in iter_records(session, states=TRUSTED_STATES):
            image = Path(catalogue.file_path(record.source_path))
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


def default_methods() -> tuple[str, ...]:
    """The methods ``evaluate`` runs when none are named (all of them)."""
    from heritage_tagger.evaluation.benchmark import DEFAULT_METHODS

    return tuple(DEFAULT_METHODS)


def known_methods() -> list[str]:
    from heritage_tagger.baselines.registry import available_methods

    return list(available_methods())


def dataset_from_folder(folder: Path) -> EvalDataset:
    """A collection given as a folder with records.csv and its images."""
    from heritage_tagger.evaluation.dataset import read_manifest_folder

    return read_manifest_folder(folder)


def run_evaluation(
    data: EvalDataset, options: EvaluationOptions, progress: ProgressCallback = null_progress
) -> str:
    """Every method on the same folds; writes results.json and plots to ``options.out``; returns the table."""
    from heritage_tagger.evaluation.benchmark import run_benchmark

    table, _ = run_benchmark(data, options, progress=progress)
    return table
