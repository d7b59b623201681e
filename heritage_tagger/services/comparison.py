"""A fair comparison of the active model and a retraining candidate, on photos neither was trained on.

The tagged records of the catalogue are split into test parts: from ``SPLIT_ROWS`` tagged photos
one third by a hash of their identifier (seed 000's 2:1 split, ``evaluation.protocol.hash_split``);
below that, ``CV_FOLDS`` folds (``kfold_splits``), so that a small catalogue still leaves enough
photos to train on and every tagged photo is scored once. For each test part two comparison
models are trained on the rest only:

- a **copy of the active model**: the active version's configuration (its backbone and
  hyperparameters, from its manifest) trained on what the active model knew (its training
  photos with the tags it learned from them), less the test photos;
- a **copy of the candidate**: the candidate's recipe on today's catalogued and accepted tags.

Both score the test photos against today's tags as the app would suggest them (the product model,
reading each record's title, description and location), so neither has seen a single one of them
and the difference between them is what the reviews since the active model taught. A part where the
active model's copy cannot be trained (too few of its photos left) is left out of the comparison;
when that is every part, the active model itself is scored, on the test photos it was not trained
on when there are enough, else on all of them with its advantage said in words (``method``), and
the recommendation does not trust its figures.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.features import ImageRef, features_for
from heritage_tagger.services.model_versions import HEADLINE_METRICS, METRIC_WORDS, ModelVersionInfo
from heritage_tagger.settings import ModelSettings

if TYPE_CHECKING:
    from heritage_tagger.annotator.backbones import LoadedBackbone
    from heritage_tagger.annotator.pipeline import TrainingData
    from heritage_tagger.annotator.predictor import Predictor
    from heritage_tagger.annotator.text_inputs import RecordText

COMPARED = HEADLINE_METRICS  # the figures compared side by side
MIN_FAIR = 10  # held-out records unseen by the active model needed to score only those (fallback)
SPLIT_ROWS = 150  # from this many tagged photos, one test third; fewer: CV_FOLDS-fold cross-validation
CV_FOLDS = 3
TOLERANCE = 0.01  # differences below this are a tie
FEW_PHOTOS = 20  # below this many test photos the figures are a rough guide
ACTIVE_PREFIX = "active copy: "  # before the raw stage names of the active model's copy
CANDIDATE_PREFIX = "candidate copy: "
SCORING = "comparison: scoring"

#: how the active model's figures were measured
COPY, UNSEEN, SEEN = "copy", "unseen", "seen"


@dataclass
class Comparison:
    """The candidate's recipe and the active model scored on the same held-out records."""

    n_records: int
    seen_by_active: int  # of them, photos the scored active model was trained on
    only_unseen: bool  # True: neither scored model was trained on any of them
    n_tags: int
    active_version: str
    candidate: dict[str, float]
    active: dict[str, float]
    record_ids: list[int] = field(default_factory=list)  # the held-out records scored
    method: str = COPY  # COPY (a copy of the active model), UNSEEN or SEEN (the active model itself)
    n_training: int = 0  # photos in the training part the copies learned from
    folds: int = 1  # test parts (cross-validation on small catalogues: every tagged photo is scored once)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def where(self) -> str:
        """On which photos, in a sentence."""
        text = f"Measured on {self.n_records} photos ({self.n_tags} tags)"
        if self.method == COPY:
            again = "in turn without each third of them" if self.folds > 1 else "without them"
            return text + (
                f" that neither model was trained on: both were trained again {again} (the active "
                "model from what it knew, the candidate from today's tags)."
            )
        if self.only_unseen:
            return text + " that neither model was trained on."
        return text + (
            f"; the active model was trained on {self.seen_by_active} of them, so its figures are optimistic."
            " The candidate was trained on none."
        )

    def table(self, candidate_version: str) -> str:
        """The two models side by side, a line per metric, for the command line."""
        lines = [f"{'metric':<8}{'active ' + self.active_version:>28}{'candidate ' + candidate_version:>32}"]
        for name in COMPARED:
            a, c = self.active.get(name, float("nan")), self.candidate.get(name, float("nan"))
            lines.append(f"{name:<8}{a:>28.3f}{c:>32.3f}   {'+' if c > a else ''}{c - a:.3f}")
        return "\n".join([*lines, self.where()])


@dataclass(frozen=True)
class Recommendation:
    """Activate the candidate or keep the active model, and why, in words."""

    activate: bool
    reason: str

    @property
    def verdict(self) -> str:
        return "Activate the candidate" if self.activate else "Keep the active model"


