"""A small grouped bar chart of two models' figures side by side (PNG through matplotlib's Agg backend)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np


def comparison_chart(
    metrics: Sequence[str],
    first: tuple[str, Mapping[str, float]],
    second: tuple[str, Mapping[str, float]],
    title: str,
    path: Path | str,
) -> Path:
    """Bars of ``metrics`` for two models, each given as (legend label, figures by metric name)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    x = np.arange(len(metrics))
    fig, ax = plt.subplots(figsize=(5, 3), dpi=100)
    for offset, (label, figures) in ((-0.2, first), (0.2, second)):
        ax.bar(x + offset, [float(figures.get(n, float("nan"))) for n in metrics], 0.4, label=label)
    ax.set_xticks(x, list(metrics))
    ax.set_ylim(0, 1)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
