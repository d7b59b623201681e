"""A long job's progress in plain words: one monotone fraction across its stages, and a steady time estimate.

The pipeline reports its own stages ("metric 6/30", "network", a stage again for each
validation fold); a librarian needs one bar that only moves forward and one sentence that says
what is happening ("Learning from 99 photos: step 3 of 8, comparing neighbourhoods").
:class:`PlainProgress` wraps the job's ``progress`` callback: it knows the job's plan (a list of
:class:`Segment` in the order the raw stages arrive, each with a weight proportional to its
expected time), follows the raw reports through it and passes on
``Progress(stage=<headline>, done=<0..1000>, total=1000, message=<step in words>)``.
:class:`TimeEstimate` turns (elapsed seconds, fraction) into a smoothed "about 4 minutes left".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from heritage_tagger.domain.progress import Progress, ProgressCallback

SCALE = 1000  # the fraction is passed on as done / SCALE

#: raw stage name -> (step number, words); the steps of one training, as a librarian would say them
TRAINING_STEPS: dict[str, tuple[int, str]] = {
    "starting": (1, "getting ready"),
    "features": (1, "looking at the photos"),
    "word vectors": (2, "learning the words of the descriptions"),
    "pairs": (3, "pairing photos with similar descriptions"),
    "metric": (4, "learning what makes photos look alike"),
    "neighbours": (5, "comparing neighbourhoods"),
    "relevance": (6, "weighing each tag against the neighbours' tags"),
    "summary": (6, "weighing each tag against the neighbours' tags"),
    "network": (7, "training the tagger"),
    "label quantity": (7, "learning how many tags a photo needs"),
    "saving": (8, "saving the model"),
}
TRAINING_STEP_COUNT = 8

#: expected seconds of each stage: per photo for the features (those not cached yet) and the word
#: vectors (learnt from every record's text), per training row for the rest, per run (each fold and
#: the final fit); and the start (imports, the backbone). Measured on the Library of Congress set
#: (91 photos, 24 with kept tags, 5 folds), EfficientNet-Lite0, CPU, under load: see BENCHMARKS.md,
#: "Jobs in the background". Only their ratios matter.
START_SECONDS = 20.0
PER_IMAGE = {"features": 0.12, "word vectors": 0.06}
PER_ROW = {
    "pairs": 0.017,
    "metric": 0.32,
    "neighbours": 0.008,
    "relevance": 0.001,
    "summary": 0.006,
    "network": 0.15,
    "label quantity": 0.1,
    "saving": 0.003,
}
FOLD_STAGES = ("pairs", "metric", "neighbours")
RUN_STAGES = ("relevance", "summary", "network", "label quantity")


@dataclass(frozen=True)
class Segment:
    """One raw stage of the plan: its name as reported, the words shown, and its expected share of time."""

    stage: str
    words: str
    weight: float
    step: int = 0  # 0: no "step n of N" in the words
    steps: int = 0
    phase: str = ""  # said before the step, e.g. "a copy of the active model"


def training_plan(n_rows: int, n_images: int, folds: int, prefix: str = "", phase: str = "") -> list[Segment]:
    """The segments of one training on ``n_rows`` tagged photos (``n_images`` photos in all) chosen on
    ``folds`` validation folds; ``prefix`` is what the caller puts before each raw stage name."""
    rows = max(1, n_rows)

    def seg(stage: str, weight: float) -> Segment:
        step, words = TRAINING_STEPS[stage]
        return Segment(prefix + stage, words, weight, step, TRAINING_STEP_COUNT, phase)

    fit_rows = rows * (folds - 1) / folds if folds > 1 else rows * 0.8
    images = max(1, n_images)
    plan = [seg("starting", START_SECONDS), seg("features", PER_IMAGE["features"] * images)]
    plan.append(seg("word vectors", PER_IMAGE["word vectors"] * images))
    for _ in range(folds):
        plan += [seg(s, PER_ROW[s] * fit_rows) for s in FOLD_STAGES]
    for _ in range(folds):
        plan += [seg(s, PER_ROW[s] * fit_rows) for s in RUN_STAGES]
    plan += [seg(s, PER_ROW[s] * rows) for s in RUN_STAGES]
    plan.append(seg("saving", PER_ROW["saving"] * rows))
    return plan


class PlainProgress:
    """A ``ProgressCallback`` that follows raw reports through a plan and reports plain, monotone progress."""

    def __init__(self, headline: str, plan: Sequence[Segment], out: ProgressCallback) -> None:
        if not plan:
            raise ValueError("a plan needs at least one segment")
        self.headline = headline
        self.plan = list(plan)
        self.out = out
        self.index = 0
        self.fraction = 0.0
        self._resized: set[int] = set()

    @property
    def total_weight(self) -> float:
        return sum(s.weight for s in self.plan) or 1.0

    def _find(self, stage: str) -> int | None:
        for i in range(self.index, len(self.plan)):
            if self.plan[i].stage == stage:
                return i
        return None

    def _resize_features(self, i: int, p: Progress) -> None:
        """At a features stage's first report, weigh it by the photos still to compute (cached ones are free)."""
        segment = self.plan[i]
        if i in self._resized or not segment.stage.endswith("features") or not p.total:
            return
        self._resized.add(i)
        to_compute = max(0, p.total - p.done)
        self.plan[i] = dataclasses.replace(segment, weight=PER_IMAGE["features"] * max(1, to_compute))

    def _at(self, i: int, within: float) -> float:
        before = sum(s.weight for s in self.plan[:i])
        return (before + self.plan[i].weight * min(1.0, max(0.0, within))) / self.total_weight

    def __call__(self, p: Progress) -> None:
        found = self._find(p.stage)
        if found is not None:
            self._resize_features(found, p)
            self.index = found
            within = p.done / p.total if p.total else 0.0
            self.fraction = max(self.fraction, self._at(found, within))
        self.report()

    def report(self) -> None:
        segment = self.plan[self.index]
        words = segment.words
        if segment.step:
            words = f"step {segment.step} of {segment.steps}, {words}"
        if segment.phase:
            words = f"{segment.phase}: {words}"
        self.out(Progress(self.headline, round(self.fraction * SCALE), SCALE, words))

    def finish(self) -> None:
        self.index = len(self.plan) - 1
        self.fraction = 1.0
        self.report()


class TimeEstimate:
    """Seconds left from (elapsed, fraction done): the remaining fraction at the average rate so far.

    The average over the whole run moves slowly, so the figure is steady when the plan's weights are
    right (they are measured: ``PER_ROW``); none before ``min_fraction`` and ``min_seconds``.
    """

    def __init__(self, min_fraction: float = 0.02, min_seconds: float = 3.0) -> None:
        self.min_fraction = min_fraction
        self.min_seconds = min_seconds

    def update(self, elapsed: float, fraction: float) -> float | None:
        if fraction >= 1.0:
            return 0.0
        if elapsed < self.min_seconds or fraction < self.min_fraction:
            return None
        return elapsed * (1.0 - fraction) / fraction


def describe_seconds(seconds: float | None) -> str:
    """ "about 4 minutes left", "about 40 seconds left", "" when unknown."""
    if seconds is None:
        return ""
    if seconds < 10:
        return "a few seconds left"
    if seconds < 60:
        return f"about {round(seconds / 10.0) * 10} seconds left"
    minutes = seconds / 60.0
    if minutes < 1.5:
        return "about a minute left"
    if minutes < 60:
        return f"about {round(minutes)} minutes left"
    return f"about {minutes / 60.0:.1f} hours left"