def recommend(comparison: Comparison, decisions_since: int = 0) -> Recommendation:
    """Activate when the candidate ranks right tags at least as well (imAP) and proposes at least as
    well (OF1), within ``TOLERANCE``; keep the active model otherwise. When the active model was
    scored on photos it was trained on, its figures are not trusted: activate a candidate that
    learned from new decisions, keep the active model when there were none."""
    a, c = comparison.active, comparison.candidate
    if not comparison.only_unseen:
        unfair = (
            f"Too few photos to compare fairly: the active model had been trained on {comparison.seen_by_active} "
            f"of the {comparison.n_records} photos scored, so its figures flatter it."
        )
        if decisions_since > 0:
            return Recommendation(
                True, unfair + f" The candidate has learned from the {decisions_since} decisions made since."
            )
        return Recommendation(
            False, unfair + " No decision was made since, so there is nothing new to learn."
        )
    rank_gain = c.get("imAP", 0.0) - a.get("imAP", 0.0)
    propose_gain = c.get("OF1", 0.0) - a.get("OF1", 0.0)
    on = f"on {comparison.n_records} photos" + (
        " neither model was trained on" if comparison.only_unseen else ""
    )
    caution = (
        f" Only {comparison.n_records} photos could be compared: treat this as a rough guide."
        if comparison.n_records < FEW_PHOTOS
        else ""
    )
    if rank_gain >= -TOLERANCE and propose_gain >= -TOLERANCE:
        if rank_gain > TOLERANCE or propose_gain > TOLERANCE:
            better = (
                "puts the right tags nearer the top" if rank_gain > TOLERANCE else "proposes more right tags"
            )
            reason = (
                f"The candidate {better} {on} (right tags first: {c.get('imAP', 0):.2f} against "
                f"{a.get('imAP', 0):.2f}; proposals: {c.get('OF1', 0):.2f} against {a.get('OF1', 0):.2f})."
            )
        else:
            learned = (
                f" and has learned from the {decisions_since} decisions made since" if decisions_since else ""
            )
            reason = f"The candidate is as good as the active model {on}{learned}."
        return Recommendation(True, reason + caution)
    worse = "ranks the right tags lower" if rank_gain < -TOLERANCE else "proposes fewer right tags"
    reason = (
        f"The candidate {worse} {on} (right tags first: {c.get('imAP', 0):.2f} against {a.get('imAP', 0):.2f}; "
        f"proposals: {c.get('OF1', 0):.2f} against {a.get('OF1', 0):.2f}). Keep the active model; review more "
        "photos before retraining."
    )
    return Recommendation(False, reason + caution)


def explain(name: str) -> tuple[str, str]:
    """(plain name, one line a librarian understands) of a compared figure."""
    return METRIC_WORDS.get(name, (name, ""))


def _key(label: str, lemma: str = "") -> str:
    return (lemma or label).strip().lower()


def _scores(
    predictor: Predictor,
    features: np.ndarray,
    ids: list[int],
    texts: list[RecordText],
    columns: dict[str, int],
) -> np.ndarray:
    """The calibrated probabilities the model would suggest with (its product model, reading each
    record's text), laid out on the comparison's columns (tags it does not know: 0)."""
    self_rows = predictor.model.self_rows(ids)
    probs = predictor.product.scores(features, self_rows, predictor.encode(texts))[0]
    out = np.zeros((len(ids), len(columns)), dtype=np.float32)
    for t, lemma in enumerate(_lemmas(predictor)):
        column = columns.get(lemma.strip().lower())
        if column is not None:
            out[:, column] = np.maximum(out[:, column], probs[:, t])
    return out


def _lemmas(predictor: Predictor) -> list[str]:
    return [str(x) for x in (predictor.manifest.get("tag_lemmas") or predictor.model.tag_labels)]


def active_settings(predictor: Predictor, base: ModelSettings) -> ModelSettings:
    """The active version's configuration from its manifest (unknown or missing fields: ``base``'s);
    the device and the epoch count stay ``base``'s (this computer, the caller's choice)."""
    stored = dict(predictor.manifest.get("settings") or {})
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(ModelSettings):
        if f.name in stored and f.name not in ("device", "epochs"):
            value = stored[f.name]
            changes[f.name] = tuple(value) if isinstance(getattr(base, f.name), tuple) else value
    backbone = (predictor.manifest.get("backbone") or {}).get("name")
    if backbone:
        changes["backbone"] = backbone
    try:
        return dataclasses.replace(base, **changes)
    except TypeError:  # a manifest from another release: its own backbone, today's defaults
        return dataclasses.replace(base, backbone=backbone or base.backbone)


