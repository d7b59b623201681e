"""The training tag vocabulary: tags grouped by lemma, rare ones dropped (seed 000, section 4.1)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Vocabulary:
    """Display labels of the kept tags and each record's kept tags (display labels, sorted)."""

    labels: list[str]
    record_tags: list[list[str]]
    dropped: list[tuple[str, int]]  # (display label, records carrying it), most used first
    threshold: int

    def matrix(self, rows: Sequence[int] | None = None) -> np.ndarray:
        """Binary float32 label matrix ``Y[len(rows), len(labels)]``."""
        position = {label: i for i, label in enumerate(self.labels)}
        rows = range(len(self.record_tags)) if rows is None else rows
        rows = list(rows)
        out = np.zeros((len(rows), len(self.labels)), dtype=np.float32)
        for r, row in enumerate(rows):
            for label in self.record_tags[row]:
                out[r, position[label]] = 1.0
        return out


def min_tag_count(n_records: int, min_count: int, min_fraction: float) -> int:
    """A tag is kept when used on at least ``max(min_count, ceil(min_fraction * n))`` records."""
    return max(int(min_count), math.ceil(min_fraction * n_records - 1e-9))


def build_vocabulary(
    record_tags: Sequence[Sequence[tuple[str, str]]], min_count: int = 2, min_fraction: float = 0.002
) -> Vocabulary:
    """Group ``(label, lemma)`` pairs by lemma and drop rare groups.

    A lemma group's display label is its most common label (ties: alphabetically first);
    frequencies count records (a record carrying "Boat" and "boats" counts once). ``n`` for
    the fraction is the number of records that carry at least one tag.
    """
    label_counts: dict[str, Counter[str]] = {}
    per_record: list[set[str]] = []
    for tags in record_tags:
        lemmas: set[str] = set()
        for label, lemma in tags:
            key = (lemma or label).strip().lower()
            if not key:
                continue
            label_counts.setdefault(key, Counter())[label] += 1
            lemmas.add(key)
        per_record.append(lemmas)
    display = {
        key: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for key, c in label_counts.items()
    }
    usage = Counter(key for lemmas in per_record for key in lemmas)
    n_tagged = sum(1 for lemmas in per_record if lemmas)
    threshold = min_tag_count(n_tagged, min_count, min_fraction)
    kept = {key for key, c in usage.items() if c >= threshold}
    dropped = sorted(
        ((display[k], c) for k, c in usage.items() if k not in kept), key=lambda kv: (-kv[1], kv[0])
    )
    labels = sorted({display[k] for k in kept}, key=str.lower)
    per_display = [sorted({display[k] for k in lemmas if k in kept}, key=str.lower) for lemmas in per_record]
    return Vocabulary(labels=labels, record_tags=per_display, dropped=dropped, threshold=threshold)