def active_knowledge(data: TrainingData, predictor: Predictor) -> TrainingData:
    """``data`` with each record's tags replaced by those the active model learned from it (none for the
    photos it was not trained on)."""
    model = predictor.model
    labels, lemmas = list(model.tag_labels), _lemmas(predictor)
    tags: list[list[tuple[str, str]]] = []
    for rid in data.record_ids:
        row = model.row_of(rid)
        tags.append(
            [] if row is None else [(labels[t], lemmas[t]) for t in np.flatnonzero(model.labels[row])]
        )
    return dataclasses.replace(data, tags=tags)


def _prefixed(progress: ProgressCallback, prefix: str) -> ProgressCallback:
    return lambda p: progress(Progress(prefix + p.stage, p.done, p.total, p.message))


def comparison_folds(n_tagged: int) -> int:
    """How many test parts: one hash third from ``SPLIT_ROWS`` tagged photos, else ``CV_FOLDS`` folds."""
    return 1 if n_tagged >= SPLIT_ROWS else CV_FOLDS


@dataclass
class _Fold:
    """One test part with the two copies trained without it."""

    rows: list[int]  # positions in the training data of its test photos
    candidate: Predictor  # loaded before the scratch folder goes
    active: Predictor | None


def _test_parts(identifiers: list[str], n_folds: int, seed: int) -> list[list[int]]:
    """Positions (in ``identifiers``) of each test part: the hash third, or K folds."""
    from heritage_tagger.evaluation.protocol import hash_split, kfold_splits

    if n_folds == 1:
        return [[int(j) for j in hash_split(identifiers).test]]
    return [[int(j) for j in split.test] for split in kfold_splits(len(identifiers), n_folds, seed)]


def _train_fold(
    data: TrainingData, knowledge: TrainingData, test: list[int], scratch: Path, settings: ModelSettings,
    copy_settings: ModelSettings, backbone: LoadedBackbone, copy_backbone: LoadedBackbone, feature_root: Path,
    progress: ProgressCallback, cancel: CancelToken | None,
) -> _Fold | None:  # fmt: skip
    """Both copies trained on everything but ``test``; None when the candidate's copy cannot be trained."""
    from heritage_tagger.annotator import pipeline
    from heritage_tagger.annotator.predictor import Predictor

    held = set(test)
    train_rows = [i for i in range(len(data)) if i not in held]
    try:
        candidate = pipeline.train(
            data.subset(train_rows), settings, feature_root, scratch / "candidate", backbone=backbone,
            progress=_prefixed(progress, CANDIDATE_PREFIX), cancel=cancel,
        )  # fmt: skip
    except pipeline.TrainingRefused:
        return None
    try:
        copy = pipeline.train(
            knowledge.subset(train_rows), copy_settings, feature_root, scratch / "active", backbone=copy_backbone,
            progress=_prefixed(progress, ACTIVE_PREFIX), cancel=cancel,
        )  # fmt: skip
    except pipeline.TrainingRefused:
        copy = None  # too few of its photos outside this test part
    return _Fold(
        test, Predictor.load(candidate.bundle_dir), None if copy is None else Predictor.load(copy.bundle_dir)
    )


def compare_on_held_out(
    catalogue: Catalogue,
    active: ModelVersionInfo,
    *,
    backbone: LoadedBackbone,
    settings: ModelSettings,
    min_unseen: int = MIN_FAIR,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> Comparison:
    """Train both copies without each test part and score them on it (see the module docstring)."""
    import shutil

    from heritage_tagger.annotator.backbones import load_backbone
    from heritage_tagger.annotator.predictor import Predictor
    from heritage_tagger.services.training import load_training_data

    data = load_training_data(catalogue)
    tagged = [i for i, tags in enumerate(data.tags) if tags]
    n_folds = comparison_folds(len(tagged))
    parts = [
        sorted(tagged[j] for j in part)
        for part in _test_parts([data.identifiers[i] for i in tagged], n_folds, settings.seed)
    ]
    current = Predictor.load(active.bundle_path)
    knowledge = active_knowledge(data, current)
    copy_settings = active_settings(current, settings)
    copy_backbone = (
        backbone
        if copy_settings.backbone == backbone.name
        else load_backbone(copy_settings.backbone, settings.device)
    )
    scratch = catalogue.workspace.root / "retrain-tmp"
    shutil.rmtree(scratch, ignore_errors=True)  # left by a killed run (the caller holds the training lock)
    folds: list[_Fold] = []
    try:
        for f, part in enumerate(parts):
            fold = _train_fold(
                data, knowledge, part, scratch / f"fold{f}", settings, copy_settings, backbone, copy_backbone,
                catalogue.workspace.features, progress, cancel,
            )  # fmt: skip
            if fold is not None:
                folds.append(fold)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if cancel is not None:
        cancel.check()
    if not folds:
        raise HeritageTaggerError(
            "Too few tagged photos to compare the models: tag or review more photos first."
        )
    progress(Progress(SCORING, 0, 2))
    paired = [f for f in folds if f.active is not None]
    method = COPY
    if paired:
        folds = paired
    else:  # no copy of the active model could be trained: the active model itself, said in words
        fold = folds[0]
        truth_rows = [i for i in fold.rows if data.tags[i]]
        unseen = [i for i in truth_rows if current.model.row_of(data.record_ids[i]) is None]
        method = UNSEEN if len(unseen) >= max(1, min_unseen) else SEEN
        folds = [_Fold(unseen if method == UNSEEN else truth_rows, fold.candidate, None)]
    columns: dict[str, int] = {}
    for fold in folds:
        lemmas = _lemmas(fold.candidate) + _lemmas(fold.active if fold.active is not None else current)
        for lemma in lemmas:
            columns.setdefault(lemma.strip().lower(), len(columns))
    ids: list[int] = []
    truths, cand_parts, act_parts = [], [], []
    for fold in folds:
        rows = [i for i in fold.rows if any(_key(label, lemma) in columns for label, lemma in data.tags[i])]
        scored = _score_fold(catalogue, data, rows, fold, current, backbone, copy_backbone, columns)
        if scored is None:
            continue
        fold_ids, truth, cand, act = scored
        ids += fold_ids
        truths.append(truth)
        cand_parts.append(cand)
        act_parts.append(act)
    if not ids:
        raise HeritageTaggerError("No held-out photo could be scored: tag or review more photos first.")
    from heritage_tagger.evaluation.metrics import evaluate_scores

    k = settings.top_k
    truth_all = np.concatenate(truths)
    cand_scores = evaluate_scores(truth_all, np.concatenate(cand_parts), k)
    act_scores = evaluate_scores(truth_all, np.concatenate(act_parts), k)
    progress(Progress(SCORING, 2, 2))
    seen = 0 if method == COPY else sum(1 for i in ids if current.model.row_of(i) is not None)
    n_training = len(tagged) - len(tagged) // max(1, n_folds) if n_folds > 1 else len(tagged) - len(parts[0])
    return Comparison(
        n_records=len(ids), seen_by_active=seen, only_unseen=seen == 0, n_tags=len(columns),
        active_version=active.version,
        candidate={n: float(cand_scores[n]) for n in COMPARED}, active={n: float(act_scores[n]) for n in COMPARED},
        record_ids=ids, method=method, n_training=n_training, folds=len(folds) if method == COPY else 1,
    )  # fmt: skip


def _score_fold(
    catalogue: Catalogue, data: TrainingData, rows: list[int], fold: _Fold, current: Predictor,
    backbone: LoadedBackbone, copy_backbone: LoadedBackbone, columns: dict[str, int],
) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray] | None:  # fmt: skip
    """(record ids, truth, candidate scores, active scores) of a test part's photos that could be read."""
    from heritage_tagger.annotator.text_inputs import RecordText

    images = [ImageRef(data.sha256s[i], data.image_paths[i]) for i in rows]
    if not images:
        return None
    found = features_for(catalogue, images, backbone)
    source: LoadedBackbone | Predictor = copy_backbone if fold.active is not None else current
    if source.space_key == backbone.space_key:
        other = found
    else:
        other = features_for(catalogue, images, source)
    ok = [p for p in range(len(rows)) if p not in found.failed and p not in other.failed]
    if not ok:
        return None
    rows = [rows[p] for p in ok]
    ids = [data.record_ids[i] for i in rows]
    truth = np.zeros((len(rows), len(columns)), dtype=np.float32)
    for r, i in enumerate(rows):
        for label, lemma in data.tags[i]:
            if (column := columns.get(_key(label, lemma))) is not None:
                truth[r, column] = 1.0
    texts = [RecordText(data.titles[i], data.descriptions[i], data.locations[i]) for i in rows]
    cand = _scores(fold.candidate, found.features[ok], ids, texts, columns)
    act = _scores(
        fold.active if fold.active is not None else current, other.features[ok], ids, texts, columns
    )
    return ids, truth, cand, act
